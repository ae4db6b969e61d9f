"""The annotated-document record of ``corpora/annotated/*.jsonl`` (written by ``corpora/tools/compile_sources.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from nlp.doc import Label

Level = Literal["province", "city", "county", "township", "department"]
CorpusKind = Literal["shufa_report", "annual_report", "self_report", "rectification_report", "feedback", "transcript"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Offsets(_Model):
    start: int
    end: int


class Heading(_Model):
    start: int
    end: int
    level: int
    text: str


class GoldSentence(_Model):
    start: int
    end: int
    label: Label
    speaker: str | None = None


class GoldIssue(_Model):
    id: str
    domain: str
    visibility: Literal["explicit", "latent"]
    latent_basis: Literal["hedged", "indicator", "omission", "cross_source"] | None
    vague: bool
    measure: Offsets | None
    evidence: list[Offsets]
    contra: str | None = None
    group: str | None = None  # generated data: the planted problem group, for common/specific evaluation


class Claim(_Model):
    key: str
    start: int
    end: int


class AnnotatedDocument(_Model):
    """One hand-written document with its gold annotations; offsets point into ``text``."""

    id: str
    batch: str
    kind: CorpusKind
    title: str | None
    unit: str
    level: Level
    year: int
    style: str | None
    verdict: Literal["pass", "revise", "return", "none"]
    reasons: list[str]
    omission: list[str]
    copy_of: str | None
    text: str
    title_span: Offsets | None
    headings: list[Heading]
    sentences: list[GoldSentence]
    issues: list[GoldIssue]
    claims: list[Claim]
    round: str | None = None  # generated data only
    file: str | None = None
    noise: list[str] = []

    @model_validator(mode="after")
    def _spans_inside_text(self) -> AnnotatedDocument:
        n = len(self.text)
        spans = [(s.start, s.end) for s in self.sentences] + [(h.start, h.end) for h in self.headings]
        spans += [(e.start, e.end) for i in self.issues for e in i.evidence]
        spans += [(i.measure.start, i.measure.end) for i in self.issues if i.measure]
        for start, end in spans:
            if not 0 <= start < end <= n:
                raise ValueError(f"{self.id}: span [{start}, {end}) outside a text of {n} characters")
        for h in self.headings:
            if self.text[h.start:h.end] != h.text:
                raise ValueError(f"{self.id}: heading text does not match its span")
        last = -1
        for s in self.sentences:
            if s.start < last:
                raise ValueError(f"{self.id}: sentences overlap or are out of order at {s.start}")
            last = s.end
        return self

    def sentence_text(self, s: GoldSentence | Offsets) -> str:
        return self.text[s.start:s.end]


def load_documents(path: Path) -> list[AnnotatedDocument]:
    """Every annotated document in a JSONL file, or in every ``*.jsonl`` of a folder."""
    return list(iter_documents(path))


def iter_documents(path: Path) -> Iterator[AnnotatedDocument]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        with file.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield AnnotatedDocument.model_validate(json.loads(line))
