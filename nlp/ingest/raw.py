"""What a format reader hands to normalization: lines with their page and a heading hint."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawLine:
    """One line (PDF) or paragraph (DOCX, HTML, TXT) of extracted text.

    ``heading`` is a level hint from the source's own structure (a Word heading style, a bold short
    paragraph): 0 for the document title, 1–4 for headings, None when the source says nothing.
    """

    text: str
    page: int | None = None
    heading: int | None = None


@dataclass
class RawDocument:
    """A file turned into lines, before any repair."""

    lines: list[RawLine]
    media_type: str
    pages: int | None = None
    wrapped: bool = False  # lines are visual lines (PDF, hard-wrapped TXT), not paragraphs
    warnings: list[str] = field(default_factory=list)
