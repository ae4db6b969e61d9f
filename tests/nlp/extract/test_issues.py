from __future__ import annotations

import pytest

from nlp.doc import Document, Sentence
from nlp.extract.cues import has_anchor, is_hedged, is_lead_in
from nlp.extract.issues import build_issues, checklist_line, group_problem_sentences


def labelled(*items: tuple[str, str]) -> list[Sentence]:
    out, pos = [], 0
    for i, (label, t) in enumerate(items):
        out.append(Sentence(i=i, start=pos, end=pos + len(t), text=t, label=label))
        pos += len(t)
    return out


def test_items_become_issues_and_the_lead_in_does_not() -> None:
    sents = labelled(("problem", "对照要求，我局还存在以下不足："), ("problem", "一是执法案卷中有7件缺少法制审核记录；"),
                     ("problem", "其中2件已被复议撤销。"), ("problem", "二是干部法治思维还有提升空间。"),
                     ("cause", "究其原因，主要是认识不足。"))
    groups = group_problem_sentences(sents)
    assert [[s.i for s in g] for g in groups] == [[1, 2], [3]]


def test_a_stock_sentence_before_enumerated_items_is_their_lead_in() -> None:
    sents = labelled(("problem", "我局法治建设仍有不少短板。"), ("problem", "一是台账不全；"), ("problem", "二是培训不足。"))
    assert [[s.i for s in g] for g in group_problem_sentences(sents)] == [[1], [2]]


def test_a_lone_stock_sentence_is_a_vague_issue() -> None:
    sents = labelled(("achievement", "全年办理案件36件。"), ("problem", "工作中还存在一些不足。"))
    assert [[s.i for s in g] for g in group_problem_sentences(sents)] == [[1]]


def test_build_issues_spans_and_checklist_line() -> None:
    sents = labelled(("problem", "一是执法案卷中有7件缺少法制审核记录；"), ("problem", "其中2件已被复议撤销。"))
    doc = Document(id="d", filename="x", text="".join(s.text for s in sents))
    issues = build_issues(doc, group_problem_sentences(sents), [("law_enforcement", False, False)])
    assert issues[0].text == "执法案卷中有7件缺少法制审核记录"
    assert [e.text for e in issues[0].evidence] == [s.text for s in sents]
    assert issues[0].visibility == "explicit" and issues[0].latent_basis is None


@pytest.mark.parametrize(("text", "line"), [("二是台账不全；", "台账不全"), ("（三）培训不足。", "培训不足"), ("首先，站位不高。", "站位不高")])
def test_checklist_line(text: str, line: str) -> None:
    assert checklist_line(text) == line


@pytest.mark.parametrize(("text", "anchor"), [
    ("学习不够深入系统。", False), ("法治意识有待进一步提高。", False), ("全年有7件案卷缺少审核记录。", True),
    ("《行政复议法》学习不深。", True), ("三项制度执行不到位。", True), ("法规科审核力量不足。", True),
])
def test_anchor(text: str, anchor: bool) -> None:
    assert has_anchor(text) is anchor


def test_hedges_and_lead_ins() -> None:
    assert is_hedged("部分干部法治思维还有提升空间。") and not is_hedged("执法案卷缺少法制审核记录。")
    assert is_lead_in("主要表现在以下几个方面：") and not is_lead_in("工作中还存在一些不足。")


def test_a_lead_in_and_its_list_in_one_sentence_become_one_issue_each() -> None:
    text = "对照上级要求，我局还存在一些不足，主要是：学法用法不够深入，执法程序不够规范，对基层的监督指导不够有力。"
    sents = labelled(("problem", text))
    groups = group_problem_sentences(sents)
    assert [g[0].text for g in groups] == ["学法用法不够深入", "执法程序不够规范", "对基层的监督指导不够有力"]
    assert all(text[g[0].start:g[0].end] == g[0].text for g in groups)
    doc = Document(id="d", filename="x", text=text)
    issues = build_issues(doc, groups, [("law_enforcement", False, True)] * 3)
    assert len({i.id for i in issues}) == 3 and [len(i.evidence) for i in issues] == [1, 1, 1]


def test_listed_bare_problems_split_but_a_concrete_problem_with_its_details_stays_one() -> None:
    listed = labelled(("problem", "同时，部分干部存在学习不够系统、法治意识不强、依法决策能力不足等问题。"))
    assert [g[0].text for g in group_problem_sentences(listed)] == ["学习不够系统", "法治意识不强", "依法决策能力不足"]
    concrete = labelled(("problem", "一是案卷质量不高，抽查的20件案卷有3件存在证据链不完整、文书制作不规范等问题。"))
    assert len(group_problem_sentences(concrete)) == 1
    explained = labelled(("problem", "抽查的30卷案卷中有5卷不合格，主要是称重记录与处罚决定不一致，且未说明原因。"))
    assert len(group_problem_sentences(explained)) == 1


def test_a_short_inline_list_is_split_before_the_lead_in_filter() -> None:
    sents = labelled(("problem", "还存在一些不足，主要表现在：学法不深，执法不严。"))
    assert [g[0].text for g in group_problem_sentences(sents)] == ["学法不深", "执法不严"]
