"""What a reviewer sends and opens (issue #19): letters and 体检单 laid out as GB/T 9704-2012, checklists that
print, a 文号 counter that never repeats, and batch outputs a reviewer reads in Chinese."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from nlp.batch.runner import BatchOptions, run_batch
from nlp.batch.state import BatchState
from nlp.checklist.build import unit_checklist
from nlp.doc import CommonProblem, Reason, Span, Verdict
from nlp.pipeline import analyze
from nlp.report.excel import write_checklist_xlsx
from nlp.report.word import LetterHead, checkup_docx, letter_docx, letter_number, letter_title
from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate import GeneratorConfig
from nlp.training.corpus.writer import load_pools, write_generated

HEAD = LetterHead("青海省依法治省办公室", "青法审", "张三", "0971-1234567")
TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def round_out(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A small round, run once as a batch with a letterhead."""
    folder = tmp_path_factory.mktemp("round")
    write_generated(GeneratorConfig(n=6, seed=11, units=6, target_chars=2500, noise_rate=0.1),
                    load_pools(default_corpus_dir()), folder, ["txt"])
    (folder / "reports" / "english.txt").write_text("This report is written in English only. " * 20, encoding="utf-8")
    out = folder / "out"
    run_batch(BatchOptions(input=str(folder / "reports"), out=out, round_name="2026年度述法评议", workers=1,
                           progress=False, head=HEAD))
    return out


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    from nlp.bundle import load_bundle

    data = (Path(__file__).resolve().parents[3] / "nlp" / "data" / "sample_report.txt").read_bytes()
    result = analyze(data, "桐山县司法局.txt", load_bundle())
    return result.model_copy(update={"verdict": Verdict(decision="revise", reasons=result.verdict.reasons)})


def _check_page(d) -> None:  # type: ignore[no-untyped-def]
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert d.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        xml = footer._element.xml
        assert 'w:instr=" PAGE "' in xml and "— " in xml and " —" in xml and f'w:val="{align}"' in xml
        assert 'w:sz w:val="28"' in xml  # 4号


def _fonts_declared(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    for font, fallback in (("仿宋_GB2312", "仿宋"), ("仿宋", "FangSong"), ("方正小标宋简体", "华文中宋")):
        assert re.search(f'w:name="{font}"><w:altName w:val="{fallback}"/>', table)
    assert 'w:eastAsia="方正小标宋简体"' in body and 'w:sz w:val="44"' in body  # the title: 小标宋 2号


def test_letter_is_laid_out_as_the_standard_asks(sample) -> None:  # type: ignore[no-untyped-def]
    data = letter_docx(sample, HEAD, letter_number(HEAD.prefix, 2026, 7), TODAY)
    d = docx.Document(io.BytesIO(data))
    _check_page(d)
    _fonts_declared(data)
    text = [p.text for p in d.paragraphs]
    assert text[0] == "青海省依法治省办公室" and 'w:color w:val="FF0000"' in d.paragraphs[0]._p.xml
    assert "青法审〔2026〕7号" in text and "2026年12月7日" in text and "（联系人：张三，电话：0971-1234567）" in text
    assert "关于桐山县司法局2024年度法治政府建设年度报告的修改建议函" in text
    assert not any("……" in t for t in text)


def test_quotes_are_whole_and_titles_have_no_placeholder(sample) -> None:  # type: ignore[no-untyped-def]
    long = "全年共办理行政复议案件五十二件，" * 8
    doc = sample.document.model_copy(update={"unit": None, "text": long})
    unknown = sample.model_copy(update={"document": doc, "verdict": Verdict(decision="revise", reasons=(
        Reason(code="X", message="请补充。", evidence=(Span(start=0, end=len(long), text=long),)),))})
    text = [p.text for p in docx.Document(io.BytesIO(letter_docx(unknown, HEAD))).paragraphs]
    assert f"“{long}”" in text and "原文：" in text
    assert letter_title(unknown) == f"关于《{doc.title}》的修改建议函"
    bare = unknown.model_copy(update={"document": doc.model_copy(update={"title": None})})
    assert letter_title(bare) == "关于所报报告的修改建议函"
    assert not any("报告单位" in t or doc.filename in t for t in text)


def test_checkup_shows_its_round_number_and_layout(sample) -> None:  # type: ignore[no-untyped-def]
    data = checkup_docx(unit_checklist(sample, "2026年度述法评议"), HEAD, "青法审〔2026〕8号", TODAY)
    d = docx.Document(io.BytesIO(data))
    _check_page(d)
    _fonts_declared(data)
    text = "\n".join(p.text for p in d.paragraphs)
    assert "批次：2026年度述法评议" in text and "青法审〔2026〕8号" in text and "2026年12月7日" in text
    header = d.tables[0].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    no_round = "\n".join(p.text for p in docx.Document(io.BytesIO(checkup_docx(unit_checklist(sample)))).paragraphs)
    assert "批次" not in no_round


def test_checklist_xlsx_prints(sample) -> None:  # type: ignore[no-untyped-def]
    from nlp.checklist.build import unit_items

    items = unit_items(sample, "2026年度述法评议")
    grouped = items[0].model_copy(update={"scope": "common", "common_group": "G-0082cd513bfc"})
    common = [CommonProblem(id="G-0082cd513bfc", text="执法监督不够有力", domain="law_enforcement",
                            domain_name="行政执法", units=("甲", "乙"), members=("a", "b"))]
    data = write_checklist_xlsx([("个性问题清单", items[1:] + items[1:2]), ("共性问题明细", [grouped])], common)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["共性问题清单", "个性问题清单", "共性问题明细"]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2" and ws.auto_filter.ref
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert all(c.alignment.wrap_text for c in ws[1])
    ws = wb["个性问题清单"]
    assert ws.max_row == len(items)  # the item listed twice shows once
    widths = {ws.cell(row=1, column=k).value: ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width
              for k in range(1, ws.max_column + 1)}
    assert widths["显性/隐性"] >= 11 and widths["共性/个性"] >= 11  # 4 characters and a slash: one line
    detail = wb["共性问题明细"]
    column = [c.value for c in detail[1]].index("所属共性问题") + 1
    assert detail.cell(row=2, column=column).value == "执法监督不够有力"
    assert all(f"{name}" in (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
               for name in wb.sheetnames)
    assert "全部问题" not in (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def test_letter_numbers_never_repeat(tmp_path: Path, round_out: Path) -> None:
    state = BatchState(tmp_path / "state.sqlite")
    first = [state.letter_number(f"a{k}.docx", 2026) for k in range(5)]
    state.close()
    state = BatchState(tmp_path / "state.sqlite")  # another run
    assert [state.letter_number(f"a{k}.docx", 2026) for k in range(5)] == first == [1, 2, 3, 4, 5]
    assert state.letter_number("b.docx", 2026) == 6 and state.letter_number("b.docx", 2027) == 1
    # the batch's letters: distinct numbers, and the same ones after a re-run
    numbers = _letter_numbers(round_out)
    assert len(set(numbers.values())) == len(numbers) >= 1
    run_batch(BatchOptions(input=str(round_out.parent / "reports"), out=round_out, round_name="2026年度述法评议",
                           workers=1, progress=False, head=HEAD))
    assert _letter_numbers(round_out) == numbers


def _letter_numbers(out: Path) -> dict[str, str]:
    found = {}
    for path in sorted((out / "letters").glob("*.docx")):
        numbers = [p.text for p in docx.Document(path).paragraphs if re.fullmatch(r"青法审〔\d{4}〕\d+号", p.text)]
        assert len(numbers) == 1, path.name
        found[path.name] = numbers[0]
    return found


ENGLISH = re.compile(r"[A-Za-z]{3,}")
MACHINE_COLUMNS = {"结果文件", "结论代码", "类型代码", "意见代码", "文件"}  # codes and file names


def test_batch_outputs_read_in_chinese(round_out: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((round_out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert not [h for h in rows[0] if ENGLISH.search(h)]
    for row in rows:
        for column, value in row.items():
            if column not in MACHINE_COLUMNS:
                assert not ENGLISH.search(value or ""), (column, value)
    failed = [r for r in rows if r["结论代码"] == "failed"]
    assert failed and failed[0]["意见代码"] == "NOT_CHINESE" and "汉字" in failed[0]["预审意见"]
    wb = openpyxl.load_workbook(round_out / "checklist.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and not value.endswith((".txt", ".docx", ".pdf")):
                    assert not ENGLISH.search(value), (ws.title, value)
    for path in (round_out / "letters").glob("*.docx"):
        for p in docx.Document(path).paragraphs:
            assert not ENGLISH.search(p.text.replace(".txt", "")), (path.name, p.text)


def test_batch_log_lines_are_chinese(tmp_path: Path, round_out: Path) -> None:
    import logging

    from nlp.cli import _ReviewerFormatter

    formatter = _ReviewerFormatter("%(levelname)s %(name)s: %(message)s")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("nlp.batch")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        run_batch(BatchOptions(input=str(round_out.parent / "reports"), out=tmp_path / "out", workers=1,
                               progress=False))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    lines = [line for line in stream.getvalue().splitlines() if line]
    assert lines and all("[批量预审]" in line for line in lines)
    assert not [line for line in lines if ENGLISH.search(line.split("]", 1)[1])]
