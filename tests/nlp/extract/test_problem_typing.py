"""Problem types given to issues: the nearest known type when it fits, none otherwise (our own sentences)."""

from __future__ import annotations

import json

import pytest

from nlp.config import ProblemTypePolicy
from nlp.doc import Issue
from nlp.extract.problem_typing import TypeMatcher, calibrate_min_score, type_matcher, with_problem_types
from nlp.problem_types import load_problem_types


# fmt: off
@pytest.mark.parametrize(("text", "code"), [
    ("部分执法人员未取得执法证件即上岗执法", "le_cert"),
    ("规范性文件报送备案超过规定时限", "nd_filing"),
    ("居民消费需求依然疲弱，有效需求不足", "gg_weak_demand"),
])
# fmt: on
def test_a_known_kind_of_problem_gets_its_type(text: str, code: str) -> None:
    assert type_matcher(None, ProblemTypePolicy().min_score).match([text])[0].code == code


@pytest.mark.parametrize("text", ["全年共召开常务会议二十四次", "天气晴好，适宜出行"])
def test_nothing_is_forced_into_a_type(text: str) -> None:
    assert type_matcher(None, ProblemTypePolicy().min_score).match([text])[0].code is None


def test_issues_carry_their_type() -> None:
    issues = [Issue(id="a", text="执法人员无证上岗问题仍然存在", domain="law_enforcement", visibility="explicit",
                    vague=False), Issue(id="b", text="全年共召开常务会议二十四次", domain="other", visibility="explicit",
                                        vague=False)]
    typed = with_problem_types(issues, ProblemTypePolicy())
    assert typed[0].problem_type == "le_cert" and typed[1].problem_type is None and typed[1] is issues[1]


def test_an_office_extends_the_types_without_retraining(tmp_path) -> None:  # type: ignore[no-untyped-def]
    office = tmp_path / "types.json"
    office.write_text(json.dumps({"version": 1, "types": [{
        "code": "xx_canteen_safety", "domain": "general_governance", "statement": "机关食堂食品安全管理不严",
        "description": "机关食堂的食材采购、留样和从业人员健康管理不规范。",
        "wordings": ["机关食堂食材采购台账不全", "食堂未按规定做好菜品留样", "食堂从业人员健康证过期仍上岗",
                     "机关食堂食品安全检查流于形式", "食堂后厨卫生管理不到位"]}]}, ensure_ascii=False), encoding="utf-8")
    policy = ProblemTypePolicy(file=str(office))
    text = "机关食堂菜品留样制度落实不到位"
    assert type_matcher(None, policy.min_score).match([text])[0].code != "xx_canteen_safety"
    assert type_matcher(policy.file, policy.min_score).match([text])[0].code == "xx_canteen_safety"


@pytest.mark.slow
def test_the_configured_threshold_is_the_calibrated_one() -> None:
    measured = calibrate_min_score(load_problem_types(), precision=0.80)
    assert abs(measured - ProblemTypePolicy().min_score) <= 0.03, measured
    assert TypeMatcher(load_problem_types(), measured).min_score == measured


def test_a_short_line_clearly_nearest_one_type_gets_it() -> None:
    """Six characters score low against every type, but their lead over the runner-up makes the type sure."""
    matcher = type_matcher(None, ProblemTypePolicy().min_score)
    scores = matcher.scores(["消费需求恢复不快"])[0]
    best = int(scores.argmax())
    assert matcher.types.types[best].code == "gg_weak_demand"
    assert scores[best] < ProblemTypePolicy().min_score  # the score alone would leave it untyped
    assert matcher.match(["消费需求恢复不快"])[0].code == "gg_weak_demand"


def test_a_line_between_two_types_is_left_untyped() -> None:
    """A line that reads as two kinds at once is not forced into either."""
    matcher = type_matcher(None, ProblemTypePolicy().min_score)
    text = "规范性文件备案审查和行政执法记录仪使用都存在问题"
    top2 = sorted(matcher.scores([text])[0], reverse=True)[:2]
    assert top2[0] - top2[1] < 0.1
    match = matcher.match([text])[0]
    assert match.score == round(2 * top2[0] - top2[1], 4)


def test_a_line_below_the_type_threshold_still_names_its_nearest_type_for_a_round() -> None:
    from nlp.extract.problem_typing import near_types

    policy = ProblemTypePolicy()
    texts = ["住房市场走势尚不明朗", "天气晴好，适宜出行"]
    assert [m.code for m in type_matcher(None, policy.min_score).match(texts)] == [None, None]
    assert near_types(texts, policy) == ["gg_property", None]
    assert near_types(texts, policy.model_copy(update={"join_score": None})) == [None, None]


@pytest.mark.slow
def test_the_join_threshold_is_the_calibrated_one() -> None:
    measured = calibrate_min_score(load_problem_types(), precision=0.70)
    assert abs(measured - ProblemTypePolicy().join_score) <= 0.03, measured
