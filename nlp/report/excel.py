"""Checklists as the Excel sheets inspectors use: Chinese headers, filters, frozen header row, widths."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from xml.sax.saxutils import escape

from nlp.doc import AnalysisResult, ChecklistItem, CommonProblem, Recurrence
from nlp.glossary import (
    CIRCULAR_SECTIONS,
    DECISIONS_SHORT,
    EARLIER_ROUND,
    FOLLOWUPS,
    ITEM_SOURCES,
    KINDS,
    LATENT_BASIS,
    ON_PAGE,
    RECURRING,
    RECURRING_MARK,
    RECURRING_UNITS,
    SCOPE,
    STATUSES,
    VISIBILITY,
    reason_name,
)
from nlp.report.circular import Circular, circular

# fmt: off
COLUMNS: tuple[tuple[str, str, int], ...] = (  # widths in Excel's units (a Chinese character is about 2)
    ("number", "序号", 6), ("round", "批次", 16), ("source", "来源", 10), ("unit", "单位", 22),
    ("original", "原文表述", 50), ("document", "文件", 20), ("page", "页码", 6), ("text", "问题（规范表述）", 40),
    ("domain_name", "问题领域", 20), ("visibility", "显性/隐性", 12), ("latent_basis", "隐性依据", 14),
    ("scope", "共性/个性", 12), ("common_group", "所属共性问题", 30), ("severity", "严重程度", 10),
    ("responsible_unit", "责任单位", 18), ("responsible_person", "责任人", 10), ("measure", "整改措施", 40),
    ("target", "整改目标", 20), ("deadline", "整改时限", 14), ("status", "整改状态", 14),
    ("acceptance_note", "验收意见", 20), ("acceptance_date", "验收日期", 12), ("followup", "回头看结果", 12),
    ("recurring", RECURRING, 30),
)
COMMON_COLUMNS: tuple[tuple[str, int], ...] = (("序号", 7), ("共性问题", 40), ("问题领域", 16), ("涉及单位数", 11),
                                               ("涉及单位", 36), ("单位表述", 40), ("原文（页码）", 50),
                                               (RECURRING, 30))
COMMON_SHEET = "共性问题清单"  # the round as a 督察 circular (below); the item sheets are named by the caller
VERDICT_COLUMNS: tuple[tuple[str, int], ...] = (("序号", 6), ("文件", 28), ("单位", 22), ("文件类型", 16),
                                                ("预审结论", 10), ("退改理由", 30), ("预审意见", 80))
VERDICT_SHEET = "预审结论"  # one row per report: its verdict and the reasons, named in Chinese
# fmt: on
_COLUMN_WORDS = {"source": ITEM_SOURCES, "visibility": VISIBILITY, "latent_basis": LATENT_BASIS, "scope": SCOPE,
                 "status": STATUSES, "followup": FOLLOWUPS}  # reviewers read the words, never the codes


def _cell(item: ChecklistItem, field: str, groups: Mapping[str, str]) -> object:
    value = getattr(item, field)
    if field == "common_group":  # the group's title, never its id
        return groups.get(value) if value else None
    if field == "recurring":
        return recurring_mark(value)
    words = _COLUMN_WORDS.get(field)
    return words.get(value, value) if words is not None and isinstance(value, str) else value


def recurring_mark(recurring: Recurrence | None) -> str | None:
    """屡改屡犯 and what the unit reported in the earlier round, for a cell; None for a new problem."""
    if recurring is None:
        return None
    return RECURRING_MARK.format(round=recurring.round or EARLIER_ROUND, text=recurring.text)


def item_rows(items: Iterable[ChecklistItem], groups: Mapping[str, str] | None = None) -> list[list[object]]:
    """One row per item, each item once (an item listed twice, by id and place, is shown once)."""
    groups = groups or {}
    seen: set[tuple[object, ...]] = set()
    rows = []
    for item in items:
        key = (item.issue_id, item.unit, item.document, item.start, item.text)
        if key in seen:
            continue
        seen.add(key)
        rows.append([_cell(item, f, groups) for f, _, _ in COLUMNS])
    return rows


def verdict_rows(results: Iterable[AnalysisResult]) -> list[list[object]]:
    """One row per report: file, unit, kind, decision and its reasons (their names, then their messages)."""
    return [[k, r.document.filename, r.document.unit, KINDS.get(r.document.kind, ""),
             DECISIONS_SHORT.get(r.verdict.decision, ""), "；".join(reason_name(x.code) for x in r.verdict.reasons),
             "\n".join(x.message for x in r.verdict.reasons)] for k, r in enumerate(results, start=1)]


def circular_rows(c: Circular) -> tuple[list[list[object]], frozenset[int]]:
    """The 共性问题清单 sheet: 一、共性问题, each (numbered 1, 2, …) with its title, domain, unit count and units, and
    under it each unit's wording, quote and page (1.1, 1.2, …); then 二、个性问题, each unit's rows under its name.
    Returns the rows and the indexes of the heading rows (printed bold)."""
    rows: list[list[object]] = [[None, CIRCULAR_SECTIONS[0], None, None, None, None, None, None]]
    bold = {0}
    for k, p in enumerate(c.common, start=1):
        bold.add(len(rows))
        n = p.recurring_units
        rows.append([k, p.problem.title, p.problem.domain_name, len(p.problem.units), "、".join(p.problem.units), None,
                     None, RECURRING_UNITS.format(n=n) if n else None])
        rows += [[f"{k}.{j}", None, None, None, u.unit, *_wording(i)]
                 for j, (u, i) in enumerate(((u, i) for u in p.units for i in u.items), start=1)]
    if c.specific:
        bold.add(len(rows))
        rows.append([None, CIRCULAR_SECTIONS[1], None, None, None, None, None, None])
    for k, u in enumerate(c.specific, start=1):
        bold.add(len(rows))
        rows.append([k, None, None, len(u.items), u.unit, None, None, None])
        rows += [[f"{k}.{j}", None, i.domain_name, None, u.unit, *_wording(i)] for j, i in enumerate(u.items, start=1)]
    return rows, frozenset(bold)


def _wording(item: ChecklistItem) -> list[object]:
    """A unit's wording, its quote (unless the wording itself) and page when known, and its 屡改屡犯 mark."""
    quote = item.original if item.original != item.text else ""
    if item.page:
        quote += ON_PAGE.format(page=item.page)
    return [item.text, quote or None, recurring_mark(item.recurring)]


def write_checklist_xlsx(sheets: Sequence[tuple[str, Iterable[ChecklistItem]]],
                         common: Sequence[CommonProblem] = (), verdicts: Sequence[AnalysisResult] = ()) -> bytes:
    """An .xlsx with the 共性问题清单 when ``common`` is given (the round as a 督察 circular, ``circular_rows``, from
    the rows of every sheet), then one sheet per (title, items), then the 预审结论 of each report when
    ``verdicts`` are given.

    Every sheet prints: landscape A4 fitted to the page width, the header row repeated on each page, page numbers
    in the footer; on screen, a bold header row frozen on a light-blue fill, a filter over the whole table, and
    text wrapped in widths its headers fit. Written directly as SpreadsheetML (the parts and styles openpyxl
    writes, read back the same by openpyxl): a round of 1,000 reports has ~50,000 rows of 23 columns, which
    openpyxl's cell objects took ~10 s to write."""
    listed = [(title, list(items)) for title, items in sheets]
    tables: list[_Table] = []
    if common:
        rows, bold = circular_rows(circular(common, (i for _, items in listed for i in items)))
        tables.append((COMMON_SHEET, list(COMMON_COLUMNS), rows, bold))
    groups = {c.id: c.text for c in common}
    for title, items in listed:
        tables.append((title[:31], [(h, w) for _, h, w in COLUMNS], item_rows(items, groups), frozenset()))
    if verdicts:
        tables.append((VERDICT_SHEET, list(VERDICT_COLUMNS), verdict_rows(verdicts), frozenset()))
    return _xlsx(tables)


# --- a minimal SpreadsheetML writer ------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OOXML = "application/vnd.openxmlformats-officedocument"
_HEADER, _WRAP, _BOLD = 1, 2, 3  # cell style ids in _STYLES
_Table = tuple[str, list[tuple[str, int]], list[list[object]], frozenset[int]]  # title, headers, rows, bold rows
WRAP_FROM = 14  # columns this wide or wider hold text, which wraps; narrower ones hold codes, numbers and words
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="0"/><fonts count="2"><font><name val="Calibri"/><family val="2"/>'
    '<color theme="1"/><sz val="11"/><scheme val="minor"/></font><font><b val="1"/></font></fonts><fills count="3">'
    '<fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid">'
    '<fgColor rgb="00DDEBF7"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
    '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" applyFont="1" applyFill="1" applyAlignment="1" xfId="0">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1" xfId="0"><alignment vertical="top" '
    'wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1" applyAlignment="1" '
    'xfId="0"><alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0 (openpyxl refuses them)


def _column(k: int) -> str:
    """1 → A, 27 → AA."""
    name = ""
    while k:
        k, rem = divmod(k - 1, 26)
        name = chr(65 + rem) + name
    return name


def _text_cell(ref: str, value: str, style: int) -> str:
    value = _ILLEGAL.sub("", value)
    space = ' xml:space="preserve"' if value != value.strip() and value.strip() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _xml_cell(ref: str, value: object, style: int) -> str:
    if isinstance(value, str):
        return _text_cell(ref, value, style)
    s = f' s="{style}"' if style else ""
    if value is None:  # an empty cell is not written, even in a wrapped column: nothing to wrap
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s} t="n"><v>{value!r}</v></c>'
    return _text_cell(ref, str(value), style)


def _sheet_xml(headers: list[tuple[str, int]], rows: list[list[object]], bold: frozenset[int] = frozenset()) -> str:
    letters = [_column(k) for k in range(1, len(headers) + 1)]
    last = f"{letters[-1]}{len(rows) + 1}"
    styles = [_WRAP if width >= WRAP_FROM else 0 for _, width in headers]  # the text columns wrap
    cols = "".join(f'<col min="{k}" max="{k}" width="{width}" customWidth="1"/>'
                   for k, (_, width) in enumerate(headers, start=1))
    parts = [f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
             '<pageSetUpPr fitToPage="1"/>'
             f'</sheetPr><dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
             'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A1" '
             f'sqref="A1"/></sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
             f'<cols>{cols}</cols><sheetData><row r="1">',
             "".join(_text_cell(f"{col}1", h, _HEADER) for col, (h, _) in zip(letters, headers, strict=True)), "</row>"]
    for r, row in enumerate(rows, start=2):
        parts.append(f'<row r="{r}">')
        parts.append("".join(_xml_cell(f"{col}{r}", value, _BOLD if r - 2 in bold else style)
                             for col, value, style in zip(letters, row, styles, strict=True)))
        parts.append("</row>")
    parts.append(f'</sheetData><autoFilter ref="A1:{last}"/><printOptions horizontalCentered="1" gridLines="1"/>'
                 '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                 '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                 '<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>')
    return "".join(parts)


def _xlsx(tables: list[_Table]) -> bytes:
    import zipfile
    from datetime import datetime

    from openpyxl.writer.theme import theme_xml

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    n = len(tables)
    sheet_type = f"{_OOXML}.spreadsheetml.worksheet+xml"
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_OOXML}.theme+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_OOXML}.extended-properties+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{sheet_type}"/>'
                  for k in range(1, n + 1))
        + f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.spreadsheetml.sheet.main+xml"/>'
        "</Types>")
    rels = (f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
            f'<Relationship Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml" Id="rId2"/>'
            f'<Relationship Type="{_REL}/extended-properties" Target="docProps/app.xml" Id="rId3"/></Relationships>')
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>Microsoft Excel Compatible / prereview</Application></Properties>")
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>prereview</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')
    sheets = "".join(f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{k}" state="visible" r:id="rId{k}"/>'
                     for k, (title, _, _, _) in enumerate(tables, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"{escape(_quoted(title))}!$A$1:${_column(len(headers))}${len(rows) + 1}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{k}">{escape(_quoted(title))}!$1:$1</definedName>'
        for k, (title, headers, rows, _) in enumerate(tables))
    workbook = (f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews><workbookView '
                'visibility="visible" minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" '
                f'tabRatio="600" firstSheet="0" activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{filters}</definedNames>" if filters else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    workbook_rels = (f'<Relationships xmlns="{_PKG_REL}">'
                     + "".join(f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{k}.xml" '
                               f'Id="rId{k}"/>'
                               for k in range(1, n + 1))
                     + f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{n + 1}"/>'
                     f'<Relationship Type="{_REL}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("docProps/app.xml", app)
        z.writestr("docProps/core.xml", core)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/theme/theme1.xml", theme_xml)
        for k, (_, headers, rows, bold) in enumerate(tables, start=1):
            z.writestr(f"xl/worksheets/sheet{k}.xml", _sheet_xml(headers, rows, bold).encode("utf-8", "replace"))
    return buf.getvalue()


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"
