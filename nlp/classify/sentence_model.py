"""The sentence classifier: TF-IDF over characters and jieba words plus context features, logistic regression.

A real scikit-learn estimator (``__init__`` stores, ``fit`` returns self, learned state ends in ``_``), so it
clones, pickles and round-trips.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from nlp.classify.features import ContextFeatures, JiebaTokenizer, SentenceInput, texts
from nlp.classify.tfidf import NgramTfidf
from nlp.doc import LABELS, Sentence


class SentenceClassifier(BaseEstimator, ClassifierMixin):
    """Predict the role of each sentence from its text and its place in the report.

    The features are stacked by hand rather than by a ``FeatureUnion``: three fitted transforms, one matrix.

    Example:
        >>> clf = SentenceClassifier().fit(inputs, labels)
        >>> proba = clf.predict_proba(inputs)            # (n, 5) in clf.classes_ order
        >>> labelled = label_sentences(sentences, proba, clf.classes_)
    """

    def __init__(self, C: float = 4.0, context_weight: float = 1.0, min_df: int = 2, random_state: int = 0) -> None:
        self.C = C
        self.context_weight = context_weight
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, X: list[SentenceInput], y: list[str]) -> SentenceClassifier:
        unknown = sorted(set(y) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown labels {unknown}; expected {LABELS}")
        text = texts(X)
        self.chars_ = NgramTfidf(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=self.min_df,
                                 max_features=200_000).fit(text)
        self.words_ = NgramTfidf(analyzer="word", tokenizer=JiebaTokenizer(), lowercase=False, ngram_range=(1, 2),
                                 sublinear_tf=True, min_df=self.min_df, max_features=100_000).fit(text)
        self.context_ = ContextFeatures().fit(X)
        self.clf_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000,
                                       random_state=self.random_state).fit(self.features(X), y)
        self.classes_ = self.clf_.classes_
        return self

    def features(self, X: list[SentenceInput]) -> sparse.csr_matrix:
        """Character TF-IDF, word TF-IDF and weighted context features, side by side."""
        text = texts(X)
        return sparse.hstack([self.chars_.transform(text), self.words_.transform(text),
                              self.context_.transform(X) * self.context_weight], format="csr")

    def predict_proba(self, X: list[SentenceInput]) -> np.ndarray:
        """The multinomial logistic regression's probabilities: the softmax of its scores, computed from its
        fitted coefficients (what ``predict_proba`` gives, without re-validating each report's batch)."""
        if not len(X):
            return np.zeros((0, len(self.classes_)))
        scores = np.asarray(self.features(X) @ self.clf_.coef_.T) + self.clf_.intercept_
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, X: list[SentenceInput]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def label_sentences(sentences: tuple[Sentence, ...] | list[Sentence], proba: np.ndarray,
                    classes: np.ndarray | list[str]) -> list[Sentence]:
    """New sentences carrying the most probable label and its probability."""
    best = np.argmax(proba, axis=1) if len(sentences) else []
    return [s.model_copy(update={"label": str(classes[k]), "score": float(proba[i, k])})
            for i, (s, k) in enumerate(zip(sentences, best, strict=True))]
