"""Turn annotated corpus documents into classifier inputs, with the same section roles parsing gives
(``nlp.classify.features.parsed_inputs`` is the inference side)."""

from __future__ import annotations

from nlp.classify.features import SentenceInput, parsed_inputs
from nlp.doc import Sentence
from nlp.segment.sections import build_sections, section_at
from nlp.training.corpus.schema import AnnotatedDocument


def document_inputs(doc: AnnotatedDocument) -> tuple[list[SentenceInput], list[str]]:
    """(inputs, gold labels) for every sentence of one annotated document, each with its part of the report as
    parsing gives it (heading, or a problems paragraph opened by a lead-in)."""
    sections = build_sections(doc.text, [(h.start, h.end, h.level) for h in doc.headings])
    starts = [s.start for s in sections]
    sentences = [Sentence(i=k, start=s.start, end=s.end, text=doc.text[s.start:s.end], speaker=s.speaker,
                          section=section_at(sections, s.start, starts)) for k, s in enumerate(doc.sentences)]
    return parsed_inputs(doc.text, doc.kind, sections, sentences), [s.label for s in doc.sentences]


def corpus_inputs(docs: list[AnnotatedDocument]) -> tuple[list[SentenceInput], list[str], list[str]]:
    """(inputs, labels, document id per sentence) over many documents."""
    inputs, labels, ids = [], [], []
    for doc in docs:
        x, y = document_inputs(doc)
        inputs += x
        labels += y
        ids += [doc.id] * len(x)
    return inputs, labels, ids
