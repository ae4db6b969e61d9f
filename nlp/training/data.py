"""Turn annotated corpus documents into classifier inputs, with the same section roles parsing gives
(``nlp.classify.features.parsed_inputs`` is the inference side)."""

from __future__ import annotations

from nlp.classify.features import SentenceInput
from nlp.segment.sections import build_sections, section_at
from nlp.training.corpus.schema import AnnotatedDocument


def document_inputs(doc: AnnotatedDocument) -> tuple[list[SentenceInput], list[str]]:
    """(inputs, gold labels) for every sentence of one annotated document."""
    sections = build_sections(doc.text, [(h.start, h.end, h.level) for h in doc.headings])
    starts = [s.start for s in sections]
    n = max(len(doc.text), 1)
    inputs, labels = [], []
    for s in doc.sentences:
        k = section_at(sections, s.start, starts)
        role = sections[k].role if k is not None else None
        inputs.append(SentenceInput(doc.text[s.start:s.end], role, doc.kind, s.start / n, s.speaker))
        labels.append(s.label)
    return inputs, labels


def corpus_inputs(docs: list[AnnotatedDocument]) -> tuple[list[SentenceInput], list[str], list[str]]:
    """(inputs, labels, document id per sentence) over many documents."""
    inputs, labels, ids = [], [], []
    for doc in docs:
        x, y = document_inputs(doc)
        inputs += x
        labels += y
        ids += [doc.id] * len(x)
    return inputs, labels, ids
