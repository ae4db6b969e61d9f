"""Document → sections and sentences (unlabelled), with exact offsets into ``Document.text``."""

from __future__ import annotations

from collections.abc import Mapping

from nlp.doc import Document, ParsedDocument, Section, Sentence
from nlp.segment.meta import detect_kind, detect_unit, detect_year
from nlp.segment.sections import Line, build_sections, find_headings, find_title, iter_lines, section_at
from nlp.segment.sentences import iter_sentence_spans


def segment(doc: Document, hints: Mapping[int, int] | None = None, *, kind: str | None = None,
            unit: str | None = None, year: int | None = None) -> ParsedDocument:
    """Find title, headings, sections and sentences; fill kind, unit and year unless given."""
    hints = hints or {}
    title_line = find_title(doc.text, hints)
    title = doc.text[title_line.start:title_line.end] if title_line else None
    headings = find_headings(doc.text, hints, skip=title_line)
    sections = build_sections(doc.text, headings)
    sentences = split_sentences(doc.text, headings, sections, title_line)
    doc = doc.model_copy(update={
        "title": title,
        "kind": kind or detect_kind(title, doc.text),
        "unit": unit or detect_unit(title, doc.text),
        "year": year or detect_year(title, doc.text),
    })
    return ParsedDocument(document=doc, sections=tuple(sections), sentences=tuple(sentences))


def split_sentences(text: str, headings: list[tuple[int, int, int]], sections: list[Section],
                    title: Line | None) -> list[Sentence]:
    """Body sentences: every sentence of every line, minus the title and heading spans."""
    heading_at = {start: end for start, end, _ in headings}
    starts = [sec.start for sec in sections]
    sentences: list[Sentence] = []
    for line in iter_lines(text):
        if title is not None and line.start == title.start:
            continue
        start = heading_at.get(line.start, line.start)
        for s, e in iter_sentence_spans(text, start, line.end):
            sentences.append(Sentence(i=len(sentences), start=s, end=e, text=text[s:e],
                                      section=section_at(sections, s, starts)))
    return sentences
