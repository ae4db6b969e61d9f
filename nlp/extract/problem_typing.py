"""Which known problem type (``nlp.problem_types``) an issue is an instance of, or none.

A reviewer recognises a kind of problem they know and counts the units that have it. The matcher compares an
issue's line with each type's statement and wordings: character 1–3-gram TF-IDF (fitted on the wordings) and
the cosine to each type's centroid and to its nearest wording. The best type wins when its confidence reaches
``min_score``, else the issue gets no type (it is never forced into a wrong one) and the round clusters it with
the other untyped issues. The confidence is the best score plus its lead over the runner-up: a short line
("消费需求恢复不快") scores low against every type but clearly nearest one, while a line between two types scores
about as high against both. Built from the data files when first used, so an office's own types
(``[problem_types] file``) take effect without retraining.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from nlp.classify.tfidf import NgramTfidf
from nlp.config import ProblemTypePolicy
from nlp.doc import Issue
from nlp.problem_types import ProblemTypes, load_problem_types

DEFAULT_MIN_SCORE = 0.42


@dataclass(frozen=True)
class TypeMatch:
    code: str | None
    score: float


class TypeMatcher:
    """Nearest problem type by character n-grams; ``match(texts)`` gives a ``TypeMatch`` per text."""

    def __init__(self, types: ProblemTypes, min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.types = types
        self.min_score = min_score
        texts, owners = [], []
        for k, t in enumerate(types):
            for w in (t.statement, *t.wordings):
                texts.append(w)
                owners.append(k)
        self.vectorizer_ = NgramTfidf(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1).fit(texts)
        rows = self.vectorizer_.transform(texts)
        self.wordings_ = rows.T.tocsr()  # (features, wordings): one sparse product per batch of texts
        owners_ = np.asarray(owners)
        self.starts_ = np.flatnonzero(np.r_[True, owners_[1:] != owners_[:-1]])  # wordings are grouped by type
        membership = sparse.csr_matrix((np.ones(len(owners)), (owners_, np.arange(len(owners)))),
                                       shape=(len(types), len(owners)))
        centroids = sparse.csr_matrix(membership @ rows)  # sums; the cosine needs only their direction
        norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1))).ravel()
        self.centroids_ = (sparse.diags(1 / np.maximum(norms, 1e-12)) @ centroids).T.tocsr()

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n, types) score: the mean of the cosine to the type's centroid and to its nearest wording."""
        if not texts:
            return np.zeros((0, len(self.types)))
        x = self.vectorizer_.transform(list(texts))
        centroid = (x @ self.centroids_).toarray()
        nearest = np.maximum.reduceat((x @ self.wordings_).toarray(), self.starts_, axis=1)
        return (centroid + nearest) / 2

    def match(self, texts: Sequence[str]) -> list[TypeMatch]:
        """The best type of each text when its confidence reaches ``min_score``; ``score`` is that confidence."""
        s = self.scores(texts)
        best, sure = _best_and_confidence(s)
        return [TypeMatch(self.types.types[k].code if c >= self.min_score else None, round(float(c), 4))
                for k, c in zip(best, sure, strict=True)]


def _best_and_confidence(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the best type, and its score plus its lead over the second best (the best score when alone)."""
    if scores.shape[1] == 0:
        return np.zeros(len(scores), dtype=np.int64), np.zeros(len(scores))
    best = np.argmax(scores, axis=1)
    top = scores[np.arange(len(scores)), best]
    second = np.partition(scores, -2, axis=1)[:, -2] if scores.shape[1] > 1 else np.zeros(len(scores))
    return best, 2 * top - second


def with_problem_types(issues: Sequence[Issue], policy: ProblemTypePolicy) -> list[Issue]:
    """``issues`` with the problem type each is an instance of, when one fits (copies of those only)."""
    if not issues:
        return list(issues)
    matches = type_matcher(policy.file, policy.min_score).match([i.text for i in issues])
    return [i if m.code == i.problem_type else i.model_copy(update={"problem_type": m.code})
            for i, m in zip(issues, matches, strict=True)]


def near_types(texts: Sequence[str], policy: ProblemTypePolicy) -> list[str | None]:
    """Each text's nearest type when its confidence reaches ``policy.join_score`` (lower than ``min_score``): not a
    type to give the issue, but the kind a round may count it with when that kind is common there."""
    if policy.join_score is None or not texts:
        return [None] * len(texts)
    matcher = type_matcher(policy.file, policy.min_score)
    best, sure = _best_and_confidence(matcher.scores(texts))
    return [matcher.types.types[k].code if c >= policy.join_score else None for k, c in zip(best, sure, strict=True)]


@lru_cache(maxsize=4)
def type_matcher(extra: str | None = None, min_score: float = DEFAULT_MIN_SCORE) -> TypeMatcher:
    """The matcher of the bundled types (and an office's file), built once per process."""
    return TypeMatcher(load_problem_types(extra), min_score)


def calibrate_min_score(types: ProblemTypes, precision: float = 0.9, folds: int = 5, seed: int = 0) -> float:
    """The lowest confidence at which a type is given and is right at least ``precision`` of the time, measured on the
    types' own wordings: each fold's wordings are matched by a matcher built without them (every type keeps its
    statement), so what it learns is how far an unseen wording of a known type lies from it."""
    import random

    from nlp.problem_types import ProblemType

    rng = random.Random(seed)
    cases = [(k, w) for k, t in enumerate(types) for w in t.wordings]
    rng.shuffle(cases)
    scored: list[tuple[float, bool]] = []
    for f in range(folds):
        held = cases[f::folds]
        out = {(k, w) for k, w in held}
        kept = ProblemTypes(tuple(ProblemType.model_validate(
            {**t.model_dump(by_alias=True), "wordings": [w for w in t.wordings if (k, w) not in out] or [t.statement]})
            for k, t in enumerate(types)))
        matcher = TypeMatcher(kept, min_score=0.0)
        best, sure = _best_and_confidence(matcher.scores([w for _, w in held]))
        scored += [(float(c), int(b) == k) for (k, _), b, c in zip(held, best, sure, strict=True)]
    scored.sort(key=lambda x: -x[0])
    right = 0
    threshold = 1.0
    for n, (score, ok) in enumerate(scored, start=1):
        right += ok
        if right / n >= precision:
            threshold = score
    return round(threshold, 3)
