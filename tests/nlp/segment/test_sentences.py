from __future__ import annotations

import pytest

from nlp.segment.sentences import iter_sentence_spans


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in iter_sentence_spans(text)]


# fmt: off
GOLDEN = [
    ("全年办理复议案件36件。纠错5件！", ["全年办理复议案件36件。", "纠错5件！"]),
    ("一是学习不够深入；二是制度执行不严。", ["一是学习不够深入；", "二是制度执行不严。"]),
    ("他强调：“要依法行政。决不能以罚代管！”会后形成纪要。", ["他强调：“要依法行政。决不能以罚代管！”", "会后形成纪要。"]),
    ("印发《关于规范涉企检查。的通知》并抓好落实。", ["印发《关于规范涉企检查。的通知》并抓好落实。"]),
    ("真的做到了吗？！我们还要努力。", ["真的做到了吗？！", "我们还要努力。"]),
    ("工作还有差距……下一步要加强。", ["工作还有差距……", "下一步要加强。"]),
    ("（详见附件。）后续再议。", ["（详见附件。）", "后续再议。"]),
    ("二、存在的问题\n一是台账不全。", ["二、存在的问题", "一是台账不全。"]),
    ("  前有空格。  \n\n 后面也有。 ", ["前有空格。", "后面也有。"]),
    ("没有结束标点的一行", ["没有结束标点的一行"]),
    ("比率为13.5%，增长2.1个百分点。", ["比率为13.5%，增长2.1个百分点。"]),
    ("引文“未闭合。后面还有很多字", ["引文“未闭合。后面还有很多字"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_golden_sentences(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_offsets_point_into_text() -> None:
    text = "第一句。\n第二句；第三句！"
    for s, e in iter_sentence_spans(text):
        assert text[s:e].strip() == text[s:e]
        assert "\n" not in text[s:e]


def test_window_limits_the_scan() -> None:
    text = "甲句。乙句。丙句。"
    assert list(iter_sentence_spans(text, 3, 6)) == [(3, 6)]


def test_unbalanced_quote_stops_protecting_after_a_long_stretch() -> None:
    text = "“" + "很长的句子。" * 80
    assert len(split(text)) > 1
