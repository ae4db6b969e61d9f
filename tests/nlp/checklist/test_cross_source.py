from __future__ import annotations

import pytest

from nlp.bundle import load_bundle
from nlp.checklist.cross_source import contradiction_reason, find_contradictions, new_problems
from nlp.classify.encoders import HashEncoder
from nlp.pipeline import analyze
from tests.builders import make_docx

REPORT = [
    ("title", "东坪县生态环境局2024年度法治政府建设情况报告"),
    ("h1", "一、主要举措和成效"),
    ("p", "局主要负责人认真履行第一责任人职责。全年我局作为被告的行政诉讼案件7件，局主要负责人全部出庭应诉，出庭应诉率达到100%。"),
    ("h1", "二、存在的不足和原因"),
    ("p", "一是执法人员力量不足，持证执法人员仅9人；二是案卷评查发现3件送达程序瑕疵。"),
    ("p", "究其原因，主要是对执法规范化重视不够。"),
    ("h1", "三、下一年度主要安排"),
    ("p", "下一步，我局将在2025年6月底前增配持证执法人员，每季度开展案卷交叉评查。"),
]
TRANSCRIPT = ("东坪县生态环境局谈话记录\n谈话时间：2025年3月12日\n谈话对象：刘晓明，法规科科长\n"
              "问：报告说局主要负责人出庭应诉率100%，情况怎样？\n"
              "答：7件案件里，局长本人出庭应诉的只有1件，其余都是分管副局长代为出庭。\n"
              "问：还有什么问题？\n"
              "答：另外，12345热线转来的噪声投诉积压了40多件没有办结，有的超期半年。\n")


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    bundle = load_bundle()
    report = analyze(make_docx(REPORT), "report.docx", bundle)
    transcript = analyze(TRANSCRIPT.encode("utf-8"), "talk.txt", bundle)
    return report, transcript, bundle.encoder


def test_a_claim_denied_in_the_interview_is_found(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    found = find_contradictions(report, [transcript], encoder)
    assert found and "100%" in found[0].claim.text and "只有1件" in found[0].statement.text
    reason = contradiction_reason(found[0])
    assert reason.code == "CLAIM_CONTRADICTED" and "talk.txt" in reason.message
    assert report.document.text[reason.evidence[0].start:reason.evidence[0].end] == reason.evidence[0].text


def test_a_problem_only_the_interview_raises_is_new(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    raised = [s.text for _, s in new_problems(report, [transcript], encoder)]
    assert any("噪声投诉" in t for t in raised)


def test_nothing_without_transcripts(pair) -> None:  # type: ignore[no-untyped-def]
    report, _, _ = pair
    assert find_contradictions(report, [], HashEncoder()) == [] and new_problems(report, [], HashEncoder()) == []


def test_cross_source_items_point_into_the_transcript(pair) -> None:  # type: ignore[no-untyped-def]
    from nlp.checklist.cross_source import cross_source_items

    report, transcript, encoder = pair
    items = cross_source_items(report, [transcript], encoder, "测试批次")
    assert items and all(i.latent_basis == "cross_source" and i.source == "interview" for i in items)
    item = next(i for i in items if "噪声投诉" in i.original)
    assert item.document == "talk.txt" and transcript.document.text[item.start:item.end] == item.original
    assert item.unit == report.document.unit
