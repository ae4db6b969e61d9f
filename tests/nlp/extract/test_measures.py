from __future__ import annotations

from nlp.doc import Issue, Sentence, Span
from nlp.extract.measures import match_measures


def test_issue_links_to_the_measure_that_answers_it() -> None:
    texts = [("problem", "一是规范性文件合法性审核把关不严，2件文件被指出超越权限；"), ("problem", "二是司法所力量薄弱，4个所只有1人。"),
             ("measure", "下一步将修订规范性文件合法性审核规程，实行审核意见书面化。"), ("measure", "推动为单人司法所各增配1名专职人员。"),
             ("measure", "持续加强学习。")]
    sents, pos = [], 0
    for i, (label, t) in enumerate(texts):
        sents.append(Sentence(i=i, start=pos, end=pos + len(t), text=t, label=label))
        pos += len(t)
    issues = [Issue(id=str(k), text=s.text, domain=d, visibility="explicit", vague=False,
                    evidence=(Span(start=s.start, end=s.end, text=s.text),))
              for k, (s, d) in enumerate(zip(sents[:2], ["normative_documents", "legal_workforce"], strict=True))]
    linked = match_measures(issues, sents)
    assert linked[0].measure.text.startswith("下一步将修订规范性文件")
    assert linked[1].measure.text.startswith("推动为单人司法所")


def test_no_measure_when_nothing_answers() -> None:
    sents = [Sentence(i=0, start=0, end=14, text="信访积案化解不力，3件超期。", label="problem"),
             Sentence(i=1, start=14, end=21, text="持续加强学习。", label="measure")]
    issue = Issue(id="a", text="x", domain="dispute_resolution", visibility="explicit", vague=False,
                  evidence=(Span(start=0, end=14, text=sents[0].text),))
    assert match_measures([issue], sents)[0].measure is None


def _sentences(texts: list[tuple[str, str]]) -> list[Sentence]:
    out, pos = [], 0
    for i, (label, t) in enumerate(texts):
        out.append(Sentence(i=i, start=pos, end=pos + len(t), text=t, label=label))
        pos += len(t)
    return out


def _issue(s: Sentence, domain: str = "normative_documents") -> Issue:
    return Issue(id=str(s.i), text=s.text, domain=domain, visibility="explicit", vague=False,
                 evidence=(Span(start=s.start, end=s.end, text=s.text),))


def test_a_measure_on_another_object_is_no_answer_though_it_shares_the_procedure() -> None:
    """Issue #19: 村规民约合法性审查 was linked to a measure on 户籍限制. The measure that takes up the problem's own
    object wins over one that shares its procedure; one that shares a single word answers nothing."""
    sents = _sentences([
        ("problem", "三是村规民约合法性审查还不到位，抽查的12个村中有5个村的村规民约含有限制外嫁女权益的条款。"),
        ("measure", "开展户籍限制类规定合法性审查，清理与上位法不一致的落户条件。"),
        ("measure", "组织乡镇司法所对全县村规民约逐村开展合法性审查，年底前修改完毕侵害外嫁女权益的条款。"),
    ])
    assert match_measures([_issue(sents[0])], sents)[0].measure.text.startswith("组织乡镇司法所")
    hukou = _sentences([(s.label, s.text) for s in sents[:1]] + [("measure", "全面清理户籍限制类规定，放宽重点群体落户条件。")])
    assert match_measures([_issue(hukou[0])], hukou)[0].measure is None


def test_one_shared_word_is_not_an_answer() -> None:
    """执法 is in both, but training the enforcement staff does not replace worn-out enforcement vehicles."""
    sents = _sentences([("problem", "四是执法车辆老化严重。"), ("measure", "加快推进执法队伍建设，全年开展执法培训4期。")])
    assert match_measures([_issue(sents[0], "law_enforcement")], sents)[0].measure is None



def test_listed_problems_are_answered_in_their_order() -> None:
    """Two measures take up the problem equally; the one listed in the same place (二是 ↔ 二是) answers it."""
    sents = _sentences([
        ("problem", "二是行政执法案卷质量不高，评查中有6卷案卷缺少调查笔录。"),
        ("measure", "一是开展行政执法案卷评查，逐卷补正调查笔录。"),
        ("measure", "二是开展行政执法案卷评查，逐卷补正调查笔录。"),
    ])
    assert match_measures([_issue(sents[0], "law_enforcement")], sents)[0].measure.text.startswith("二是")
