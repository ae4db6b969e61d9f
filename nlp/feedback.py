"""A reviewer's correction as a labelled example: the format ``GET /api/v1/feedback``, ``prereview feedback export``
and ``prereview train --feedback`` share (one JSON object per line).

Each example says what was corrected (``target``), the text it is about, the reviewer's answer and the machine's
original answer, so that training can learn from the answer and evaluation can count what the machine got wrong.

``target`` and the keys of ``answer`` / ``machine``:

- ``sentence``: a sentence's role. ``{"label": "problem"}``; ``context`` says where the sentence stands.
- ``issue``: an issue edited, dismissed or restored, or moved to another group or type. Any of ``text``,
  ``domain``, ``visibility``, ``scope``, ``problem_type``, ``group``, ``dismissed`` (bool) and ``reason``.
- ``added_issue``: a problem the machine missed. ``answer`` as ``issue``; ``machine`` is ``{}``; ``start``/``end``
  are its offsets in the document text.
- ``verdict``: ``{"decision": "revise", "reason": "..."}``; ``{"decision": null}`` withdraws an override.
- ``document``: any of ``unit``, ``kind``, ``year``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Target(StrEnum):
    """What a correction is about."""

    SENTENCE = "sentence"
    ISSUE = "issue"
    ADDED_ISSUE = "added_issue"
    VERDICT = "verdict"
    DOCUMENT = "document"


class SentenceContext(BaseModel):
    """Where a corrected sentence stands: what the classifier sees beside its text (``SentenceInput``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    i: int
    part: str | None = None  # the part of the report it is in (``nlp.segment.parts``)
    position: float = Field(0.0, ge=0.0, le=1.0)
    speaker: str | None = None


class FeedbackExample(BaseModel):
    """One correction, as a labelled example."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True)

    id: str  # the correction's id: stable, so that exporting twice and merging does not count it twice
    at: str  # ISO time of the correction
    by: str  # the reviewer's name
    target: Target
    report_id: str | None = None
    document: str | None = None  # sha256 of the report's bytes
    document_kind: str = "other"  # the document's kind after corrections (shufa_report …)
    unit: str | None = None
    issue_id: str | None = None
    text: str = ""  # the sentence, the issue's text, or the report's title for verdict and document corrections
    start: int | None = None
    end: int | None = None
    context: SentenceContext | None = None
    answer: dict[str, Any] = Field(default_factory=dict)
    machine: dict[str, Any] = Field(default_factory=dict)


def feedback_lines(examples: Iterable[FeedbackExample]) -> Iterator[str]:
    """One JSON line per example (Chinese kept as it is)."""
    for example in examples:
        yield example.model_dump_json() + "\n"


def write_feedback(examples: Iterable[FeedbackExample], path: Path) -> int:
    """Write the examples as JSON lines; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for line in feedback_lines(examples):
            out.write(line)
            n += 1
    return n


def read_feedback(paths: Iterable[Path]) -> list[FeedbackExample]:
    """The examples of one or more JSON-lines files, each correction once (by ``id``; the last one read wins)."""
    found: dict[str, FeedbackExample] = {}
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    example = FeedbackExample.model_validate(json.loads(line))
                except ValueError as err:
                    raise ValueError(f"{path}:{n}: not a feedback line ({err})") from err
                found[example.id] = example
    return list(found.values())
