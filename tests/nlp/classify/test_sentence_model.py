from __future__ import annotations

import pickle

import numpy as np
from sklearn.base import clone

from nlp.classify.features import ContextFeatures, SentenceInput
from nlp.classify.sentence_model import SentenceClassifier, label_sentences
from nlp.doc import Sentence

# fmt: off
DATA = [
    ("全年办理行政复议案件36件，纠错5件。", "achievements", "achievement"), ("组织执法人员培训4期，参训210人次。", "achievements", "achievement"),
    ("修订裁量基准，细化裁量情形126项。", "achievements", "achievement"), ("建成法治文化阵地12个。", "achievements", "achievement"),
    ("执法案卷中有7件缺少法制审核记录。", "problems", "problem"), ("部分干部法治思维还有提升空间。", "problems", "problem"),
    ("司法所力量薄弱，4个所只有1人。", "problems", "problem"), ("规范性文件审核把关不严。", "problems", "problem"),
    ("究其原因，主要是思想认识不到位。", "causes", "cause"), ("根源在于责任压得不实。", "causes", "cause"),
    ("主观上对法治建设重视不够。", "causes", "cause"), ("客观上人员编制偏少。", "causes", "cause"),
    ("下一步将修订审核规程。", "measures", "measure"), ("2025年6月底前完成全员轮训。", "measures", "measure"),
    ("将推动增配专职人员。", "measures", "measure"), ("持续开展案卷交叉评查。", "measures", "measure"),
    ("现将有关情况报告如下。", None, "other"), ("特此报告。", None, "other"), ("2025年3月1日", None, "other"),
    ("青川市司法局", None, "other"),
]
# fmt: on
X = [SentenceInput(t, role) for t, role, _ in DATA]
Y = [y for _, _, y in DATA]


def test_fit_predict_and_probabilities() -> None:
    clf = SentenceClassifier(min_df=1).fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 5) and np.allclose(proba.sum(axis=1), 1)
    assert (clf.predict(X) == np.array(Y)).mean() >= 0.9


def test_clone_and_pickle_round_trip() -> None:
    clf = SentenceClassifier(min_df=1, C=2.0).fit(X, Y)
    assert clone(clf).get_params() == clf.get_params()
    again = pickle.loads(pickle.dumps(clf))
    assert np.allclose(again.predict_proba(X), clf.predict_proba(X))


def test_unknown_label_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown labels"):
        SentenceClassifier(min_df=1).fit(X[:2], ["achievement", "praise"])


def test_label_sentences_returns_new_objects() -> None:
    sents = [Sentence(i=0, start=0, end=2, text="甲乙"), Sentence(i=1, start=2, end=4, text="丙丁")]
    proba = np.array([[0.1, 0.7, 0.1, 0.05, 0.05], [0.6, 0.1, 0.1, 0.1, 0.1]])
    out = label_sentences(sents, proba, np.array(["achievement", "cause", "measure", "other", "problem"]))
    assert [(s.label, s.score) for s in out] == [("cause", 0.7), ("achievement", 0.6)]
    assert sents[0].label is None


def test_context_features_shape() -> None:
    m = ContextFeatures().transform([SentenceInput("一是台账不全；", "problems", "annual_report", 0.5)])
    assert m.shape[0] == 1 and m.nnz > 0
