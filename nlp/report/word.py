"""Word documents: the 法治体检单 of a unit, the 修改建议函 (revise) and the 退回重写通知 (return)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

from nlp.doc import AnalysisResult, UnitChecklist
from nlp.glossary import DECISIONS, KINDS, LATENT_BASIS, SCOPE, VISIBILITY

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
        row[3].text = VISIBILITY[item.visibility] + (f"（{LATENT_BASIS[item.latent_basis]}）" if item.latent_basis else "")
        row[4].text = SCOPE.get(item.scope or "", "—")
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
    if decision == "revise":
        title = f"关于{unit}{doc.year or ''}年度{kind}的修改建议函"
        opening = (f"经预审，你单位报送的《{doc.title or doc.filename}》总体上反映了本年度法治建设工作情况，"
                   "但对照有关要求，还存在以下需要修改完善的地方：")
        closing = f"请对照上述意见认真修改完善，于{deadline_days}个工作日内重新报送。"
    else:
        title = f"关于退回{unit}{doc.year or ''}年度{kind}的通知"
        opening = f"经预审，你单位报送的《{doc.title or doc.filename}》存在以下问题，不符合报送要求，现予退回："
        closing = f"请严格按照要求重新撰写，如实查摆问题、深入剖析原因、明确整改措施，于{deadline_days}个工作日内重新报送。"
    body = [_paragraph(title, _CENTER, _TITLE_RUN), _paragraph(f"{unit}："), _paragraph(opening, _INDENT)]
    for k, reason in enumerate(result.verdict.reasons, start=1):
        body.append(_paragraph(f"{_ordinal(k)}{reason.message}", _INDENT))
        body += [_paragraph(f"原文：“{_quote(span.text)}”", _QUOTE_INDENT) for span in reason.evidence[:3]]
    body += [_paragraph(closing, _INDENT), _paragraph(""),
             _paragraph(f"{office}\n{today.year}年{today.month}月{today.day}日", _RIGHT)]
    return _letter_package("".join(body))


# A letter used to be built and saved with python-docx: 30 ms, most of it re-serialising and re-compressing
# every part of the package (styles.xml alone is 350 kB) and python-docx's element machinery. A batch writes
# hundreds, so a letter is now its word/document.xml written directly (the XML python-docx writes for the same
# paragraphs, checked by the tests) appended to the base document's other parts, compressed once: 0.5 ms.
_CENTER = '<w:pPr><w:jc w:val="center"/></w:pPr>'
_RIGHT = '<w:pPr><w:jc w:val="right"/></w:pPr>'
_TWIPS = 28 * 20  # the two-character (28 pt) indent, in twentieths of a point
_INDENT = f'<w:pPr><w:ind w:firstLine="{_TWIPS}"/></w:pPr>'
_QUOTE_INDENT = f'<w:pPr><w:ind w:left="{_TWIPS}" w:firstLine="{_TWIPS}"/></w:pPr>'
_TITLE_RUN = '<w:rPr><w:b/><w:sz w:val="40"/></w:rPr>'  # bold, 20 pt (half-points)
_RUN_BREAKS = re.compile(r"([\t\r\n])")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # refused by XML 1.0 (python-docx raised on them)


def _paragraph(text: str, ppr: str = "", rpr: str = "") -> str:
    """One paragraph with one run, as python-docx writes ``add_paragraph(text)``: a tab becomes <w:tab/>,
    a line break <w:br/>, and a text with outer spaces keeps them (xml:space)."""
    if not text:
        return f"<w:p>{ppr}</w:p>" if ppr else "<w:p/>"
    content = []
    for piece in _RUN_BREAKS.split(_NOT_XML.sub("", text)):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:p>{ppr}<w:r>{rpr}{''.join(content)}</w:r></w:p>"


@lru_cache(maxsize=1)
def _letter_template() -> tuple[bytes, zipfile.ZipInfo, str, str]:
    """The base document's parts but word/document.xml (compressed once), that part's entry, and its XML
    before and after the body's paragraphs."""
    from docx.opc.oxml import serialize_part_xml

    base = _document()
    saved = zipfile.ZipFile(io.BytesIO(_save(base)))
    buf = io.BytesIO()
    main = None
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in saved.infolist():
            if info.filename == "word/document.xml":
                main = info
            else:
                out.writestr(info, saved.read(info))
    assert main is not None
    xml = serialize_part_xml(base.element).decode("utf-8")
    split = xml.index("<w:sectPr")  # the empty body holds only the section properties
    return buf.getvalue(), main, xml[:split], xml[split:]


def _letter_package(body: str) -> bytes:
    parts, main, before, after = _letter_template()
    buf = io.BytesIO(parts)
    with zipfile.ZipFile(buf, "a") as out:
        out.writestr(main, (before + body + after).encode("utf-8"))
    return buf.getvalue()


def _widths(table, cm: tuple[float, ...]) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm

    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=True):
            cell.width = Cm(width)  # the cells, which Word reads


def _ordinal(k: int) -> str:
    digits = "一二三四五六七八九十"
    return f"{digits[k - 1] if k <= 10 else k}、"
