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


@pytest.mark.parametrize(("text", "expected"), [
    # names listed before 分别: each gets its own value, in order (not all the last one)
    ("行政机关负责人出庭应诉率、行政复议纠错率分别为77.8%、26%。",
     [("行政机关负责人出庭应诉率", 77.8, True), ("行政复议纠错率", 26.0, True)]),
    ("出庭应诉率和复议纠错率分别为100%、15%。",
     [("行政机关负责人出庭应诉率", 100.0, False), ("行政复议纠错率", 15.0, False)]),
    # the change in points first, the rate in the next clause
    ("负责人出庭应诉率同比提高12.5个百分点，达到77.8%。", [("行政机关负责人出庭应诉率", 77.8, True)]),
    ("负责人出庭应诉9件，应诉率77.8%。", [("行政机关负责人出庭应诉率", 77.8, True)]),
    # a change with no rate after it is still no value
    ("复议纠错率同比下降3个百分点，办案质量稳步提升。", []),
])
def test_respective_lists_and_changes_before_the_rate(text: str, expected: list[tuple[str, float, bool]]) -> None:
    found = find_indicators(sentences(text), load_taxonomy())
    assert [(i.name, i.value, i.alert) for i in found] == expected
