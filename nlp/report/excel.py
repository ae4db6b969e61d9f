"""Checklists as the Excel sheets inspectors use: Chinese headers, filters, frozen header row, widths."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from nlp.doc import ChecklistItem, CommonProblem

# fmt: off
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("number", "序号", 6), ("round", "批次", 12), ("source", "来源", 10), ("unit", "单位", 22),
    ("original", "原文表述", 50), ("document", "文件", 18), ("page", "页码", 6), ("text", "问题（规范表述）", 40),
    ("domain_name", "问题领域", 20), ("visibility", "显性/隐性", 10), ("latent_basis", "隐性依据", 10),
    ("scope", "共性/个性", 10), ("common_group", "所属共性问题", 14), ("severity", "严重程度", 8),
    ("responsible_unit", "责任单位", 18), ("responsible_person", "责任人", 10), ("measure", "整改措施", 40),
    ("target", "整改目标", 20), ("deadline", "整改时限", 14), ("status", "整改状态", 12),
    ("acceptance_note", "验收意见", 20), ("acceptance_date", "验收日期", 12), ("followup", "回头看结果", 10),
)
WORDS = {
    "explicit": "显性", "latent": "隐性", "common": "共性", "specific": "个性", "hedged": "表述弱化", "indicator": "指标预警",
    "omission": "必备内容缺失", "cross_source": "谈话反映", "self_report": "自查报告", "interview": "谈话", "feedback": "督察反馈",
}
# fmt: on


def _cell(item: ChecklistItem, field: str) -> object:
    value = getattr(item, field)
    return WORDS.get(value, value) if isinstance(value, str) else value


def item_rows(items: Iterable[ChecklistItem]) -> list[list[object]]:
    return [[_cell(item, f) for f, _, _ in COLUMNS] for item in items]


def write_checklist_xlsx(sheets: Sequence[tuple[str, Iterable[ChecklistItem]]],
                         common: Sequence[CommonProblem] = ()) -> bytes:
    """An .xlsx with one sheet per (title, items), plus the 共性问题清单 summary when ``common`` is given."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: openpyxl compares each new one

    def sheet(title: str, headers: Sequence[tuple[str, int]], rows: list[list[object]]) -> None:
        ws = wb.create_sheet(title[:31])
        ws.append([h for h, _ in headers])
        for row in rows:
            ws.append(row)
        for col, (_, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
            ws.cell(row=1, column=col).font = header_font
            ws.cell(row=1, column=col).fill = header_fill
        # only the long-text columns wrap: a style on every cell made large rounds take minutes
        wide = [col for col, (_, width) in enumerate(headers, start=1) if width >= 40]
        for col in wide:
            for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                c.alignment = wrap
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    if common:
        sheet("共性问题清单", [("序号", 6), ("共性问题", 50), ("问题领域", 20), ("涉及单位数", 10), ("涉及单位", 60)],
              [[k, c.text, c.domain_name, len(c.units), "、".join(c.units)] for k, c in enumerate(common, start=1)])
    for title, items in sheets:
        sheet(title, [(h, w) for _, h, w in COLUMNS], item_rows(items))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def checklist_csv(items: Iterable[ChecklistItem]) -> str:
    """The same columns as CSV (UTF-8 with BOM, so Excel opens Chinese correctly)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([h for _, h, _ in COLUMNS])
    writer.writerows(item_rows(items))
    return buf.getvalue()
