"""The only place the order of stages lives."""

from __future__ import annotations

from nlp.config import IngestLimits
from nlp.doc import ParsedDocument
from nlp.ingest import read_document
from nlp.segment import segment


def parse(data: bytes, filename: str, *, limits: IngestLimits | None = None, kind: str | None = None,
          unit: str | None = None, year: int | None = None) -> ParsedDocument:
    """Bytes → Document → sections and sentences.

    Example:
        >>> parsed = parse(open("report.docx", "rb").read(), "report.docx")
        >>> parsed.document.kind, len(parsed.sentences)
    """
    doc, clean = read_document(data, filename, limits)
    return segment(doc, dict(clean.heading_hints), kind=kind, unit=unit, year=year)
