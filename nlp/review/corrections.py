"""A reviewer's corrections over a stored analysis: the corrected state is a pure function of the two.

The machine's analysis is never changed; the corrections (``Correction``, oldest first) are laid over it by
``apply_corrections``, and the metrics and the verdict are computed again from the corrected sentences and issues.
``target`` takes the codes of ``nlp.feedback.Target``; ``after`` holds, per target:

- ``document``: any of ``unit``, ``kind``, ``year``. A new kind brings that kind's omission checks (the topics it
  must or should cover, ``nlp.extract.omissions``): its omission issues replace the old kind's, and an omission
  issue both kinds have keeps its corrections.
- ``sentence``: ``i`` (the sentence) and ``label``; a reviewer is certain, so the score becomes 1.0.
- ``issue`` (``issue_id`` names it): any of ``text``, ``domain``, ``visibility``, ``scope``, ``problem_type``,
  ``group``, ``dismissed`` with ``reason`` (a dismissed issue stays in the analysis, marked, and is counted
  nowhere), ``dismissed: false`` to restore it. A ``group`` (null: alone) or a ``problem_type`` moves the issue
  (``Issue.moved``): the round step (``nlp.round``) groups it where the reviewer put it, not by its wording.
- ``added_issue``: ``id``, ``start``, ``end`` (offsets into ``document.text``), ``domain``, ``visibility``: a
  problem the machine missed; its evidence is that span, its sentences those the span overlaps.
- ``verdict``: ``decision`` and ``reason``: the reviewer's decision; the machine's stays in ``verdict.machine``.
  ``decision: null`` withdraws the override (撤销改判): the verdict is again the one decided over the corrections.

Example:
    >>> fixed = apply_corrections(result, [Correction(target="issue", issue_id="3f2a…", after={"dismissed": True,
    ...                                               "reason": "重复"})], config)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nlp.config import AnalysisConfig
from nlp.doc import NON_REPORT_KINDS, AnalysisResult, Document, Issue, Sentence, Span
from nlp.extract.issues import checklist_line
from nlp.extract.omissions import find_omissions
from nlp.feedback import Target
from nlp.review.metrics import compute_metrics
from nlp.review.reasons import ReviewInput
from nlp.review.verdict import decide_again, overridden

ISSUE_FIELDS = ("text", "domain", "visibility", "scope", "problem_type", "group")
DOCUMENT_FIELDS = ("unit", "kind", "year")
DEFAULT_DOMAIN = "general_governance"  # an added problem whose domain the reviewer did not give nor any issue shows


class Correction(BaseModel):
    """One correction, as stored (``api.tables.CorrectionRow``): what it is about and the reviewer's answer."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True)

    target: Target
    issue_id: str | None = None  # the analysis's issue id (``issue``; ``added_issue`` carries it in ``after``)
    after: dict[str, Any] = Field(default_factory=dict)
    by: str = ""
    at: str = ""


def apply_corrections(result: AnalysisResult, corrections: Sequence[Correction],
                      config: AnalysisConfig) -> AnalysisResult:
    """``result`` as the reviewers corrected it; ``result`` itself when there are no corrections.

    Corrections apply oldest first, so a later one wins. Metrics count the issues that are not dismissed, and the
    verdict is decided again over them (round-level reasons such as a near-copy are kept); a verdict override then
    sets the decision and keeps the machine's beside it.
    """
    if not corrections:
        return result
    document, sentences, issues = result.document, list(result.sentences), list(result.issues)
    by_i = {s.i: k for k, s in enumerate(sentences)}
    override: Correction | None = None
    aside: dict[str, Issue] = {}  # omission issues an earlier kind had: they come back, corrected, with that kind
    for c in corrections:
        if c.target == Target.DOCUMENT:
            kind = document.kind
            document = document.model_copy(update={k: c.after[k] for k in DOCUMENT_FIELDS if k in c.after})
            if document.kind != kind:
                issues = with_omissions(issues, document, config, aside)
        elif c.target == Target.SENTENCE and c.after.get("i") in by_i:
            k = by_i[c.after["i"]]
            sentences[k] = sentences[k].model_copy(update={"label": c.after["label"], "score": 1.0})
        elif c.target == Target.ISSUE:
            issues = [_edited(i, c.after) if i.id == c.issue_id else i for i in issues]
            if c.issue_id in aside:
                aside[c.issue_id] = _edited(aside[c.issue_id], c.after)
        elif c.target == Target.ADDED_ISSUE and not any(i.id == c.after.get("id") for i in issues):
            issues.append(added_issue(result, c.after, sentences))
        elif c.target == Target.VERDICT:
            override = c if c.after.get("decision") is not None else None  # null: the override withdrawn
    document = type(document).model_validate(document.model_dump())  # validates the kind and year given
    counted = [i for i in issues if not i.dismissed]
    metrics = compute_metrics(sentences, counted, list(result.metrics.indicators), kind=document.kind,
                              policy=config.verdict)
    verdict = decide_again(ReviewInput(document, tuple(sentences), tuple(issues), metrics, config), result.verdict)
    if override is not None:
        verdict = overridden(verdict, override.after["decision"], override.after.get("reason", ""), override.by,
                             override.at)
    return result.model_copy(update={"document": document, "sentences": tuple(sentences), "issues": tuple(issues),
                                     "metrics": metrics, "verdict": verdict})


def with_omissions(issues: Sequence[Issue], document: Document, config: AnalysisConfig,
                   aside: dict[str, Issue]) -> list[Issue]:
    """``issues`` with the omission issues of ``document.kind`` in place of the others (``analyze_parsed`` finds them
    the same way, for report kinds only). One the issues already have stays where it is, as corrected; one set
    ``aside`` by an earlier kind change comes back from there, as corrected; those the kind does not check go to
    ``aside``. The new ones follow the issues."""
    fresh = find_omissions(document, config) if document.kind not in NON_REPORT_KINDS else []
    wanted = {i.id for i in fresh}
    aside.update((i.id, i) for i in issues if i.latent_basis == "omission" and i.id not in wanted)
    kept = [i for i in issues if i.latent_basis != "omission" or i.id in wanted]
    have = {i.id for i in kept}
    return kept + [aside.pop(i.id, i) for i in fresh if i.id not in have]


def _edited(issue: Issue, after: dict[str, Any]) -> Issue:
    update = {k: after[k] for k in ISSUE_FIELDS if k in after} | _move(issue, after)
    if "dismissed" in after:
        update["dismissed"] = bool(after["dismissed"])
        update["dismissed_reason"] = (after.get("reason") or None) if after["dismissed"] else None
    return Issue.model_validate(issue.model_copy(update=update).model_dump())  # validates visibility and scope


def _move(issue: Issue, after: dict[str, Any]) -> dict[str, Any]:
    """Where a correction puts the issue in the round (``group`` and ``moved``, the round step's input): the group
    named (null: a group of its own), else the group of the type given; a type taken away undoes a move to the old
    type's group, so that the machine groups the issue again."""
    if "group" in after:
        return {"group": after["group"] or f"G-{issue.id}", "moved": True}
    if "problem_type" not in after:
        return {}
    if after["problem_type"]:
        return {"group": f"T-{after['problem_type']}", "moved": True}
    return {"moved": False} if issue.moved and issue.group == f"T-{issue.problem_type}" else {}


def added_issue(result: AnalysisResult, after: dict[str, Any], sentences: Sequence[Sentence] = ()) -> Issue:
    """The issue a reviewer added over ``document.text[start:end]``."""
    text = result.document.text
    start, end = int(after["start"]), int(after["end"])
    span = Span.of(text, start, end)
    overlapping = tuple(s.i for s in (sentences or result.sentences) if s.start < end and start < s.end)
    domain = after.get("domain") or _domain_near(result, start, end)
    issue_id = after.get("id") or "r" + hashlib.sha1(f"{result.document.id}:{start}:{end}".encode()).hexdigest()[:11]
    return Issue(id=issue_id, text=checklist_line(" ".join(span.text.split())) or span.text, domain=domain,
                 visibility=after.get("visibility") or "explicit", vague=False, evidence=(span,), sentences=overlapping,
                 origin="reviewer")


def _domain_near(result: AnalysisResult, start: int, end: int) -> str:
    """The domain of a machine issue whose evidence overlaps ``[start, end)``, else ``DEFAULT_DOMAIN``."""
    for issue in result.issues:
        if any(e.start < end and start < e.end for e in issue.evidence):
            return issue.domain
    return DEFAULT_DOMAIN
