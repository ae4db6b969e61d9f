"""Round-level steps, run once over all of a round's analyses: near-copies, common-problem groups, scopes.

A near-copy is flagged on the later report of a pair (submission order): MinHash LSH proposes candidate
pairs, the exact shingle Jaccard decides, so the cost stays near-linear in the number of reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.checklist.build import common_problems
from nlp.classify.encoders import Encoder
from nlp.cluster.duplicates import jaccard, shingles
from nlp.cluster.rounds import ProblemGroup, RoundIssue, group_issues, scope_by_issue
from nlp.doc import AnalysisResult, CommonProblem, Verdict
from nlp.review.reasons import near_duplicate_reason

NUM_PERM = 64


@dataclass(frozen=True)
class RoundReview:
    results: tuple[AnalysisResult, ...]
    groups: tuple[ProblemGroup, ...]
    common: tuple[CommonProblem, ...]
    near_duplicates: dict[str, tuple[str, float]]
    scopes: dict[str, tuple[str | None, str]]


def find_near_duplicates(results: list[AnalysisResult], threshold: float) -> dict[str, tuple[str, float]]:
    """filename → (earlier filename, Jaccard) for every report that nearly copies an earlier one."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=max(0.1, threshold - 0.15), num_perm=NUM_PERM)
    sets = []
    out: dict[str, tuple[str, float]] = {}
    for k, result in enumerate(results):
        sh = shingles(result.document.text)
        sets.append(sh)
        mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_already_hashed)
        mh.update_batch(list(sh))
        best = None
        for cand in lsh.query(mh):
            score = jaccard(sh, sets[cand])
            if score >= threshold and (best is None or score > best[1]):
                best = (results[cand].document.filename, score)
        if best:
            out[result.document.filename] = best
        lsh.insert(k, mh)
    return out


def _already_hashed(value: int) -> int:
    """Shingles are crc32 values already: hashing them again (datasketch's default sha1) only costs time."""
    return value


def review_round(results: list[AnalysisResult], encoder: Encoder, near_duplicate_jaccard: float = 0.6,
                 n_units: int | None = None) -> RoundReview:
    """Results in submission order → scopes on every issue, common problems, near-copy reasons applied."""
    near = find_near_duplicates(results, near_duplicate_jaccard)
    issues = [RoundIssue(id=i.id, unit=r.document.unit or r.document.filename, text=i.text, domain=i.domain)
              for r in results for i in r.issues if i.latent_basis != "omission"]
    units = n_units if n_units is not None else len({r.document.unit or r.document.filename for r in results})
    groups = group_issues(issues, encoder, n_units=units)
    scopes = scope_by_issue(groups)
    updated = []
    for r in results:
        issues_scoped = tuple(i.model_copy(update={"scope": scopes.get(i.id, (None, ""))[0]}) for i in r.issues)
        verdict = r.verdict
        if r.document.filename in near and not any(x.code == "NEAR_DUPLICATE" for x in verdict.reasons):
            other, score = near[r.document.filename]
            reason = near_duplicate_reason(other, score)
            verdict = Verdict(decision="return", reasons=(reason, *verdict.reasons))
        updated.append(r.model_copy(update={"issues": issues_scoped, "verdict": verdict}))
    return RoundReview(tuple(updated), tuple(groups), tuple(common_problems(groups)), near, scopes)
