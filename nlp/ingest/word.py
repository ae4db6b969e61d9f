"""DOCX: paragraphs and tables in reading order, heading styles and bold short lines as heading hints.

The body and style parts are read from the zip and walked with lxml directly, with python-docx's
namespace helpers. Opening the package through ``docx.Document`` parses every XML part eagerly and its
per-paragraph style lookup scans all styles; together they made DOCX ten times slower than TXT.
python-docx remains the writer of DOCX exports.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from docx.oxml.ns import qn
from lxml import etree

from nlp.config import IngestLimits
from nlp.errors import ArchiveBombError, CorruptFileError
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import DOCX

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_VAL = qn("w:val")
_FALSE = {"0", "false", "off"}
# No entity expansion and no network: a DOCX is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def read_docx(data: bytes, limits: IngestLimits) -> RawDocument:
    """Read a DOCX, refusing zip bombs before anything is inflated."""
    _check_zip(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = etree.fromstring(zf.read("word/document.xml"), _PARSER)
            used = {el.get(_VAL, "") for el in root.iter(qn("w:pStyle"))}
            styles = _style_names(zf.read("word/styles.xml"), used) if used and "word/styles.xml" in zf.namelist() else {}
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise CorruptFileError(f"unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    body = root.find(qn("w:body"))
    if body is None:
        raise CorruptFileError("DOCX without a document body")
    return RawDocument(lines=list(_iter_lines(body, styles)), media_type=DOCX)


def _check_zip(data: bytes, limits: IngestLimits) -> None:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFileError(f"broken zip container: {exc}") from exc
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise ArchiveBombError(f"DOCX parts unzip to {total} bytes, over {limits.max_unzipped_bytes}")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise ArchiveBombError(f"part {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1")


_STYLE_NAME = re.compile(rb'<w:style\b[^>]*?w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]*)"')


def _style_names(xml: bytes, used: set[str]) -> dict[str, str]:
    """Names of the paragraph styles the body uses. A regex over the conventional ``w:`` markup reads
    the large styles part in a fraction of a parse; anything unconventional gets a real parse."""
    names = {m.group(1).decode(): m.group(2).decode() for m in _STYLE_NAME.finditer(xml)}
    if used <= names.keys():
        return names
    names = {}
    for style in etree.fromstring(xml, _PARSER).iter(qn("w:style")):
        name = style.find(qn("w:name"))
        names[style.get(qn("w:styleId"), "")] = name.get(_VAL, "") if name is not None else ""
    return names


def _iter_lines(body, styles: dict[str, str]) -> Iterator[RawLine]:  # type: ignore[no-untyped-def]
    for child in body.iterchildren():
        if child.tag == _P:
            text = _text(child).strip()
            if text:
                yield RawLine(text, heading=_heading_level(child, text, styles))
        elif child.tag == _TBL:
            yield from _table_lines(child)


def _text(element) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for node in element.iter(_T, _TAB, _BR, _CR):
        parts.append(node.text or "" if node.tag == _T else " ")
    return "".join(parts)


def _heading_level(p, text: str, styles: dict[str, str]) -> int | None:  # type: ignore[no-untyped-def]
    ppr = p.find(qn("w:pPr"))
    style_id = ppr.find(qn("w:pStyle")) if ppr is not None else None
    name = styles.get(style_id.get(_VAL, ""), style_id.get(_VAL, "")) if style_id is not None else ""
    if name.lower() == "title" or name == "标题":
        return 0
    m = _HEADING_STYLE.search(name)
    if m:
        return max(1, int(m.group(1)))
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if outline is not None and outline.get(_VAL, "").isdigit():
        level = int(outline.get(_VAL)) + 1
        return level if level <= 4 else None
    if len(text) <= 40 and text[-1] not in "。；，" and _all_bold(p):
        return 2  # a bold short line: a heading whose level the numbering decides
    return None


def _all_bold(p) -> bool:  # type: ignore[no-untyped-def]
    runs = [r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(_T)).strip()]
    if not runs:
        return False
    for run in runs:
        b = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is None or b.get(_VAL, "true").lower() in _FALSE:
            return False
    return True


def _table_lines(table) -> Iterator[RawLine]:  # type: ignore[no-untyped-def]
    for row in table.iter(_TR):
        cells: list[str] = []
        for cell in row.iter(_TC):
            text = " ".join(t for t in (_text(p).strip() for p in cell.iter(_P)) if t)
            if not cells or text != cells[-1]:  # vertically merged cells repeat
                cells.append(text)
        line = " | ".join(c for c in cells if c)
        if line:
            yield RawLine(line)
