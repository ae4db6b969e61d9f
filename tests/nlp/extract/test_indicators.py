from __future__ import annotations

import pytest

from nlp.doc import Sentence
from nlp.extract.indicators import find_indicators
from nlp.taxonomy import load_taxonomy


def sentences(*texts: str) -> list[Sentence]:
    out, pos = [], 0
    for i, t in enumerate(texts):
        out.append(Sentence(i=i, start=pos, end=pos + len(t), text=t))
        pos += len(t) + 1
    return out


@pytest.mark.parametrize(("text", "name", "value", "alert"), [
    ("全年行政诉讼败诉率为17.6%。", "行政诉讼败诉率", 17.6, True),
    ("败诉率由上年的19.7%下降到6.3%。", "行政诉讼败诉率", 6.3, False),
    ("负责人出庭应诉率达到100%。", "行政机关负责人出庭应诉率", 100.0, False),
    ("出庭应诉率为百分之八十五点七。", "行政机关负责人出庭应诉率", 85.7, True),
    ("规范性文件报备及时率为92%。", "规范性文件报备及时率", 92.0, True),
    ("规范性文件报备率100%。", "规范性文件报备率", 100.0, False),
    ("案卷评查合格率为88.7%。", "行政执法案卷评查合格率", 88.7, True),
    ("行政复议纠错率21.98%。", "行政复议纠错率", 21.98, True),
    ("生效裁判履行率96.3%。", "生效裁判履行率", 96.3, True),
])
def test_indicator_values_and_alerts(text: str, name: str, value: float, alert: bool) -> None:
    found = find_indicators(sentences(text), load_taxonomy())
    assert [(i.name, i.value, i.alert) for i in found] == [(name, value, alert)]
    assert text[found[0].start:found[0].end].startswith(text[found[0].start])


def test_offsets_point_into_the_document() -> None:
    sents = sentences("前一句。", "全年败诉率为16%，纠错率为5%。")
    text = "前一句。\n全年败诉率为16%，纠错率为5%。"
    found = find_indicators(sents, load_taxonomy())
    assert [text[i.start:i.end] for i in found] == ["败诉率为16%", "纠错率为5%"]


def test_policy_override_changes_the_alert() -> None:
    found = find_indicators(sentences("败诉率为12%。"), load_taxonomy(), {"行政诉讼败诉率": (">=", 10.0)})
    assert found[0].alert


def test_a_rate_without_a_value_is_ignored() -> None:
    assert find_indicators(sentences("要进一步降低败诉率，提高出庭应诉率。"), load_taxonomy()) == []
