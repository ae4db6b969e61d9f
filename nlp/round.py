"""The round step: every judgement that needs a round's other documents, in one place.

``review_round(results, models)`` takes a round's analyses in submission order and returns a ``RoundResult``:
the results with their round-level facts applied, every checklist row, and the round summary. The batch writer,
the service and the notebooks all call it; nothing else builds a summary.

- **Near-copies.** A near-copy is flagged on the later report of a pair (submission order): LSH on shingle sketches
  proposes candidate pairs, the exact shingle Jaccard decides (``nlp.cluster.duplicates.near_copies``), so the
  cost stays near-linear in the number of reports. A batch computes each report's sketch in its workers.
- **Common problems.** Issues are grouped across units (``nlp.cluster.rounds``); each issue gets its group and
  scope (共性 / 个性). An issue a reviewer moved (``Issue.moved``, set by ``nlp.review.corrections``) is grouped
  where they put it, so the groups' members, units and scopes are computed once, with the moves in.
- **Interviews against reports.** Each report is checked against its unit's transcripts
  (``nlp.checklist.cross_source``): denied claims, and problems only the interviews raise.
- **One verdict.** The round-level facts (near-copy, contradictions) enter the review input and
  ``nlp.review.verdict.decide`` runs again: every reason is a check in the one checks table. The step is
  idempotent, so a resumed batch or a service re-running it on stored results gets the same answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from pydantic import Field

from nlp.checklist.build import common_problems, unit_items
from nlp.checklist.cross_source import (
    Contradiction,
    alert_denied,
    contradiction_pairs,
    cross_source_items,
    find_contradictions,
    unit_sources,
    unmatched_warning,
)
from nlp.classify.encoders import Encoder
from nlp.cluster.duplicates import near_copies
from nlp.cluster.recurrence import (
    EarlierRound,
    UnitRecurrences,
    find_recurrences,
    summarize_recurrences,
    with_recurrences,
)
from nlp.cluster.rounds import ProblemGroup, RoundIssue, group_issues, scope_by_issue
from nlp.config import AnalysisConfig
from nlp.doc import AnalysisResult, ChecklistItem, CommonProblem, Issue, Kind, _Frozen, _unset
from nlp.extract.problem_typing import near_types
from nlp.problem_types import load_problem_types
from nlp.review.reasons import ReviewInput
from nlp.review.verdict import decide, overridden

DECISIONS = ("pass", "revise", "return", "not_applicable")


class RoundModels(Protocol):
    """What the round step uses of a model bundle (``nlp.bundle.ModelBundle`` or ``RoundModels``)."""

    config: AnalysisConfig

    @property
    def encoder(self) -> Any: ...


class NearCopy(_Frozen):
    file: str
    copies: str  # the earlier file it nearly copies
    similarity: float


class Failure(_Frozen):
    """A file of the round that could not be analysed."""

    file: str
    code: str | None = None
    message: str | None = None


class RoundWarning(_Frozen):
    """A document of the round that could not be used for everything (a transcript without its unit's report)."""

    file: str
    unit: str
    message: str


class RoundItem(_Frozen):
    """A checklist row and the index, in the round's results, of the document its evidence lies in."""

    result: int
    item: ChecklistItem


class RoundSummary(_Frozen):
    """What a round amounts to: the batch's ``summary.json`` and the service's round summary."""

    round: str | None = None
    round_id: int | None = None  # the service's round id
    updated_at: str | None = None  # when the service last ran the round step
    reports: int = 0
    decisions: dict[str, int] = dict.fromkeys(DECISIONS, 0)
    failures: tuple[Failure, ...] = ()
    warnings: tuple[RoundWarning, ...] = ()
    common_problems: tuple[CommonProblem, ...] = ()
    near_duplicates: tuple[NearCopy, ...] = ()
    previous_round: str | None = Field(default=None, exclude_if=_unset)  # the earlier round compared with
    recurring: tuple[UnitRecurrences, ...] = Field(default=(), exclude_if=lambda v: not v)  # 屡改屡犯, per unit


class RoundResult(_Frozen):
    """The round step's output: results (submission order) with scopes, groups and round-level verdicts; the
    checklist rows, grouped by unit in order of first appearance (each unit's own rows, then what its interviews
    raise or contradict); the groups; and the summary."""

    results: tuple[AnalysisResult, ...]
    items: tuple[RoundItem, ...]
    groups: tuple[CommonProblem, ...]
    summary: RoundSummary

    @property
    def near_duplicates(self) -> dict[str, tuple[str, float]]:
        return {n.file: (n.copies, n.similarity) for n in self.summary.near_duplicates}

    @property
    def common(self) -> tuple[CommonProblem, ...]:
        return self.summary.common_problems


def find_near_duplicates(results: Sequence[AnalysisResult], threshold: float,
                         sketches: Sequence[np.ndarray | None] | None = None) -> dict[str, tuple[str, float]]:
    """filename → (earlier filename, Jaccard) for every report that nearly copies an earlier one: the most
    similar earlier report, the first of equals. ``sketches[k]``: ``nlp.cluster.duplicates.sketch`` of
    ``results[k]``'s text, computed here when None or absent."""
    near = near_copies([r.document.text for r in results], threshold, sketches)
    return {results[k].document.filename: (results[c].document.filename, score) for k, (c, score) in near.items()}


def review_round(results: Sequence[AnalysisResult], models: RoundModels, *, round_name: str | None = None,
                 n_units: int | None = None, sketches: Sequence[np.ndarray | None] | None = None,
                 failures: Sequence[Failure] = (), previous: EarlierRound | None = None) -> RoundResult:
    """Results in submission order → the round's results, checklist rows and summary.

    ``n_units``: the round's units (default: those of ``results``); ``sketches``: as in ``find_near_duplicates``
    (a batch passes those its workers computed); ``failures``: files that could not be analysed, for the summary;
    ``previous``: an earlier round of the same units, whose problems recur (``nlp.cluster.recurrence``).

    Example:
        >>> rr = review_round(results, load_bundle(), round_name="2024年度述法评议")
        >>> rr.summary.decisions, [c.units for c in rr.summary.common_problems]
    """
    results = [_without_round_warnings(r) for r in results]
    encoder: Encoder = models.encoder
    near = find_near_duplicates(results, models.config.verdict.near_duplicate_jaccard, sketches) if results else {}
    groups = _groups(results, encoder, n_units, models.config)
    scopes = scope_by_issue(groups)
    sources = unit_sources(results)
    found: dict[int, list[Contradiction]] = {}
    warned: dict[int, str] = {}
    for unit, (reports, talks) in sources.items():
        if talks and (unit is None or not reports):
            warned |= {k: unmatched_warning(unit) for k in talks}
        elif talks:
            transcripts = [results[k] for k in talks]
            found |= {k: find_contradictions(results[k], transcripts, encoder, models.config.cross_source)
                      for k in reports}
    updated = [_applied(r, scopes, near.get(r.document.filename), found.get(k, ()), warned.get(k), models.config)
               for k, r in enumerate(results)]
    updated = with_recurrences(updated, find_recurrences(updated, previous) if previous is not None else {})
    items = _items(updated, sources, found, scopes, encoder, round_name, models.config)
    common = tuple(common_problems(groups))
    summary = summarize(updated, round_name=round_name, common=common, near=near, failures=failures,
                        warnings=[RoundWarning(file=updated[k].document.filename, unit=updated[k].document.unit or "",
                                               message=m) for k, m in sorted(warned.items())])
    if previous is not None:
        summary = summary.model_copy(update={"previous_round": previous.name or "",
                                             "recurring": summarize_recurrences(updated)})
    return RoundResult(results=tuple(updated), items=tuple(items),
                       groups=tuple(common_problems(groups, only_common=False)), summary=summary)


def summarize(results: Sequence[AnalysisResult], *, round_name: str | None = None,
              common: Sequence[CommonProblem] = (), near: dict[str, tuple[str, float]] | None = None,
              failures: Sequence[Failure] = (), warnings: Sequence[RoundWarning] = ()) -> RoundSummary:
    """The one builder of a round summary."""
    decisions = Counter(r.verdict.decision for r in results)
    return RoundSummary(
        round=round_name, reports=len(results), decisions={d: decisions.get(d, 0) for d in DECISIONS},
        failures=tuple(failures), warnings=tuple(warnings), common_problems=tuple(common),
        near_duplicates=tuple(NearCopy(file=k, copies=v[0], similarity=round(v[1], 4))
                              for k, v in sorted((near or {}).items())))


def with_near_copies(results: Sequence[AnalysisResult], config: AnalysisConfig) -> list[AnalysisResult]:
    """Only the near-copy fact of the round step, for files compared without a round (``prereview analyze a b``)."""
    near = find_near_duplicates(results, config.verdict.near_duplicate_jaccard) if results else {}
    return [with_near_copy(r, config, near.get(r.document.filename)) for r in results]


def with_near_copy(result: AnalysisResult, config: AnalysisConfig, near: tuple[str, float] | None) -> AnalysisResult:
    """``result`` decided again knowing it nearly copies ``near`` = (earlier file, Jaccard), or nothing."""
    return _decided(result, result.issues, result.metrics, config, near, ())


def _groups(results: Sequence[AnalysisResult], encoder: Encoder, n_units: int | None,
            config: AnalysisConfig) -> list[ProblemGroup]:
    kept = [(r, i) for r in results for i in r.issues if i.latent_basis != "omission" and not i.dismissed]
    near = near_types([i.text for _, i in kept], config.problem_types)
    issues = [RoundIssue(id=i.id, unit=_unit(r), text=i.text, domain=i.domain, problem_type=i.problem_type,
                         near_type=None if i.problem_type else n, group=i.group if i.moved else None)
              for (r, i), n in zip(kept, near, strict=True)]
    units = n_units if n_units is not None else len({_unit(r) for r in results})
    types = {t.code: (t.statement, t.domain) for t in load_problem_types(config.problem_types.file)}
    return group_issues(issues, encoder, n_units=units, policy=config.grouping, types=types)


def _unit(result: AnalysisResult) -> str:
    return result.document.unit or result.document.filename


def _applied(result: AnalysisResult, scopes: dict[str, tuple[str | None, str]], near: tuple[str, float] | None,
             contradictions: Sequence[Contradiction], warning: str | None, config: AnalysisConfig) -> AnalysisResult:
    """One result with its round-level facts: scopes and groups, the warning, denied indicators, the verdict."""
    if warning is not None and warning not in result.document.warnings:
        document = result.document.model_copy(update={"warnings": (*result.document.warnings, warning)})
        result = result.model_copy(update={"document": document})
    issues = _scoped(result.issues, scopes)
    metrics = alert_denied(result.metrics, contradictions)
    return _decided(result, issues, metrics, config, near, contradictions)


def _decided(result: AnalysisResult, issues: tuple[Issue, ...], metrics: Any, config: AnalysisConfig,
             near: tuple[str, float] | None, contradictions: Sequence[Contradiction]) -> AnalysisResult:
    """The result with ``issues``, ``metrics`` and the verdict decided again with the round's facts (a reviewer's
    decision stays over the machine's); the same object when nothing changes (a report read back from an earlier
    run's outputs, say)."""
    verdict = decide(ReviewInput(result.document, result.sentences, issues, metrics, config, near,
                                 contradiction_pairs(contradictions)))
    if result.verdict.override is not None:
        o = result.verdict.override
        verdict = overridden(verdict, o.decision, o.reason, o.by, o.at)
    if issues is result.issues and metrics is result.metrics and verdict == result.verdict:
        return result
    return result.model_copy(update={"issues": issues, "metrics": metrics, "verdict": verdict})


def _scoped(issues: tuple[Issue, ...], scopes: dict[str, tuple[str | None, str]]) -> tuple[Issue, ...]:
    """``issues`` with their round scope and group (None when not grouped); copies only of the issues that change,
    and the same tuple when none does."""
    out = []
    for i in issues:
        scope, group = scopes.get(i.id, (None, None))
        out.append(i if (i.scope, i.group) == (scope, group) else i.model_copy(update={"scope": scope, "group": group}))
    return issues if all(a is b for a, b in zip(out, issues, strict=True)) else tuple(out)


def _items(results: list[AnalysisResult], sources: dict[str | None, tuple[list[int], list[int]]],
           found: dict[int, list[Contradiction]], scopes: dict[str, tuple[str | None, str]], encoder: Encoder,
           round_name: str | None, config: AnalysisConfig) -> list[RoundItem]:
    """Each unit's rows: its documents' own issues, then what its interviews raise or contradict."""
    by_unit: dict[str, list[int]] = {}
    for k, r in enumerate(results):
        by_unit.setdefault(_unit(r), []).append(k)
    out = []
    for members in by_unit.values():
        out += [RoundItem(result=k, item=item) for k in members for item in unit_items(results[k], round_name, scopes)]
        reports, talks = sources[results[members[0]].document.unit]
        reports, talks = [k for k in reports if k in members], [k for k in talks if k in members]
        if reports and talks:
            by_name = {results[k].document.filename: k for k in (*talks, *reports)}
            rows = cross_source_items([results[k] for k in reports], [results[k] for k in talks], encoder, round_name,
                                      contradictions=[found.get(k, []) for k in reports], policy=config.cross_source)
            out = _with_cross_source(out, [RoundItem(result=by_name[row.document], item=row) for row in rows])
    return out


def _with_cross_source(items: list[RoundItem], raised: list[RoundItem]) -> list[RoundItem]:
    """``items`` with the rows an interview raises: a problem the interview's own rows already hold (same file, same
    issue) takes that row's place, as the interview raised it (隐性, 谈话反映), instead of being listed twice."""
    at = {(row.result, row.item.issue_id): k for k, row in enumerate(items)}
    out = list(items)
    for row in raised:
        k = at.get((row.result, row.item.issue_id))
        if k is None:
            out.append(row)
        else:
            out[k] = RoundItem(result=row.result, item=row.item.model_copy(update={"number": items[k].item.number}))
    return out


def _without_round_warnings(result: AnalysisResult) -> AnalysisResult:
    """A transcript without the round step's unmatched warning: its unit's report may have come in since."""
    if result.document.kind != Kind.TRANSCRIPT:
        return result
    stale = {unmatched_warning(None), unmatched_warning(result.document.unit)}
    kept = tuple(w for w in result.document.warnings if w not in stale)
    if len(kept) == len(result.document.warnings):
        return result
    return result.model_copy(update={"document": result.document.model_copy(update={"warnings": kept})})
