from __future__ import annotations

import json

import pytest

from nlp.pipeline import parse
from nlp.segment.transcript import find_turns, pseudonyms, redact, speaker_at

HEADER = "谈话记录\n谈话时间：2025年3月12日\n谈话人：省法治督察组 陈一鸣、赵晓东\n谈话对象：王建国，法规科科长\n记录人：孙丽\n"


@pytest.mark.parametrize(("body", "speakers"), [
    ("问：出庭情况如何？\n答：局长出庭1次。其余委托律师。\n", ["问", "答", "答"]),
    ("Q：出庭情况如何？\nA：局长出庭1次。\n", ["Q", "A"]),
    ("谈话人：出庭情况如何？\n谈话对象：局长出庭1次。\n", ["谈话人", "谈话对象"]),
    ("陈一鸣：出庭情况如何？\n王建国：局长出庭1次。\n", ["陈一鸣", "王建国"]),
    ("张某某（石桥镇司法所所长）：我们所只有2个人。调解任务很重。\n李某（镇长）：同意。\n", ["张某某", "张某某", "李某"]),
])
def test_turn_styles(body: str, speakers: list[str]) -> None:
    text = HEADER + body
    turns = find_turns(text)
    turn_starts = [s for k, s in enumerate(speakers) if k == 0 or s != speakers[k - 1]]
    assert [t.speaker for t in turns] == turn_starts
    assert speaker_at(turns, text.index("谈话时间")) is None  # the header belongs to no one


def test_pseudonyms_and_same_length_redaction() -> None:
    text = HEADER + "陈一鸣：出庭情况如何？\n王建国：局长出庭1次。\n"
    turns = find_turns(text)
    assert pseudonyms(turns) == {"陈一鸣": "发言人1", "王建国": "发言人2"}
    hidden = redact(text, {"陈一鸣", "王建国"})
    assert len(hidden) == len(text) and "陈一鸣" not in hidden and "某某某：出庭" in hidden


def test_no_name_from_a_transcript_reaches_the_output() -> None:
    text = HEADER + "问：你局负责人出庭应诉率是多少？\n答：报告写的是100%，实际上局长只出庭1次。王建国说的是实情。\n"
    parsed = parse(text.encode("utf-8"), "谈话记录.txt")
    payload = json.dumps({"document": parsed.document.model_dump(), "sentences": [s.model_dump() for s in parsed.sentences]},
                         ensure_ascii=False)
    for name in ("王建国", "陈一鸣", "赵晓东", "孙丽"):
        assert name not in payload
    assert parsed.document.kind == "transcript"
    speakers = {s.speaker for s in parsed.sentences}
    assert {"谈话人", "谈话对象"} <= speakers
    assert any("人名已隐去" in w for w in parsed.document.warnings)


def test_only_people_are_hidden_not_words() -> None:
    from nlp.segment.transcript import names_to_hide

    text = HEADER + "谈话对象：主要是强制执行难，督察组也知道。\n问：还有呢？\n"
    names = names_to_hide(text, find_turns(text))
    assert names == {"陈一鸣", "赵晓东", "王建国", "孙丽"}
