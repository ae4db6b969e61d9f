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
    parsed = parse(text.encode("utf-8"), "2025督察/谈话记录-王建国（孙丽记录）.txt")  # named after the people in it
    payload = json.dumps({"document": parsed.document.model_dump(), "sentences": [s.model_dump() for s in parsed.sentences]},
                         ensure_ascii=False)
    for name in ("王建国", "陈一鸣", "赵晓东", "孙丽"):
        assert name not in payload
    digest = parsed.document.id[:8]
    assert parsed.document.filename == f"2025督察/谈话记录-某某某（某某记录）-{digest}.txt"
    assert parsed.document.kind == "transcript"
    speakers = {s.speaker for s in parsed.sentences}
    assert {"谈话人", "谈话对象"} <= speakers
    assert any("人名已隐去" in w for w in parsed.document.warnings)


def test_only_people_are_hidden_not_words() -> None:
    from nlp.segment.transcript import names_to_hide

    text = HEADER + "谈话对象：主要是强制执行难，督察组也知道。\n问：还有呢？\n"
    names = names_to_hide(text, find_turns(text))
    assert names == {"陈一鸣", "赵晓东", "王建国", "孙丽"}


def test_names_ending_like_a_title_are_still_names() -> None:
    from nlp.segment.transcript import names_to_hide

    # 胡振志 leaked from a generated round: 志 (of 同志), 中 (of 中心) and 任 (of 主任) were refused as last characters
    text = "谈话人：王建中、李书记\n谈话对象：刘主任，法规科同志\n记录人：胡振志\n参加人员：县司法局、督察组\n问：好的。\n"
    assert names_to_hide(text, find_turns(text)) == {"王建中", "胡振志"}


MINUTES = ("江川市应急管理局法治建设督察座谈会记录\n时间：2025年5月13日下午2时30分\n"
           "主持人：谭立新，临江省法治督察第四组组长\n参加人员：夏明辉（市应急管理局副局长）、贺文博（政策法规科科长）\n"
           "记录人：邹丽娟\n"
           "谭立新（临江省法治督察第四组组长）：今天请几位同志来座谈，重点讲实际问题。先请夏局长谈一谈。\n"
           "夏明辉（市应急管理局副局长）：去年负责人出庭应诉率达到92.6%。全市一审行政诉讼案件382件。\n"
           "（夏明辉翻阅材料后补充）\n"
           "其中败诉44件。\n"
           "贺文博（政策法规科科长）：我补充一下，法规科只有2个人。\n"
           "谭立新（临江省法治督察第四组组长）：好，还有吗？\n")


def test_forum_minutes_a_speaker_per_paragraph_and_the_chair_from_the_header() -> None:
    parsed = parse(MINUTES.encode("utf-8"), "座谈会记录.txt")
    speakers = [(s.speaker, s.text) for s in parsed.sentences]
    assert all(sp is None for sp, t in speakers if t.startswith(("时间", "主持人", "参加人员", "记录人")))
    body = [sp for sp, t in speakers if not t.startswith(("时间", "主持人", "参加人员", "记录人"))]
    assert body == ["发言人1（主持人）"] * 2 + ["发言人2（市应急管理局副局长）"] * 4 + ["发言人3（政策法规科科长）",
                                                                                   "发言人1（主持人）"]
    payload = parsed.model_dump_json()
    for name in ("谭立新", "夏明辉", "贺文博", "邹丽娟"):
        assert name not in payload


def test_recorder_remarks_in_brackets_belong_to_the_running_turn() -> None:
    text = HEADER + "问：出庭情况如何？\n答：（谈话对象翻阅台账后回答）局长出庭1次。\n（谈话对象停顿片刻）\n其余委托律师。\n问：还有吗？\n"
    parsed = parse(text.encode("utf-8"), "谈话记录.txt")
    by_text = {s.text: s.speaker for s in parsed.sentences}
    assert by_text["答：（谈话对象翻阅台账后回答）局长出庭1次。"] == "谈话对象"
    assert by_text["（谈话对象停顿片刻）"] == "谈话对象" and by_text["其余委托律师。"] == "谈话对象"
    assert by_text["问：还有吗？"] == "谈话人"


def test_named_speakers_take_their_header_roles() -> None:
    from nlp.segment.transcript import header_roles

    text = ("谈话记录\n谈话人：黄志强（省法治督察第二组副组长）、马丽华（省法治督察第二组成员）\n"
            "谈话对象：刘海燕，市场监督管理局执法稽查科科长\n记录人：田文博\n"
            "黄志强：报告里说执法全过程记录实现全覆盖。你们配了几台记录仪？\n刘海燕：只有14台。\n"
            "马丽华（省法治督察第二组成员）：另外3个所呢？\n刘海燕（执法稽查科科长）：还没有配备。\n")
    assert header_roles(text) == {"黄志强": "谈话人", "马丽华": "谈话人", "刘海燕": "谈话对象", }
    turns = find_turns(text)
    assert [(t.speaker, t.role) for t in turns] == [("黄志强", "谈话人"), ("刘海燕", "谈话对象"), ("马丽华", "谈话人"),
                                                   ("刘海燕", "执法稽查科科长")]
    parsed = parse(text.encode("utf-8"), "谈话记录.txt")
    labels = [s.speaker for s in parsed.sentences if s.speaker]
    assert labels[0] == "发言人1（谈话人）" and "发言人2（谈话对象）" in labels and "发言人3（谈话人）" in labels


@pytest.mark.parametrize("style", ["qa", "latin", "roles", "named", "minutes"])
def test_every_sentence_of_generated_transcripts_has_its_speaker(style: str) -> None:
    from nlp.training.corpus import default_corpus_dir
    from nlp.training.corpus.generate_transcripts import InterviewRoundConfig, generate_interview_round
    from nlp.training.corpus.writer import load_pools

    records = generate_interview_round(InterviewRoundConfig(units=4, seed=3, styles=(style,)), load_pools(default_corpus_dir()))
    for record in records[1::2]:
        turns = find_turns(record["text"])
        for s in record["sentences"]:
            turn = speaker_at(turns, s["start"])
            assert (turn.speaker if turn else None) == s["speaker"], record["text"][s["start"]:s["end"]]


def test_a_question_asked_twice_keeps_its_turn_and_the_answer_its_speaker() -> None:
    asked = "问：你单位去年行政诉讼案件负责人出庭应诉情况如何？"
    text = (HEADER + f"{asked}\n答：这个要问法规科，我不太清楚。\n问：规范性文件是谁负责起草的？\n"
            f"答：一般是业务科室起草，法规科审核把关。\n{asked}\n请你具体说一下局长本人出庭了几次。\n"
            "答：我回去查了台账，局长本人只出庭过一次。\n")
    sentences = parse(text.encode("utf-8"), "谈话记录.txt").sentences
    spoken = [(s.speaker, s.text) for s in sentences if s.speaker is not None]
    assert [t for _, t in spoken].count(asked) == 2
    k = next(k for k, (_, t) in enumerate(spoken) if "只出庭过一次" in t)
    # the second answer follows the question asked again, and the interviewer's follow-up is not the interviewee's
    assert spoken[k - 2:k + 1] == [("谈话人", asked), ("谈话人", "请你具体说一下局长本人出庭了几次。"),
                                   ("谈话对象", "答：我回去查了台账，局长本人只出庭过一次。")]


def test_masked_file_names_stay_stable_and_unique() -> None:
    from nlp.segment.transcript import masked_filename

    def name_of(interviewee: str, filename: str) -> str:
        text = HEADER.replace("王建国", interviewee) + "问：出庭情况如何？\n答：局长出庭1次。\n"
        return parse(text.encode("utf-8"), filename).document.filename

    first, again = name_of("王建国", "谈话记录-王建国.txt"), name_of("王建国", "谈话记录-王建国.txt")
    other = name_of("李红梅", "谈话记录-李红梅.txt")
    assert first == again and first != other  # 谈话记录-某某某-<8 hex>.txt each, told apart by their content
    assert first.startswith("谈话记录-某某某-") and other.startswith("谈话记录-某某某-")
    assert name_of("王建国", "谈话记录3.txt") == "谈话记录3.txt"  # nothing to hide: the name stays as it is
    assert masked_filename("陈一鸣", {"陈一鸣"}, "0123456789") == "某某某-01234567"
    assert masked_filename("谈话/陈一鸣.记录/x", {"陈一鸣"}, "0123456789") == "谈话/某某某.记录/x-01234567"
