"""Which known problem type (``nlp.problem_types``) an issue is an instance of, or none.

A reviewer recognises a kind of problem they know and counts the units that have it. The matcher compares an
issue's line with each type's statement and wordings: character 1–3-gram TF-IDF (fitted on the wordings) and
the cosine to each type's centroid and to its nearest wording; the best type wins when its score reaches
``min_score``, else the issue gets no type (it is never forced into a wrong one) and the round clusters it with
the other untyped issues. Built from the data files when first used, so an office's own types
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
        s = self.scores(texts)
        out = []
        for row in s:
            k = int(np.argmax(row)) if len(row) else -1
            ok = k >= 0 and row[k] >= self.min_score
            out.append(TypeMatch(self.types.types[k].code if ok else None, round(float(row[k]), 4) if k >= 0 else 0.0))
        return out


def with_problem_types(issues: Sequence[Issue], policy: ProblemTypePolicy) -> list[Issue]:
    """``issues`` with the problem type each is an instance of, when one fits (copies of those only)."""
    if not issues:
        return list(issues)
    matches = type_matcher(policy.file, policy.min_score).match([i.text for i in issues])
    return [i if m.code == i.problem_type else i.model_copy(update={"problem_type": m.code})
            for i, m in zip(issues, matches, strict=True)]


@lru_cache(maxsize=4)
def type_matcher(extra: str | None = None, min_score: float = DEFAULT_MIN_SCORE) -> TypeMatcher:
    """The matcher of the bundled types (and an office's file), built once per process."""
    return TypeMatcher(load_problem_types(extra), min_score)


def calibrate_min_score(types: ProblemTypes, precision: float = 0.9, folds: int = 5, seed: int = 0) -> float:
    """The lowest score at which a type is given and is right at least ``precision`` of the time, measured on the
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
        s = matcher.scores([w for _, w in held])
        for (k, _), row in zip(held, s, strict=True):
            best = int(np.argmax(row))
            scored.append((float(row[best]), best == k))
    scored.sort(key=lambda x: -x[0])
    right = 0
    threshold = 1.0
    for n, (score, ok) in enumerate(scored, start=1):
        right += ok
        if right / n >= precision:
            threshold = score
    return round(threshold, 3)
