"""Checklists from real analyses, exported and read back (openpyxl, python-docx, csv)."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from nlp.bundle import load_bundle
from nlp.checklist.build import renumber, severity, unit_checklist, unit_items
from nlp.pipeline import analyze
from nlp.report.excel import COLUMNS, write_checklist_xlsx
from nlp.report.word import checkup_docx, letter_docx
from tests.builders import make_docx
from tests.nlp.test_pipeline import BRAGGING, GOOD


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    bundle = load_bundle()
    sample = (__import__("pathlib").Path(__file__).resolve().parents[3] / "nlp" / "data" / "sample_report.txt").read_bytes()
    return {"good": analyze(make_docx(GOOD), "安平县水利局.docx", bundle),
            "brag": analyze(make_docx(BRAGGING), "安平县民政局.docx", bundle),
            "sample": analyze(sample, "桐山县司法局.txt", bundle)}


def test_items_carry_the_archive_fields(results) -> None:  # type: ignore[no-untyped-def]
    items = unit_items(results["good"], "2024年度评议")
    assert len(items) == len(results["good"].issues) >= 3
    first = items[0]
    assert first.unit == "安平县水利局" and first.round == "2024年度评议" and first.status == "not_started"
    assert first.original and first.domain_name and first.severity in ("高", "中", "低")
    linked = [i for i in items if i.measure]
    assert linked and any(i.deadline and "6月底前" in i.deadline for i in linked)


def test_severity_rules(results) -> None:  # type: ignore[no-untyped-def]
    indicator = [i for i in results["sample"].issues if i.latent_basis == "indicator"]
    assert indicator and severity(indicator[0]) == "高"


def test_xlsx_reads_back_with_headers_filter_and_frozen_row(results) -> None:  # type: ignore[no-untyped-def]
    items = renumber(unit_items(results["good"]) + unit_items(results["sample"]))
    data = write_checklist_xlsx([("个性问题清单", items)])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["个性问题清单"]
    assert [c.value for c in ws[1]] == [h for _, h, _ in COLUMNS]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.max_row == len(items) + 1
    assert ws.cell(row=2, column=1).value == 1 and ws.cell(row=2, column=4).value == "安平县水利局"
    assert ws.column_dimensions["E"].width >= 40


def test_xlsx_shows_the_chinese_words_for_statuses_and_followups(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.checklist.status import change_status, record_followup

    first, second = unit_items(results["good"])[:2]
    for to, note in (("in_progress", ""), ("for_acceptance", ""), ("closed", "验收合格")):
        first = change_status(first, to, "张审核", note)
    first = record_followup(first, "sham", "督察组")
    ws = openpyxl.load_workbook(io.BytesIO(write_checklist_xlsx([("清单", [first, second])])))["清单"]
    column = {h: k for k, (_, h, _) in enumerate(COLUMNS, start=1)}
    assert [ws.cell(row=r, column=column["整改状态"]).value for r in (2, 3)] == ["整改中", "未启动"]
    assert ws.cell(row=2, column=column["回头看结果"]).value == "虚假整改"
    assert ws.cell(row=3, column=column["回头看结果"]).value is None


def test_checkup_and_letters_read_back(results) -> None:  # type: ignore[no-untyped-def]
    checkup = docx.Document(io.BytesIO(checkup_docx(unit_checklist(results["sample"], "2024年度评议"))))
    text = "\n".join(p.text for p in checkup.paragraphs)
    assert "法治体检单" in text and "问题清单" in text
    assert len(checkup.tables[0].rows) == len(results["sample"].issues) + 1
    revise = docx.Document(io.BytesIO(letter_docx(results["sample"])))
    body = "\n".join(p.text for p in revise.paragraphs)
    assert "修改建议函" in body and "桐山县司法局：" in body
    assert all(r.message[:10] in body for r in results["sample"].verdict.reasons)
    ret = docx.Document(io.BytesIO(letter_docx(results["brag"])))
    assert [p.text for p in ret.paragraphs if p.text.startswith("关于")][0].startswith("关于退回")
    with pytest.raises(ValueError):
        letter_docx(results["good"])
