"""Type an issue from its wording: domain (13 codes), hedged or not, vague or not.

Three logistic regressions over character n-grams, each with the rule signals (taxonomy cues, hedge words,
concrete anchors) as extra features, trained on the corpus's annotated issues.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from nlp.extract.cues import has_anchor, is_hedged
from nlp.taxonomy import load_taxonomy


class RuleFeatures(BaseEstimator, TransformerMixin):
    """Cue hits per domain, a hedge flag and an anchor flag."""

    def fit(self, X: list[str], y: object = None) -> RuleFeatures:
        return self

    def transform(self, X: list[str]) -> sparse.csr_matrix:
        domains = load_taxonomy().domains
        rows = []
        for text in X:
            cues = [min(sum(c in text for c in (*d.cues, *d.subs)), 2) / 2 for d in domains]
            rows.append([*cues, float(is_hedged(text)), float(has_anchor(text))])
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32))


def _features(rule_weight: float) -> FeatureUnion:
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=60_000)
    return FeatureUnion([("chars", chars), ("rules", RuleFeatures())],
                        transformer_weights={"chars": 1.0, "rules": rule_weight})


def _classifier(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=0)


class IssueTyper(BaseEstimator):
    """Fit on (issue text, domain, hedged, vague); predict all three for new issue texts.

    One feature transform serves the three classifiers, so prediction pays for it once.
    """

    def __init__(self, C: float = 8.0, rule_weight: float = 2.0) -> None:
        self.C = C
        self.rule_weight = rule_weight

    def fit(self, texts: list[str], domains: list[str], hedged: list[bool], vague: list[bool],
            extra: list[tuple[str, str, bool]] = ()) -> IssueTyper:  # type: ignore[assignment]
        """``extra``: (text, domain, vague) examples without a hedge label (the paraphrase pool)."""
        extra = list(extra)
        self.features_ = _features(self.rule_weight).fit(texts + [e[0] for e in extra])
        everything = self.features_.transform(texts + [e[0] for e in extra])
        corpus = everything[: len(texts)]
        self.domain_ = _classifier(self.C).fit(everything, domains + [e[1] for e in extra])
        self.hedged_ = _classifier(self.C).fit(corpus, hedged)
        self.vague_ = _classifier(self.C).fit(everything, vague + [e[2] for e in extra])
        return self

    def predict(self, texts: list[str]) -> list[tuple[str, bool, bool]]:
        if not texts:
            return []
        X = self.features_.transform(texts)
        domains, hedged, vague = self.domain_.predict(X), self.hedged_.predict(X), self.vague_.predict(X)
        return [(str(d), bool(h), bool(v)) for d, h, v in zip(domains, hedged, vague, strict=True)]
