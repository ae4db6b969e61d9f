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
