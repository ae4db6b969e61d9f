"""The sentence classifier: TF-IDF over characters and jieba words plus context features, logistic regression.

A real scikit-learn estimator (``__init__`` stores, ``fit`` returns self, learned state ends in ``_``), so it
clones, pickles and round-trips.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.classify.fastpath import accelerate
from nlp.classify.features import ContextFeatures, JiebaTokenizer, SentenceInput, TextColumn
from nlp.doc import LABELS, Sentence


class SentenceClassifier(BaseEstimator, ClassifierMixin):
    """Predict the role of each sentence from its text and its place in the report.

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

    def _pipeline(self) -> Pipeline:
        chars = Pipeline([("text", TextColumn()), ("tfidf", TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=self.min_df, max_features=200_000))])
        words = Pipeline([("text", TextColumn()), ("tfidf", TfidfVectorizer(
            tokenizer=JiebaTokenizer(), token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True,
            min_df=self.min_df, max_features=100_000))])
        features = FeatureUnion([("chars", chars), ("words", words), ("context", ContextFeatures())],
                                transformer_weights={"chars": 1.0, "words": 1.0, "context": self.context_weight})
        clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state)
        return Pipeline([("features", features), ("clf", clf)])

    def fit(self, X: list[SentenceInput], y: list[str]) -> SentenceClassifier:
        unknown = sorted(set(y) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown labels {unknown}; expected {LABELS}")
        self.pipeline_ = self._pipeline().fit(X, y)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, X: list[SentenceInput]) -> np.ndarray:
        return self.pipeline_.predict_proba(X)

    def __setstate__(self, state: dict[str, object]) -> None:
        """A loaded model predicts through the fast path (identical output, several times faster)."""
        super().__setstate__(state)
        if hasattr(self, "pipeline_"):
            accelerate(self.pipeline_)

    def predict(self, X: list[SentenceInput]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def label_sentences(sentences: tuple[Sentence, ...] | list[Sentence], proba: np.ndarray,
                    classes: np.ndarray | list[str]) -> list[Sentence]:
    """New sentences carrying the most probable label and its probability."""
    best = np.argmax(proba, axis=1) if len(sentences) else []
    return [s.model_copy(update={"label": str(classes[k]), "score": float(proba[i, k])})
            for i, (s, k) in enumerate(zip(sentences, best, strict=True))]
