"""Round-level steps, run once over all of a round's analyses: near-copies, common-problem groups, scopes.

A near-copy is flagged on the later report of a pair (submission order): LSH on shingle sketches proposes
candidate pairs, the exact shingle Jaccard decides (``nlp.cluster.duplicates.near_copies``), so the cost stays
near-linear in the number of reports. A batch computes each report's sketch in the worker that analysed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.checklist.build import common_problems
from nlp.classify.encoders import Encoder
from nlp.cluster.duplicates import near_copies
from nlp.cluster.rounds import ProblemGroup, RoundIssue, group_issues, scope_by_issue
from nlp.doc import AnalysisResult, CommonProblem, Issue, Verdict
from nlp.review.reasons import near_duplicate_reason


@dataclass(frozen=True)
class RoundReview:
    results: tuple[AnalysisResult, ...]
    groups: tuple[ProblemGroup, ...]
    common: tuple[CommonProblem, ...]
    near_duplicates: dict[str, tuple[str, float]]
    scopes: dict[str, tuple[str | None, str]]


def find_near_duplicates(results: Sequence[AnalysisResult], threshold: float,
                         sketches: Sequence[np.ndarray | None] | None = None) -> dict[str, tuple[str, float]]:
    """filename → (earlier filename, Jaccard) for every report that nearly copies an earlier one: the most
    similar earlier report, the first of equals. ``sketches[k]``: ``nlp.cluster.duplicates.sketch`` of
    ``results[k]``'s text, computed here when None or absent."""
    near = near_copies([r.document.text for r in results], threshold, sketches)
    return {results[k].document.filename: (results[c].document.filename, score) for k, (c, score) in near.items()}


def review_round(results: list[AnalysisResult], encoder: Encoder, near_duplicate_jaccard: float = 0.6,
                 n_units: int | None = None, sketches: Sequence[np.ndarray | None] | None = None) -> RoundReview:
    """Results in submission order → scopes on every issue, common problems, near-copy reasons applied.
    ``sketches``: as in ``find_near_duplicates`` (a batch passes those its workers computed)."""
    near = find_near_duplicates(results, near_duplicate_jaccard, sketches)
    issues = [RoundIssue(id=i.id, unit=r.document.unit or r.document.filename, text=i.text, domain=i.domain)
              for r in results for i in r.issues if i.latent_basis != "omission"]
    units = n_units if n_units is not None else len({r.document.unit or r.document.filename for r in results})
    groups = group_issues(issues, encoder, n_units=units)
    scopes = scope_by_issue(groups)
    updated = []
    for r in results:
        issues_scoped = _scoped(r.issues, scopes)
        verdict = r.verdict
        if r.document.filename in near and not any(x.code == "NEAR_DUPLICATE" for x in verdict.reasons):
            other, score = near[r.document.filename]
            reason = near_duplicate_reason(other, score)
            verdict = Verdict(decision="return", reasons=(reason, *verdict.reasons))
        if issues_scoped is r.issues and verdict is r.verdict:
            updated.append(r)  # nothing changed (a report read back from an earlier run's outputs, say)
        else:
            updated.append(r.model_copy(update={"issues": issues_scoped, "verdict": verdict}))
    return RoundReview(tuple(updated), tuple(groups), tuple(common_problems(groups)), near, scopes)


def _scoped(issues: tuple[Issue, ...], scopes: dict[str, tuple[str | None, str]]) -> tuple[Issue, ...]:
    """``issues`` with their round scope (None when not grouped); copies only of the issues whose scope changes,
    and the same tuple when none does."""
    out = tuple(i if i.scope == (s := scopes.get(i.id, (None, ""))[0]) else i.model_copy(update={"scope": s})
                for i in issues)
    return issues if all(a is b for a, b in zip(out, issues, strict=True)) else out
