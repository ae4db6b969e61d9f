"""NgramTfidf gives TfidfVectorizer's matrix value for value, and behaves as a scikit-learn estimator."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.classify.features import ContextFeatures, JiebaTokenizer, SentenceInput, TextColumn
from nlp.classify.sentence_model import SentenceClassifier
from nlp.classify.tfidf import NgramTfidf

# fmt: off
ODD = ["", " ", "a", "AbC  d\n\n e", "一", "一二", "。。。", "\t\t", "ΑΣ ΣΑ Σ", "İx", "x  \x1c\x1d y", "问：有没有？",
       "一是台账不全；", "全面推行行政执法三项制度", "100%完成", "ＡＢＣ全角"]
TRAIN = ODD + ["依法行政水平还需提高", "法治政府建设年度报告", "Abc abc ABC", "一是学习不够；二是制度不全。"] * 2
# fmt: on


@pytest.mark.parametrize("params", [
    {"analyzer": "char", "ngram_range": (1, 3), "sublinear_tf": True, "min_df": 1},
    {"analyzer": "char", "ngram_range": (2, 3), "lowercase": False, "sublinear_tf": False, "min_df": 2},
    {"analyzer": "char", "ngram_range": (1, 2), "max_features": 20},
    {"analyzer": "word", "tokenizer": JiebaTokenizer(), "lowercase": False, "ngram_range": (1, 2), "sublinear_tf": True},
    {"analyzer": "word", "tokenizer": str.split, "ngram_range": (1, 3), "sublinear_tf": False},
])
def test_matches_tfidf_vectorizer(params: dict) -> None:  # type: ignore[type-arg]
    slow = TfidfVectorizer(token_pattern=None, **params).fit(TRAIN)
    fast = NgramTfidf(**params).fit(TRAIN)
    assert fast.vocabulary_ == slow.vocabulary_
    assert list(fast.get_feature_names_out()) == list(slow.get_feature_names_out())
    assert fast.transform([]).shape == (0, len(fast.vocabulary_))  # scikit-learn refuses an empty batch
    for docs in (ODD, TRAIN, ["完全没见过的字词組合", "Σ"], [ODD[0]]):
        a, b = slow.transform(docs), fast.transform(docs)
        assert a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)


def test_estimator_contract() -> None:
    vec = NgramTfidf(ngram_range=(1, 2), max_features=50)
    assert clone(vec).get_params() == vec.get_params()
    fitted = vec.fit(TRAIN)
    assert fitted is vec and not hasattr(clone(vec), "vocabulary_")
    again = pickle.loads(pickle.dumps(vec))
    assert type(again) is NgramTfidf
    assert np.array_equal(again.transform(TRAIN).toarray(), vec.transform(TRAIN).toarray())


@pytest.mark.parametrize("params", [{"analyzer": "html"}, {"ngram_range": (1, 4)}, {"ngram_range": (0, 2)},
                                    {"analyzer": "word"}, {"tokenizer": str.split}])
def test_unsupported_options_fail_fast(params: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        NgramTfidf(**params).fit(TRAIN)


def test_refuses_a_single_string_and_nul() -> None:
    vec = NgramTfidf().fit(TRAIN)
    with pytest.raises(ValueError, match="one string"):
        vec.transform("依法行政")
    with pytest.raises(ValueError, match="NUL"):
        vec.transform(["a\0b"])


def test_sentence_classifier_equals_the_scikit_learn_pipeline() -> None:
    """The hand-stacked features and the classifier give the probabilities of the Pipeline they replace."""
    labels = ["problem", "achievement", "measure", "other"]
    X = [SentenceInput(t, role) for t, role in zip(TRAIN, ["problems", None, "measures", "achievements"] * 10,
                                                   strict=False)]
    y = [labels[k % 4] for k in range(len(X))]
    ours = SentenceClassifier(min_df=1, context_weight=0.5).fit(X, y)
    chars = Pipeline([("text", TextColumn()), ("tfidf", TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_features=200_000))])
    words = Pipeline([("text", TextColumn()), ("tfidf", TfidfVectorizer(
        tokenizer=JiebaTokenizer(), token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True,
        min_df=1, max_features=100_000))])
    union = FeatureUnion([("chars", chars), ("words", words), ("context", ContextFeatures())],
                         transformer_weights={"chars": 1.0, "words": 1.0, "context": 0.5})
    reference = Pipeline([("features", union), ("clf", LogisticRegression(
        C=4.0, class_weight="balanced", max_iter=3000, random_state=0))]).fit(X, y)
    assert np.array_equal(ours.features(X).toarray(), union.transform(X).toarray())
    # the same matrices; the two fits differ in the last bits (scikit-learn fits on fit_transform's output)
    assert np.allclose(ours.predict_proba(X), reference.predict_proba(X), rtol=0, atol=1e-12)
    assert np.array_equal(reference[-1].predict_proba(ours.features(X)), reference.predict_proba(X))
    assert ours.predict_proba([]).shape == (0, 4)
