"""Document → sections and sentences (unlabelled), with exact offsets into ``Document.text``."""

from __future__ import annotations

from collections.abc import Mapping

from nlp.doc import Document, Kind, ParsedDocument, Section, Sentence
from nlp.segment.meta import detect_kind, detect_unit, detect_year
from nlp.segment.sections import Line, build_sections, find_headings, find_title, iter_lines, section_at
from nlp.segment.sentences import iter_sentence_spans
from nlp.segment.transcript import Turn, find_turns, names_to_hide, pseudonyms, redact, speaker_at
from nlp.text.turns import ROLE_MARKERS


def segment(doc: Document, hints: Mapping[int, int] | None = None, *, kind: str | None = None,
            unit: str | None = None, year: int | None = None) -> ParsedDocument:
    """Find title, headings, sections and sentences; fill kind, unit and year unless given."""
    hints = hints or {}
    kind = kind or detect_kind(doc.text[: doc.text.find("\n")] if "\n" in doc.text else doc.text, doc.text)
    turns: list[Turn] = []
    if kind == Kind.TRANSCRIPT:
        turns = find_turns(doc.text)
        names = names_to_hide(doc.text, turns)
        if names:
            doc = doc.model_copy(update={"text": redact(doc.text, names), "warnings": (
                *doc.warnings, f"谈话记录中的{len(names)}个人名已隐去，发言人以编号和身份代替。")})
    title_line = find_title(doc.text, hints)
    title = doc.text[title_line.start:title_line.end] if title_line else None
    headings = find_headings(doc.text, hints, skip=title_line)
    sections = build_sections(doc.text, headings)
    sentences = split_sentences(doc.text, headings, sections, title_line)
    if turns:
        sentences = _with_speakers(sentences, turns)
    doc = doc.model_copy(update={
        "title": title,
        "kind": kind if kind != "other" else detect_kind(title, doc.text),
        "unit": unit or detect_unit(title, doc.text),
        "year": year or detect_year(title, doc.text),
    })
    return ParsedDocument(document=doc, sections=tuple(sections), sentences=tuple(sentences))


def _with_speakers(sentences: list[Sentence], turns: list[Turn]) -> list[Sentence]:
    ids = pseudonyms(turns)
    out = []
    for s in sentences:
        turn = speaker_at(turns, s.start)
        label = None
        if turn is not None:
            label = ids[turn.speaker] + (f"（{turn.role}）" if turn.role and turn.speaker not in ROLE_MARKERS else "")
        out.append(s.model_copy(update={"speaker": label}))
    return out


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
