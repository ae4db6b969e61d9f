"""DOCX: paragraphs and tables in reading order, heading styles and bold short lines as heading hints."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from nlp.config import IngestLimits
from nlp.errors import ArchiveBombError, CorruptFileError
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import DOCX

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)


def read_docx(data: bytes, limits: IngestLimits) -> RawDocument:
    """Read a DOCX, refusing zip bombs before anything is inflated."""
    _check_zip(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... for broken parts
        raise CorruptFileError(f"unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    return RawDocument(lines=list(_iter_lines(document)), media_type=DOCX)


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


def _iter_lines(document: DocxDocument):  # type: ignore[no-untyped-def]
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                yield RawLine(text, heading=_heading_level(para, text))
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, document))


def _heading_level(para: Paragraph, text: str) -> int | None:
    name = (para.style.name if para.style is not None else "") or ""
    if name.lower() == "title" or name == "标题":
        return 0
    m = _HEADING_STYLE.search(name)
    if m:
        return max(1, int(m.group(1)))
    outline = para._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if outline is not None and outline.get(qn("w:val"), "").isdigit():
        level = int(outline.get(qn("w:val"))) + 1
        return level if level <= 4 else None
    runs = [r for r in para.runs if r.text.strip()]
    if runs and len(text) <= 40 and all(r.bold for r in runs) and text[-1] not in "。；，":
        return 2  # a bold short line: a heading whose level the numbering decides
    return None


def _table_lines(table: Table):  # type: ignore[no-untyped-def]
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if not cells or text != cells[-1]:  # merged cells repeat in python-docx
                cells.append(text)
        line = " | ".join(c for c in cells if c)
        if line:
            yield RawLine(line)
