"""What the report page shows a reviewer beside the analysis: the sentences to confirm first (待确认) and the
history of corrections in Chinese words (更正记录).

Pure functions of an ``AnalysisResult`` and the correction history (``api.corrections.history``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nlp import glossary
from nlp.doc import AnalysisResult, Document, Sentence
from nlp.taxonomy import load_taxonomy

UNCERTAIN = 10  # how many of the least sure sentences the page lists under 待确认
UNKNOWN_UNIT = "未识别"  # the pages' placeholder for a unit not found (``api.letters.UNKNOWN_UNIT``)


def unit_known(doc: Document) -> bool:
    """True when the report names its unit: a letter can be addressed (``api.letters.require_unit``)."""
    unit = (doc.unit or "").strip()
    return bool(unit) and UNKNOWN_UNIT not in unit


def corrected_sentences(history: Sequence[dict[str, Any]]) -> set[int]:
    """The sentences a reviewer gave a role to."""
    return {int(h["after"]["i"]) for h in history if h["target"] == "sentence" and "i" in h["after"]}


def uncertain_sentences(result: AnalysisResult, history: Sequence[dict[str, Any]],
                        limit: int = UNCERTAIN) -> list[Sentence]:
    """The sentences the model is least sure of (lowest ``score`` first) that no reviewer has corrected."""
    done = corrected_sentences(history)
    open_ = [s for s in result.sentences if s.score is not None and s.i not in done]
    return sorted(open_, key=lambda s: (s.score, s.i))[:limit]


@dataclass(frozen=True)
class HistoryLine:
    """One correction as the page lists it."""

    at: str
    by: str
    what: str  # 问题“…” / 第12句 / 预审结论 …
    changes: tuple[tuple[str, str | None, str], ...]  # (field, before, after) in Chinese words; before None: added
    note: str


def _words(field: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if field == "dismissed":
        return glossary.DISMISSED.get(bool(value), str(value))
    tables: dict[str, dict[str, str]] = {"label": glossary.LABELS, "kind": glossary.KINDS,
                                         "visibility": glossary.VISIBILITY, "scope": glossary.SCOPE,
                                         "decision": glossary.DECISIONS_SHORT}
    if field == "domain":
        return load_taxonomy().name(str(value))
    return tables.get(field, {}).get(str(value), str(value))


def _subject(entry: dict[str, Any], issue_texts: dict[str, str]) -> str:
    target = entry["target"]
    name = glossary.CORRECTION_TARGETS.get(target, target)
    if target == "sentence":
        return f"{name}（第{int(entry['after'].get('i', 0)) + 1}句）"
    if target == "verdict" and entry["after"].get("decision") is None:
        return glossary.VERDICT_WITHDRAWN
    if target in ("issue", "added_issue"):
        text = issue_texts.get(entry.get("issue_id") or "") or entry["after"].get("text") or ""
        return f"{name}“{text[:40]}{'…' if len(text) > 40 else ''}”" if text else name
    return name


def history_lines(history: Sequence[dict[str, Any]], issue_texts: dict[str, str]) -> list[HistoryLine]:
    """The corrections in Chinese: who, when, what, before → after. ``issue_texts``: checklist row id → the
    issue's text now."""
    return [HistoryLine(h["at"], h["by"], _subject(h, issue_texts), _changes(h), h.get("note") or "")
            for h in history]


def _changes(h: dict[str, Any]) -> tuple[tuple[str, str | None, str], ...]:
    """A correction's fields, before → after, in Chinese words (``api/static/app.js`` says them the same way)."""
    before, after = h["before"], h["after"]
    fields = [k for k in after if k in glossary.CORRECTION_FIELDS and k != "i"]
    if h["target"] == "added_issue":
        fields = [k for k in ("text", "domain", "visibility") if k in after]
        before = {}
    if h["target"] == "verdict" and after.get("decision") is None:  # withdrawn: back to the machine's
        return ((glossary.CORRECTION_FIELDS["decision"], _words("decision", before.get("decision")),
                 glossary.MACHINE_DECISION),)
    return tuple((glossary.CORRECTION_FIELDS[k], _words(k, before.get(k)) if k in before else None,
                  _words(k, after.get(k))) for k in fields
                 if not (k == "reason" and not after.get("dismissed", True)))


def story_lines(story: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """An issue's history (``api.corrections.issue_stories``) as the checklist lists it: each correction with what
    was done (``what``) and its ``changes`` in Chinese words; status changes as they are."""
    return [e | {"what": glossary.CORRECTION_TARGETS.get(e["target"], e["target"]), "changes": _changes(e)}
            if e["kind"] == "correction" else e for e in story]
