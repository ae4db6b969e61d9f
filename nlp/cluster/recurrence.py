"""Year over year: which of a unit's problems it already reported in an earlier round (屡改屡犯 / 老问题).

A problem recurs when the same unit (names compared without spaces) reported, in the earlier round, a problem of
the same type; or, when either of the two has no type, a near-identical wording (character bigrams, figures and
punctuation aside: Dice ≥ ``WORDING_OVERLAP``). Two problems of different types never match, however alike their
words. A topic the report leaves out (an omission) is a finding about the report, not a problem the unit reported:
it neither recurs nor is recurred to, as it is never grouped. Pure and order-invariant: the earlier problem named
is the first of the matches in a canonical order.

Example:
    >>> earlier = EarlierRound.of(last_year_results, "2024年度述法评议")
    >>> marks = find_recurrences(this_year_results, earlier)   # issue id → Recurrence
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import computed_field

from nlp.doc import AnalysisResult, Issue, LatentBasis, Recurrence, _Frozen

WORDING_OVERLAP = 0.7  # bigram Dice from which two wordings are the same problem: a reworded clause stays below
_NOISE = re.compile(r"[\d.%％]+|[\W_]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EarlierIssue:
    """A problem of the earlier round: its unit (as written), id, wording and type."""

    unit: str
    id: str
    text: str
    problem_type: str | None = None


@dataclass(frozen=True)
class EarlierRound:
    """What year over year needs of an earlier round: its name and its units' problems."""

    name: str | None
    issues: tuple[EarlierIssue, ...]

    @classmethod
    def of(cls, results: Iterable[AnalysisResult], name: str | None = None) -> EarlierRound:
        """From the earlier round's analyses (documents without a unit are left out: nothing to match them by)."""
        return cls(name, tuple(EarlierIssue(r.document.unit, i.id, i.text, i.problem_type)
                               for r in results if r.document.unit for i in r.issues if _reported(i)))

    @classmethod
    def from_json(cls, reports: Iterable[Mapping[str, Any]], name: str | None = None) -> EarlierRound:
        """From the earlier round's results as parsed JSON (``reports/*.json``, the service's stored results): only
        the unit and the issues are read, so a large round is not validated whole."""
        issues: list[EarlierIssue] = []
        for r in reports:
            unit = (r.get("document") or {}).get("unit")
            if unit:
                issues += [EarlierIssue(unit, i["id"], i["text"], i.get("problem_type")) for i in r.get("issues", ())
                           if i.get("latent_basis") != LatentBasis.OMISSION and not i.get("dismissed")]
        return cls(name, tuple(issues))


class RecurringIssue(_Frozen):
    """One recurring problem of a unit: the issue (id, wording) and what it repeats."""

    issue: str
    text: str
    earlier: str
    problem_type: str | None = None


class UnitRecurrences(_Frozen):
    """A unit's recurring problems (屡改屡犯), for the round summary."""

    unit: str
    issues: tuple[RecurringIssue, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def count(self) -> int:
        return len(self.issues)


def unit_key(unit: str | None) -> str:
    """A unit's name as units are matched across rounds: without spaces."""
    return _SPACE.sub("", unit or "")


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of a wording without its figures and punctuation (a one-character text: itself)."""
    core = _NOISE.sub("", text) or text
    return frozenset(core[k:k + 2] for k in range(max(1, len(core) - 1)))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two bigram sets."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def find_recurrences(results: Sequence[AnalysisResult], earlier: EarlierRound,
                     min_overlap: float = WORDING_OVERLAP) -> dict[str, Recurrence]:
    """Issue id → what it repeats of ``earlier``, for every issue of ``results`` its unit already reported there.

    Example:
        >>> find_recurrences(results, EarlierRound.of(previous, "2024年度"))["i-3f2a"].text
        '执法人员持证上岗管理不到位'
    """
    by_unit: dict[str, list[EarlierIssue]] = {}
    for e in sorted(earlier.issues, key=lambda e: (e.text, e.id)):  # canonical: the input order does not matter
        by_unit.setdefault(unit_key(e.unit), []).append(e)
    marks: dict[str, Recurrence] = {}
    for result in results:
        past = by_unit.get(unit_key(result.document.unit)) if result.document.unit else None
        if not past:
            continue
        typed: dict[str, EarlierIssue] = {}
        for e in past:
            if e.problem_type:
                typed.setdefault(e.problem_type, e)
        grams = [bigrams(e.text) for e in past]
        for issue in filter(_reported, result.issues):
            match = _match(issue, past, typed, grams, min_overlap)
            if match is not None:
                marks[issue.id] = Recurrence(round=earlier.name, text=match.text,
                                             problem_type=issue.problem_type if issue.problem_type == match.problem_type
                                             else None)
    return marks


def _reported(issue: Issue) -> bool:
    """A problem the report states: not an omission the machine found, nor one a reviewer dismissed."""
    return issue.latent_basis != LatentBasis.OMISSION and not issue.dismissed


def _match(issue: Issue, past: list[EarlierIssue], typed: dict[str, EarlierIssue], grams: list[frozenset[str]],
           min_overlap: float) -> EarlierIssue | None:
    """The earlier problem ``issue`` repeats: one of its type, else one worded near-identically that is not of
    another type."""
    if issue.problem_type and issue.problem_type in typed:
        return typed[issue.problem_type]
    mine = bigrams(issue.text)
    n = len(mine)
    best, score = None, min_overlap
    for e, g in zip(past, grams, strict=True):
        if issue.problem_type and e.problem_type:
            continue  # both typed, differently: not the same problem
        if 2 * min(n, len(g)) < score * (n + len(g)):
            continue  # lengths too far apart to reach the overlap (Dice ≤ 2·min / sum)
        s = overlap(mine, g)
        if s >= score and (best is None or s > score):
            best, score = e, s
    return best


def with_recurrences(results: Sequence[AnalysisResult], marks: Mapping[str, Recurrence]) -> list[AnalysisResult]:
    """``results`` with each issue's ``recurring`` set from ``marks`` (cleared when absent); an unchanged result is
    the same object."""
    out = []
    for r in results:
        issues = tuple(i if i.recurring == marks.get(i.id) else i.model_copy(update={"recurring": marks.get(i.id)})
                       for i in r.issues)
        changed = any(a is not b for a, b in zip(issues, r.issues, strict=True))
        out.append(r.model_copy(update={"issues": issues}) if changed else r)
    return out


def summarize_recurrences(results: Sequence[AnalysisResult]) -> tuple[UnitRecurrences, ...]:
    """Each unit's recurring problems (units by name, issues in report order), for the round summary."""
    by_unit: dict[str, list[RecurringIssue]] = {}
    for r in results:
        for i in r.issues:
            if i.recurring is not None and r.document.unit:
                by_unit.setdefault(r.document.unit, []).append(RecurringIssue(
                    issue=i.id, text=i.text, earlier=i.recurring.text, problem_type=i.recurring.problem_type))
    return tuple(UnitRecurrences(unit=u, issues=tuple(v)) for u, v in sorted(by_unit.items()))
