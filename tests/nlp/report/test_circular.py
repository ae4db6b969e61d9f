"""The round as a 督察 circular (``nlp.report.circular``) and the Excel 共性问题清单 written from it."""

from __future__ import annotations

import io

import openpyxl

from nlp.doc import ChecklistItem, CommonProblem, Recurrence
from nlp.report.circular import circular
from nlp.report.excel import write_checklist_xlsx

ROUND = "2025年度述法评议"
CERT = CommonProblem(id="T-le_certification", text="执法人员持证上岗管理不到位", domain="law_enforcement",
                     domain_name="行政执法", units=("甲县", "乙县", "丙县"), members=("a1", "b1", "c1"),
                     problem_type="le_certification")
FILING = CommonProblem(id="T-nd_filing", text="规范性文件备案审查不及时", domain="normative_documents",
                       domain_name="规范性文件", units=("乙县", "甲县", "丙县", "丁县"), members=("a2", "b2", "c2", "d2"),
                       problem_type="nd_filing")


def item(issue: str, unit: str | None, text: str, group: CommonProblem | None = None, page: int | None = None,
         recurring: Recurrence | None = None) -> ChecklistItem:
    return ChecklistItem(number=1, issue_id=issue, round=ROUND, unit=unit, document=f"{unit or '无名'}.pdf",
                         original=f"原文：{text}。", page=page, text=text, domain="law_enforcement",
                         domain_name="行政执法", visibility="explicit", scope="common" if group else "specific",
                         common_group=group.id if group else None, recurring=recurring)


LAST_YEAR = Recurrence(round="2024年度述法评议", text="执法证件管理混乱", problem_type="le_certification")
ITEMS = [
    item("c1", "丙县", "个别执法人员未取得执法证即上岗", CERT),
    item("a1", "甲县", "少数执法人员无证执法", CERT, page=3, recurring=LAST_YEAR),
    item("a2", "甲县", "规范性文件报备超过时限", FILING),
    item("b1", "乙县", "执法证件年审不及时", CERT),
    item("b2", "乙县", "两件规范性文件未按时报送备案", FILING, page=7),
    item("c2", "丙县", "文件备案材料不齐全", FILING),
    item("d2", "丁县", "备案审查滞后", FILING).model_copy(update={"original": "备案审查滞后"}),
    item("a3", "甲县", "行政复议答复期限超期", page=5),
    item("x1", None, "政务公开栏目更新不及时"),
    item("a3", "甲县", "行政复议答复期限超期", page=5),  # listed twice: shown once
]


def test_common_problems_come_first_with_each_unit_s_wording_then_the_specific_ones() -> None:
    c = circular([FILING, CERT], ITEMS)
    assert [p.problem.title for p in c.common] == ["规范性文件备案审查不及时", "执法人员持证上岗管理不到位"]
    assert [(u.unit, [i.text for i in u.items]) for u in c.common[1].units] == [
        ("甲县", ["少数执法人员无证执法"]), ("乙县", ["执法证件年审不及时"]), ("丙县", ["个别执法人员未取得执法证即上岗"])]
    assert [u.unit for u in c.common[0].units] == ["乙县", "甲县", "丙县", "丁县"]  # the problem's own order
    assert (c.common[1].recurring_units, c.common[0].recurring_units, c.recurring) == (1, 0, 1)
    assert [(u.unit, [i.issue_id for i in u.items]) for u in c.specific] == [("无名.pdf", ["x1"]), ("甲县", ["a3"])]


def test_a_row_of_a_group_no_longer_common_is_its_unit_s_specific_problem() -> None:
    c = circular([CERT], ITEMS)
    assert {i.issue_id for u in c.specific for i in u.items} == {"a2", "b2", "c2", "d2", "a3", "x1"}


def test_the_excel_common_sheet_reads_as_a_circular() -> None:
    data = write_checklist_xlsx([("个性问题清单", [i for i in ITEMS if i.scope != "common"]),
                                 ("共性问题明细", [i for i in ITEMS if i.scope == "common"])], [FILING, CERT])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["共性问题清单", "个性问题清单", "共性问题明细"]
    ws = wb["共性问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["序号", "共性问题", "问题领域", "涉及单位数", "涉及单位", "单位表述", "原文（页码）", "屡改屡犯"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    col = {h: k for k, h in enumerate(header)}
    titles = [r[col["共性问题"]] for r in rows if r[col["共性问题"]]]
    assert titles == ["一、共性问题", "规范性文件备案审查不及时", "执法人员持证上岗管理不到位", "二、个性问题"]
    first = rows.index(next(r for r in rows if r[col["共性问题"]] == "规范性文件备案审查不及时"))
    assert rows[first][col["涉及单位数"]] == 4 and rows[first][col["涉及单位"]] == "乙县、甲县、丙县、丁县"
    assert [(r[0], r[col["涉及单位"]], r[col["单位表述"]]) for r in rows[first + 1:first + 5]] == [
        ("1.1", "乙县", "两件规范性文件未按时报送备案"), ("1.2", "甲县", "规范性文件报备超过时限"),
        ("1.3", "丙县", "文件备案材料不齐全"), ("1.4", "丁县", "备案审查滞后")]
    assert rows[first + 1][col["原文（页码）"]] == "原文：两件规范性文件未按时报送备案。（第7页）"
    assert rows[first + 2][col["原文（页码）"]] == "原文：规范性文件报备超过时限。"  # no page known: none said
    assert rows[first + 4][col["原文（页码）"]] is None  # the quote is the wording itself: not said twice
    cert = rows.index(next(r for r in rows if r[col["共性问题"]] == "执法人员持证上岗管理不到位"))
    assert rows[cert][col["屡改屡犯"]] == "1个单位屡改屡犯"
    assert rows[cert + 1][col["屡改屡犯"]] == "屡改屡犯：2024年度述法评议已查摆“执法证件管理混乱”"
    assert rows[cert + 2][col["屡改屡犯"]] is None
    specific = rows[rows.index(next(r for r in rows if r[col["共性问题"]] == "二、个性问题")) + 1:]
    assert [(r[0], r[col["涉及单位"]], r[col["单位表述"]]) for r in specific] == [
        (1, "无名.pdf", None), ("1.1", "无名.pdf", "政务公开栏目更新不及时"),
        (2, "甲县", None), ("2.1", "甲县", "行政复议答复期限超期")]
    bold = [r for r in ws.iter_rows(min_row=2) if r[1].font.b or r[0].font.b]
    assert len(bold) == 6  # two section titles, two problems, two units
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
