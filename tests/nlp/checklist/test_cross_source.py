from __future__ import annotations

import pytest

from nlp.bundle import RoundModels, load_bundle
from nlp.checklist.claims import confirms, said, stance
from nlp.checklist.cross_source import (
    NO_UNIT_WARNING,
    contradiction_pairs,
    cross_source_items,
    find_contradictions,
    new_problems,
)
from nlp.classify.encoders import HashEncoder
from nlp.pipeline import analyze
from nlp.review.reasons import CROSS_SOURCE_CONTRADICTION, cross_source_contradiction_reason
from nlp.round import review_round
from tests.builders import make_docx

REPORT = [
    ("title", "东坪县生态环境局2024年度法治政府建设情况报告"),
    ("h1", "一、主要举措和成效"),
    ("p", "局主要负责人认真履行第一责任人职责。全年我局作为被告的行政诉讼案件7件，局主要负责人全部出庭应诉，出庭应诉率达到100%。"),
    ("p", "全年制发规范性文件5件，均在公布后30日内报送县政府备案，报备率达到100%。"),
    ("h1", "二、存在的不足和原因"),
    ("p", "一是执法人员力量不足，持证执法人员仅9人；二是案卷评查发现3件送达程序瑕疵。"),
    ("p", "究其原因，主要是对执法规范化重视不够。"),
    ("h1", "三、下一年度主要安排"),
    ("p", "下一步，我局将在2025年6月底前增配持证执法人员，每季度开展案卷交叉评查。"),
]
# Header names are written in full on purpose: none of them may reach any output.
TRANSCRIPT = ("东坪县生态环境局谈话记录\n谈话时间：2025年3月12日\n谈话对象：刘晓明，法规科科长\n"
              "问：报告说局主要负责人出庭应诉率100%，情况怎样？\n"
              "答：7件案件里，局长本人出庭应诉的只有1件，其余都是分管副局长代为出庭。\n"
              "问：规范性文件报备的情况呢？\n"
              "答：5件文件都在30天内报了备，备案登记簿上都有，没有超期的。\n"
              "问：还有什么问题？\n"
              "答：另外，12345热线转来的噪声投诉积压了40多件没有办结，有的超期半年。\n"
              "答：执法人员力量确实不足，持证的只有9个人。\n")


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    bundle = load_bundle()
    report = analyze(make_docx(REPORT), "report.docx", bundle, unit="东坪县生态环境局")
    transcript = analyze(TRANSCRIPT.encode("utf-8"), "talk.txt", bundle, unit="东坪县生态环境局")
    return report, transcript, bundle.encoder


def round_models(encoder):  # type: ignore[no-untyped-def]
    return RoundModels(load_bundle().config, None, encoder)


def test_a_claim_denied_in_the_interview_is_found_with_both_spans(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    found = find_contradictions(report, [transcript], encoder)
    assert len(found) == 1  # the filing claim is confirmed, not contradicted
    c = found[0]
    assert "100%" in c.claim.text and "只有1件" in c.statement.text and c.transcript == "talk.txt"
    assert c.indicators == ("行政机关负责人出庭应诉率",)
    reason = cross_source_contradiction_reason(contradiction_pairs(found))
    assert reason.code == CROSS_SOURCE_CONTRADICTION and "talk.txt" in reason.message and "只有1件" in reason.message
    claim, statement = reason.evidence
    assert claim.document is None and report.document.text[claim.start:claim.end] == claim.text
    assert statement.document == "talk.txt" and transcript.document.text[statement.start:statement.end] == statement.text
    assert '"document":"talk.txt"' in reason.model_dump_json() and '"document"' not in claim.model_dump_json()


def test_the_verdict_gets_the_reason_and_the_indicator_goes_into_alert(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    assert report.verdict.decision == "pass"  # on its own
    updated = review_round([report, transcript], round_models(encoder)).results[0]
    assert updated.verdict.decision == "revise"  # a pass becomes a revise
    assert [r.code for r in updated.verdict.reasons].count(CROSS_SOURCE_CONTRADICTION) == 1
    alerting = {i.name for i in updated.metrics.indicators if i.alert}
    assert "行政机关负责人出庭应诉率" in alerting
    again = review_round([updated, transcript], round_models(encoder)).results[0]
    assert again == updated  # applying twice changes nothing
    cleared = review_round([updated], round_models(encoder)).results[0]  # the interview left the round
    assert CROSS_SOURCE_CONTRADICTION not in [r.code for r in cleared.verdict.reasons]


def test_a_problem_only_the_interview_raises_is_new_and_a_restated_one_is_not(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    raised = [s.text for _, s in new_problems(report, [transcript], encoder)]
    assert any("噪声投诉" in t for t in raised)
    assert not any("持证的只有9个人" in t for t in raised)  # the report states it (持证执法人员仅9人)
    assert not any("没有超期的" in t for t in raised)  # a confirmation is no problem


def test_nothing_without_transcripts(pair) -> None:  # type: ignore[no-untyped-def]
    report, _, _ = pair
    assert find_contradictions(report, [], HashEncoder()) == [] and new_problems(report, [], HashEncoder()) == []
    assert review_round([report], round_models(HashEncoder())).results[0].verdict == report.verdict


def test_cross_source_items_show_both_sides(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    items = cross_source_items(report, [transcript], encoder, "测试批次")
    assert items and all(i.latent_basis == "cross_source" and i.source == "interview" for i in items)
    assert [i.number for i in items] == list(range(1, len(items) + 1))
    new = next(i for i in items if "噪声投诉" in i.original)
    assert new.document == "talk.txt" and transcript.document.text[new.start:new.end] == new.original
    denied = next(i for i in items if i.document == "report.docx")
    assert report.document.text[denied.start:denied.end] == denied.original and "100%" in denied.original
    assert "只有1件" in denied.text and "talk.txt" in denied.text and denied.domain == "reconsideration_litigation"
    assert all(i.unit == "东坪县生态环境局" for i in items)


def test_claims_align_by_topic_not_by_position() -> None:
    bundle = load_bundle()
    report = analyze(make_docx(REPORT), "report.docx", bundle, unit="东坪县生态环境局")
    talk = ("东坪县生态环境局谈话记录\n问：先说说规范性文件报备。\n"
            "答：5件文件里有2件是过了30天才报的备，是年底清理时补报的。\n"
            "问：出庭应诉呢？\n答：7件案件都是局长本人出的庭，庭审笔录上都有记录。\n")
    transcript = analyze(talk.encode("utf-8"), "talk2.txt", bundle, unit="东坪县生态环境局")
    found = find_contradictions(report, [transcript], bundle.encoder)
    assert len(found) == 1 and "报备" in found[0].claim.text and "2件" in found[0].statement.text


def test_two_reports_of_a_unit_and_a_transcript_in_a_round(pair) -> None:  # type: ignore[no-untyped-def]
    report, transcript, encoder = pair
    orphan = transcript.model_copy(update={"document": transcript.document.model_copy(
        update={"unit": "梅岭县水利局", "filename": "orphan.txt"})})
    nameless = transcript.model_copy(update={"document": transcript.document.model_copy(
        update={"unit": None, "filename": "nameless.txt"})})
    review = review_round([report, transcript, orphan, nameless], round_models(encoder))
    results, warnings = review.results, review.summary.warnings
    assert CROSS_SOURCE_CONTRADICTION in [r.code for r in results[0].verdict.reasons]
    assert results[1].document == transcript.document  # a matched transcript is not warned
    assert [w.file for w in warnings] == ["orphan.txt", "nameless.txt"]
    assert "梅岭县水利局" in warnings[0].message and warnings[1].message == NO_UNIT_WARNING
    assert warnings[0].message in results[2].document.warnings  # still analysed, and says why it stands alone
    assert results[2].sentences == orphan.sentences
    rows = [row for row in review.items if row.item.latent_basis == "cross_source"]
    assert rows and {results[row.result].document.filename for row in rows} <= {"report.docx", "talk.txt"}
    # the warning is the round step's own: reviewed again once the unit's report is in, it goes
    matched = review_round([results[2], report.model_copy(update={"document": report.document.model_copy(
        update={"unit": "梅岭县水利局", "filename": "r2.docx"})})], round_models(encoder)).results[0]
    assert warnings[0].message not in matched.document.warnings


@pytest.mark.parametrize(("text", "expected"), [
    ("7件案件里，局长本人出庭应诉的只有1件。", "deny"),  # a limit
    ("其中有3件超过了30日的报备期限。", "deny"),  # an exception with a failing
    ("这一项说实话没有经过我们科的合法性审查。", "deny"),
    ("但“全部按期办结”这个说法不准确。", "deny"),
    ("局里没有专门的法制机构，法治工作由办公室兼管。", "negate"),
    ("审批中介机构服务时限过长，明显拉长了项目审批周期。", "negate"),
    ("5件文件都在30天内报了备，没有超期的。", "affirm"),  # a double negation affirms
    ("7件都是局长本人出的庭，没有一件是委托别人代为出庭的。", "affirm"),
    ("反馈的8个问题我们逐条对过，都有整改材料，没有挂账的。", "affirm"),
    ("上级也没有提出过纠正意见，9件都按时报了。", "affirm"),
    ("全年受理投诉举报92件。", "neutral"),
])
def test_stance(text: str, expected: str) -> None:
    assert stance(text) == expected


def test_confirmation_and_speech_helpers() -> None:
    claim = "全年制发规范性文件5件，均在公布后30日内报送备案。"
    assert confirms("5件文件都按时报了备。", claim)
    assert not confirms("5件文件里有2件超期才报备。", claim)
    assert said("某某某（法规科科长）：（翻阅台账后回答）有2件超期。") == "有2件超期。"
    assert said("答：有2件超期。") == "有2件超期。"
