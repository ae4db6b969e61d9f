"""Issue #19 part 4, end to end on reports of our own (invented units): an indicator over its line that the report
leaves uncommented, a 述法报告 that reads as a 普法 report, a 述法报告 without the leader's own part."""

from __future__ import annotations

import pytest

from nlp.bundle import load_bundle
from nlp.pipeline import analyze

HEAD = "某县水务局局长2024年度述法报告\n一、履行推进法治建设第一责任人职责情况\n"
DUTY = "本人作为第一责任人，主持召开局党组会议4次专题研究法治建设，亲自部署取水许可清理工作。\n"
TAIL = ("三、存在的问题\n一是执法人员对新修订的水法学习不够，3起河道采砂案件处罚裁量偏重。二是合法性审核力量薄弱，仅有1名法律顾问。\n"
        "四、原因分析\n主要是本人对法治工作重视不够，督促检查不到位。\n"
        "五、下一步措施\n一是组织执法人员开展水法专题培训2次，年底前完成。二是聘请2名法律顾问，加强合法性审核。\n")
FIGURES = ("二、依法行政情况\n全年办理取水许可事项215件，均在法定时限内办结。"
           "行政机关负责人出庭应诉率、行政复议纠错率分别为77.8%、26%。\n")
CLEAN_FIGURES = ("二、依法行政情况\n全年办理取水许可事项215件，均在法定时限内办结。"
                 "行政机关负责人出庭应诉率、行政复议纠错率分别为100%、12%。\n")
PUBLICITY = ("二、普法工作情况\n全年组织开展普法宣传活动36场，发放宣传资料1.2万份。"
             "在世界水日、中国水周期间开展送法下乡活动，设置法律咨询台12个。"
             "举办水法律法规法治讲座8期，邀请律师以案释法，参与群众3000余人次。"
             "组织开展宪法宣传周活动，在乡镇集市悬挂宣传横幅40条、设置展板60块。"
             "开展民法典宣传进村入户活动，培育法律明白人56名。"
             "组织全局干部参加法治知识竞赛，编印普法宣传册2000册。\n")
UNIT_ONLY = ("某县水务局2024年度述法报告\n一、履行推进法治建设职责情况\n"
             "局党组召开会议4次专题研究法治建设，制定年度法治工作要点。我局成立法治建设领导小组，明确法规股具体承办。\n")


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return load_bundle()


def run(bundle, text: str, kind: str = "shufa_report"):  # type: ignore[no-untyped-def]
    return analyze(text.encode("utf-8"), "t.txt", bundle, kind=kind, unit="某县水务局", year=2024).verdict


def codes(verdict) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.code for r in verdict.reasons}


def test_figures_over_their_lines_left_uncommented_make_the_report_revise(bundle) -> None:  # type: ignore[no-untyped-def]
    verdict = run(bundle, HEAD + DUTY + FIGURES + TAIL)
    assert verdict.decision == "revise"
    alert = next(r for r in verdict.reasons if r.code == "INDICATOR_ALERT")
    assert "行政机关负责人出庭应诉率" in alert.message and "行政复议纠错率" in alert.message
    assert len(alert.evidence) == 1 and "77.8%" in alert.evidence[0].text  # one sentence, quoted once


def test_figures_within_their_lines_pass(bundle) -> None:  # type: ignore[no-untyped-def]
    verdict = run(bundle, HEAD + DUTY + CLEAN_FIGURES + TAIL)
    assert verdict.decision == "pass", verdict.reasons


def test_a_sentence_citing_the_figure_does_not_answer_itself(bundle) -> None:  # type: ignore[no-untyped-def]
    text = (HEAD + DUTY + "二、依法行政情况\n全年办理取水许可事项215件。\n" + TAIL
            + "三是严格落实行政机关负责人出庭应诉制度，负责人出庭应诉率为77.8%。\n")
    assert "INDICATOR_ALERT" in codes(run(bundle, text))


def test_a_measure_on_the_indicator_answers_it(bundle) -> None:  # type: ignore[no-untyped-def]
    text = HEAD + DUTY + FIGURES + TAIL + "三是严格落实负责人出庭应诉制度，提高出庭应诉率，降低复议纠错率。\n"
    assert "INDICATOR_ALERT" not in codes(run(bundle, text))


def test_a_shufa_report_that_reads_as_a_publicity_report_is_revised(bundle) -> None:  # type: ignore[no-untyped-def]
    verdict = run(bundle, HEAD + DUTY + PUBLICITY + TAIL)
    assert verdict.decision == "revise"
    reason = next(r for r in verdict.reasons if r.code == "READS_AS_PUBLICITY")
    assert reason.message.startswith("报告约") and "普法" in reason.message
    assert 1 <= len(reason.evidence) <= 3 and all("普法" in e.text or "宣传" in e.text or "讲座" in e.text
                                                  or "送法" in e.text for e in reason.evidence)


def test_publicity_in_its_proportion_is_no_reason(bundle) -> None:  # type: ignore[no-untyped-def]
    one = "二、普法工作情况\n全年组织开展普法宣传活动36场，发放宣传资料1.2万份。\n"
    assert "READS_AS_PUBLICITY" not in codes(run(bundle, HEAD + DUTY + CLEAN_FIGURES + one + TAIL))


def test_publicity_is_only_judged_in_a_shufa_report(bundle) -> None:  # type: ignore[no-untyped-def]
    assert "READS_AS_PUBLICITY" not in codes(run(bundle, HEAD + DUTY + PUBLICITY + TAIL, kind="self_report"))


def test_a_shufa_report_without_the_leaders_own_part_is_revised(bundle) -> None:  # type: ignore[no-untyped-def]
    tail = TAIL.replace("主要是本人", "主要是")
    verdict = run(bundle, UNIT_ONLY + CLEAN_FIGURES + tail)
    assert verdict.decision == "revise"
    reason = next(r for r in verdict.reasons if r.code == "NO_PERSONAL_DUTY")
    assert "本人" in reason.message and reason.evidence and "局党组" in reason.evidence[0].text
    # the same defect is not said twice as a missing 第一责任人 topic
    assert "MISSING_REQUIRED_TOPIC" not in codes(verdict)


def test_the_leaders_own_part_clears_it_and_other_kinds_owe_none(bundle) -> None:  # type: ignore[no-untyped-def]
    assert "NO_PERSONAL_DUTY" not in codes(run(bundle, HEAD + DUTY + CLEAN_FIGURES + TAIL))
    tail = TAIL.replace("主要是本人", "主要是")
    assert "NO_PERSONAL_DUTY" not in codes(run(bundle, UNIT_ONLY + CLEAN_FIGURES + tail, kind="annual_report"))
