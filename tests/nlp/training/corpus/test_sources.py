from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.training.corpus.sources import SourceError, parse_source

CODES = frozenset(load_taxonomy().codes)
HEADER = """---
id: t01
kind: shufa_report
unit: 青川市生态环境局
level: department
year: 2024
verdict: revise
reasons: LOW_PROBLEM_SHARE
omission: reconsideration_litigation
---
"""
BODY = """T| 青川市生态环境局局长2024年度述法报告
O| 现将有关情况报告如下。

H1| 一、履职情况
A| 全年主持召开党组会议专题研究法治工作4次。
A[claim=k1]| 局主要负责人出庭应诉率达到100%。

H1| 二、存在的问题
P| 还存在一些差距：

P[d=law_enforcement v=e m=1]| 一是三项制度执行不够到位，48件案卷中有7件缺少法制审核记录；
P[+]| 其中2件已被复议撤销。
P[d=legal_thinking v=h vague]| 二是部分干部法治思维还有提升空间。
C| 究其原因，主要是认识不足。

H1| 三、下一步打算
M[#1]| 下一步，我局将在2025年6月底前完成补正。
"""


def test_record_offsets_labels_and_issues() -> None:
    rec = parse_source(HEADER + BODY, "t01", CODES)
    text = rec["text"]
    assert text.startswith("青川市生态环境局局长2024年度述法报告\n现将有关情况报告如下。\n一、履职情况\n")
    assert [text[h["start"]:h["end"]] for h in rec["headings"]] == ["一、履职情况", "二、存在的问题", "三、下一步打算"]
    labels = [s["label"] for s in rec["sentences"]]
    assert labels == ["other", "achievement", "achievement", "problem", "problem", "problem", "problem", "cause",
                      "measure"]
    first, second, omission = rec["issues"]
    assert text[first["evidence"][0]["start"]:first["evidence"][0]["end"]].startswith("一是三项制度")
    assert len(first["evidence"]) == 2, "the + line continues the issue"
    assert text[first["measure"]["start"]:first["measure"]["end"]].startswith("下一步")
    assert (second["visibility"], second["latent_basis"], second["vague"]) == ("latent", "hedged", True)
    assert (omission["latent_basis"], omission["evidence"]) == ("omission", [])
    assert rec["claims"][0]["key"] == "k1"


def test_transcript_speakers_inherit_within_a_turn() -> None:
    src = HEADER.replace("shufa_report", "transcript").replace("revise", "none").replace("LOW_PROBLEM_SHARE", "")
    src += "O[spk=问]| 问：出庭情况如何？\nO[spk=答]| 答：局长出庭1次。\nP[d=reconsideration_litigation v=e]| 其余都是委托律师。\n"
    rec = parse_source(src, "t", CODES)
    assert [s["speaker"] for s in rec["sentences"]] == ["问", "答", "答"]


@pytest.mark.parametrize(("body", "message"), [
    ("A| 没有结束标点\nA| 下一句。\n", "must end with"),
    ("P[d=nowhere v=e]| 一句。\n", "unknown domain"),
    ("P[d=law_enforcement]| 一句。\n", "needs v=e"),
    ("P[d=law_enforcement v=e m=9]| 一句。\n", "points to no M"),
    ("P[v=e]| 一句。\n", "needs d="),
    ("P[+]| 一句。\n", "continues an issue"),
    ("Z| 一句。\n", "must look like"),
    ("A| 他说“好。”然后走了。\n", "cuts this line differently"),
])
def test_defects_are_reported_with_their_line(body: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_source(HEADER + body, "t01", CODES)


def test_header_is_validated() -> None:
    with pytest.raises(SourceError, match="kind"):
        parse_source(HEADER.replace("shufa_report", "memo") + BODY, "t", CODES)
    with pytest.raises(SourceError, match="needs reason codes"):
        parse_source(HEADER.replace("LOW_PROBLEM_SHARE", "") + BODY, "t", CODES)
