"""Word documents: the 法治体检单 of a unit, the 修改建议函 (revise) and the 退回重写通知 (return)."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from nlp.doc import AnalysisResult, UnitChecklist
from nlp.glossary import DECISIONS, KINDS
from nlp.report.excel import WORDS

FONT = "仿宋"  # the body font of official letters; Word substitutes when it is absent
MAX_QUOTE = 80


def _document():  # type: ignore[no-untyped-def]
    """A fresh document with our body font: a deep copy of one built once (python-docx parses its whole
    default template on every ``Document()``; copying is about twice as fast)."""
    import copy

    return copy.deepcopy(_base_document())


@lru_cache(maxsize=1)
def _base_document():  # type: ignore[no-untyped-def]
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return d


def _title(d, text: str) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(20)


def _save(d) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _quote(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + "……"


def checkup_docx(checklist: UnitChecklist) -> bytes:
    """法治体检单: verdict, strengths, and the problem table of one unit."""
    d = _document()
    _title(d, f"{checklist.unit}法治体检单")
    d.add_paragraph(f"批次：{checklist.round or '—'}　　文件：{checklist.document}　　预审结论：{DECISIONS[checklist.decision]}")
    d.add_heading("一、主要亮点", level=2)
    for s in checklist.strengths or ("（未识别）",):
        d.add_paragraph(s, style="List Bullet")
    d.add_heading("二、问题清单", level=2)
    table = d.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, ("序号", "问题", "领域", "显性/隐性", "共性/个性", "整改措施与时限"), strict=True):
        cell.text = text
    for item in checklist.items:
        row = table.add_row().cells
        row[0].text = str(item.number)
        row[1].text = item.text
        row[2].text = item.domain_name
        row[3].text = WORDS[item.visibility] + (f"（{WORDS[item.latent_basis]}）" if item.latent_basis else "")
        row[4].text = WORDS.get(item.scope or "", "—")
        row[5].text = f"{item.measure or '未提出对应措施'}｜{item.deadline or '—'}"
    _widths(table, (1.0, 5.2, 2.6, 1.9, 1.6, 4.7))
    d.add_heading("三、预审意见", level=2)
    for reason in checklist.reasons or ():
        d.add_paragraph(reason.message)
    if not checklist.reasons:
        d.add_paragraph("报告内容较为完整，查摆问题具体，请按清单抓好整改落实。")
    return _save(d)


def letter_docx(result: AnalysisResult, office: str = "依法治理办公室", deadline_days: int = 10,
                today: date | None = None) -> bytes:
    """修改建议函 for a revise verdict, 退回重写通知 for a return; refuses a pass verdict."""
    decision = result.verdict.decision
    if decision == "pass":
        raise ValueError("a passed report gets no letter")
    doc = result.document
    unit = doc.unit or "报告单位"
    kind = KINDS.get(doc.kind, "报告")
    today = today or date.today()
    d = _document()
    if decision == "revise":
        _title(d, f"关于{unit}{doc.year or ''}年度{kind}的修改建议函")
        opening = (f"经预审，你单位报送的《{doc.title or doc.filename}》总体上反映了本年度法治建设工作情况，"
                   "但对照有关要求，还存在以下需要修改完善的地方：")
        closing = f"请对照上述意见认真修改完善，于{deadline_days}个工作日内重新报送。"
    else:
        _title(d, f"关于退回{unit}{doc.year or ''}年度{kind}的通知")
        opening = f"经预审，你单位报送的《{doc.title or doc.filename}》存在以下问题，不符合报送要求，现予退回："
        closing = f"请严格按照要求重新撰写，如实查摆问题、深入剖析原因、明确整改措施，于{deadline_days}个工作日内重新报送。"
    d.add_paragraph(f"{unit}：")
    _body(d, opening)
    for k, reason in enumerate(result.verdict.reasons, start=1):
        _body(d, f"{_ordinal(k)}{reason.message}")
        for span in reason.evidence[:3]:
            quote = d.add_paragraph(f"原文：“{_quote(span.text)}”")
            quote.paragraph_format.left_indent = _indent()
            quote.paragraph_format.first_line_indent = _indent()
    _body(d, closing)
    d.add_paragraph("")
    sign = d.add_paragraph(f"{office}\n{today.year}年{today.month}月{today.day}日")
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _save(d)


def _widths(table, cm: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm

    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=True):
            cell.width = Cm(width)  # the cells, which Word reads


def _body(d, text: str):  # type: ignore[no-untyped-def]
    """A body paragraph with the two-character first-line indent of official letters."""
    p = d.add_paragraph(text)
    p.paragraph_format.first_line_indent = _indent()
    return p


def _indent():  # type: ignore[no-untyped-def]
    from docx.shared import Pt

    return Pt(28)


def _ordinal(k: int) -> str:
    digits = "一二三四五六七八九十"
    return f"{digits[k - 1] if k <= 10 else k}、"
