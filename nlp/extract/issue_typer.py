"""Type an issue from its wording: domain (13 codes), hedged or not, vague or not.

Three logistic regressions over character n-grams, trained on the corpus's annotated issues. Domain and
vague add the rule signals (taxonomy cues, hedge words, concrete anchors); hedged adds one indicator per
hedging or plain-stating word instead, so it learns which words soften a problem rather than which topics
tend to be written softly (chosen by 5-fold cross-validation over train + dev documents: 0.872 → 0.904).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from nlp.classify.tfidf import NgramTfidf
from nlp.extract.cues import HEDGE_WORDS as CUE_HEDGE_WORDS
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


# Words that soften a problem (latent) and words that state it outright (explicit): one feature each.
# fmt: off
HEDGE_WORDS = (*CUE_HEDGE_WORDS, "似乎",
               "一定的", "不完全", "有的", "还比较", "还有欠缺", "进一步", "还存在", "相对", "偏弱", "偏少", "偏低", "尚",
               "还需进一步", "有的单位", "一些", "还没有", "还未", "个别单位", "仍然", "还")
PLAIN_WORDS = ("不强", "淡薄", "薄弱", "滞后", "缺失", "没有", "未", "严重", "突出", "明显", "不足", "不到位", "不规范", "不高",
               "不严", "不够", "问题", "仅", "只有", "违反", "违法")
# fmt: on


class HedgeFeatures(BaseEstimator, TransformerMixin):
    """One indicator per hedging or plain-stating word, the hedge and anchor flags, and the length."""

    def fit(self, X: list[str], y: object = None) -> HedgeFeatures:
        return self

    def transform(self, X: list[str]) -> sparse.csr_matrix:
        rows = [[float(w in text) for w in (*HEDGE_WORDS, *PLAIN_WORDS)]
                + [float(is_hedged(text)), float(has_anchor(text)), min(len(text), 200) / 200] for text in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32))


def _hedge_features() -> FeatureUnion:
    chars = NgramTfidf(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=60_000)
    return FeatureUnion([("chars", chars), ("words", HedgeFeatures())])


def _features(rule_weight: float) -> FeatureUnion:
    chars = NgramTfidf(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=60_000)
    return FeatureUnion([("chars", chars), ("rules", RuleFeatures())],
                        transformer_weights={"chars": 1.0, "rules": rule_weight})


def _stacked(union: FeatureUnion, texts: list[str]) -> sparse.csr_matrix:
    """``union.transform(texts)`` without its per-call parallel dispatch and checks (a few issues per report: the
    overhead was most of the cost): each fitted part, weighted, side by side."""
    weights = union.transformer_weights or {}
    parts = [t.transform(texts) for _, t in union.transformer_list]
    parts = [p * weights[name] if name in weights and weights[name] != 1 else p
             for (name, _), p in zip(union.transformer_list, parts, strict=True)]
    return sparse.hstack([p if sparse.issparse(p) else sparse.csr_matrix(p) for p in parts], format="csr")


def _linear_predict(clf: LogisticRegression, X: sparse.csr_matrix) -> np.ndarray:
    """``clf.predict(X)`` from its fitted coefficients (the same argmax, without re-validating a small batch)."""
    scores = np.asarray(X @ clf.coef_.T) + clf.intercept_
    if scores.shape[1] == 1:
        return clf.classes_[(scores[:, 0] > 0).astype(int)]
    return clf.classes_[np.argmax(scores, axis=1)]


def _classifier(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=0)


class IssueTyper(BaseEstimator):
    """Fit on (issue text, domain, hedged, vague); predict all three for new issue texts.

    One feature transform serves domain and vague; hedged has its own.
    """

    def __init__(self, C: float = 8.0, rule_weight: float = 2.0, hedge_C: float = 4.0) -> None:
        self.C = C
        self.rule_weight = rule_weight
        self.hedge_C = hedge_C

    def fit(self, texts: list[str], domains: list[str], hedged: list[bool], vague: list[bool],
            extra: list[tuple[str, str, bool]] = ()) -> IssueTyper:  # type: ignore[assignment]
        """``extra``: (text, domain, vague) examples without a hedge label (the paraphrase pool)."""
        extra = list(extra)
        self.features_ = _features(self.rule_weight).fit(texts + [e[0] for e in extra])
        everything = self.features_.transform(texts + [e[0] for e in extra])
        self.domain_ = _classifier(self.C).fit(everything, domains + [e[1] for e in extra])
        self.hedge_features_ = _hedge_features().fit(texts)
        self.hedged_ = _classifier(self.hedge_C).fit(self.hedge_features_.transform(texts), hedged)
        self.vague_ = _classifier(self.C).fit(everything, vague + [e[2] for e in extra])
        return self

    def predict(self, texts: list[str]) -> list[tuple[str, bool, bool]]:
        if not texts:
            return []
        X = _stacked(self.features_, texts)
        domains, vague = _linear_predict(self.domain_, X), _linear_predict(self.vague_, X)
        own = getattr(self, "hedge_features_", None)  # bundles trained before hedged had its own features
        hedged = _linear_predict(self.hedged_, _stacked(own, texts) if own is not None else X)
        return [(str(d), bool(h), bool(v)) for d, h, v in zip(domains, hedged, vague, strict=True)]
