"""One golden case per reason code: the check fires on the case built for it and stays quiet on a clean report."""

from __future__ import annotations

import pytest

from nlp.config import load_config
from nlp.doc import Document, Issue, Metrics, Sentence, Span
from nlp.review import reasons as R
from nlp.review.verdict import decide

CONFIG = load_config()


def sent(i: int, label: str, text: str) -> Sentence:
    return Sentence(i=i, start=i * 100, end=i * 100 + len(text), text=text, label=label)


def issue(k: int, vague: bool = False, measure: bool = True, basis: str | None = None, domain: str = "law_enforcement") -> Issue:
    ev = Span(start=k * 100, end=k * 100 + 4, text="问题证据")
    return Issue(id=str(k), text=f"问题{k}", domain=domain, visibility="latent" if basis else "explicit",
                 latent_basis=basis, vague=vague, evidence=() if basis == "omission" else (ev,),
                 measure=Span(start=0, end=2, text="措施") if measure else None)


def review(kind: str = "annual_report", share: float = 0.4, issues: list[Issue] | None = None,
           sentences: list[Sentence] | None = None, near: tuple[str, float] | None = None) -> R.ReviewInput:
    issues = issues if issues is not None else [issue(1), issue(2)]
    sentences = sentences if sentences is not None else [sent(0, "achievement", "全年办理案件36件。"),
                                                         sent(1, "cause", "主要是思想认识不到位。")]
    stated = [i for i in issues if i.latent_basis not in ("omission", "indicator")]
    metrics = Metrics(problem_share=share, achievement_share=1 - share, measure_share=0.1, problems_total=len(stated),
                      problems_vague=sum(i.vague for i in stated), problems_with_measure=sum(i.measure is not None for i in stated),
                      causes_total=sum(s.label == "cause" for s in sentences))
    doc = Document(id="d", filename="d.txt", kind=kind, text="x")
    return R.ReviewInput(doc, tuple(sentences), tuple(issues), metrics, CONFIG, near)


CLEAN = review()


# fmt: off
@pytest.mark.parametrize(("check", "case", "code"), [
    (R.check_no_problems, review(issues=[], share=0.0), "NO_PROBLEMS"),
    (R.check_no_problems, review(issues=[issue(1, vague=True)], share=0.02), "NO_PROBLEMS"),
    (R.check_near_duplicate, review(near=("other.docx", 0.83)), "NEAR_DUPLICATE"),
    (R.check_low_problem_share, review(share=0.12), "LOW_PROBLEM_SHARE"),
    (R.check_vague_problems, review(issues=[issue(1, vague=True), issue(2, vague=True), issue(3)]), "VAGUE_PROBLEMS"),
    (R.check_no_causes, review(sentences=[sent(0, "achievement", "全年办理案件36件。")]), "NO_CAUSES"),
    (R.check_objective_causes_only, review(sentences=[sent(0, "cause", "主要是人员编制少、任务重、经费不足。")]), "OBJECTIVE_CAUSES_ONLY"),
    (R.check_problems_without_measures, review(issues=[issue(1, measure=False), issue(2, measure=False), issue(3)]), "PROBLEMS_WITHOUT_MEASURES"),
    (R.check_missing_required_topic, review(issues=[issue(1), issue(2, basis="omission", domain="leadership")]), "MISSING_REQUIRED_TOPIC"),
    (R.check_indicator_alert, review(issues=[issue(1), issue(2, basis="indicator")]), "INDICATOR_ALERT"),
])
# fmt: on
def test_each_check_fires_on_its_case_and_not_on_a_clean_report(check, case, code) -> None:  # type: ignore[no-untyped-def]
    reason = check(case)
    assert reason is not None and reason.code == code
    assert reason.message and all("\u4e00" <= ch <= "\u9fff" for ch in reason.message[:2])
    assert check(CLEAN) is None


def test_share_margin_spares_a_report_just_under_the_line() -> None:
    assert R.check_low_problem_share(review(share=0.28)) is None
    assert R.check_low_problem_share(review(share=0.26)) is not None


def test_expected_topic_omission_is_not_a_reason() -> None:
    case = review(issues=[issue(1), issue(2, basis="omission", domain="reconsideration_litigation")])
    assert R.check_missing_required_topic(case) is None


def test_subjective_cause_clears_objective_only() -> None:
    case = review(sentences=[sent(0, "cause", "客观上人员少，主观上对合法性审核重视不够。")])
    assert R.check_objective_causes_only(case) is None


@pytest.mark.parametrize(("case", "decision"), [
    (CLEAN, "pass"),
    (review(share=0.1), "revise"),
    (review(issues=[], share=0.0), "return"),
    (review(near=("a.docx", 0.9)), "return"),
])
def test_decision(case: R.ReviewInput, decision: str) -> None:
    assert decide(case).decision == decision


def test_transcripts_are_not_judged() -> None:
    assert decide(review(kind="transcript", issues=[], share=0.0)).decision == "pass"


def test_a_long_sentence_listing_problems_is_not_no_problems() -> None:
    text = "仍存在一些不足，主要是：个别部门研判能力不足，答复文书规范性有待提升，协调机制尚需完善，新媒体运维还需加强等"
    long_ev = Span(start=0, end=len(text), text=text)
    lone = Issue(id="x", text="x", domain="transparency_reporting", visibility="latent", vague=True, evidence=(long_ev,))
    assert R.check_no_problems(review(issues=[lone], share=0.1)) is None


def test_cross_source_contradiction_quotes_both_sides_and_keeps_every_span() -> None:
    claim = Span(start=10, end=25, text="负责人出庭应诉率达到100%。")
    said = Span(start=5, end=20, text="答：7件里局长出庭的只有1件。", document="谈话记录.txt")
    reason = R.cross_source_contradiction_reason([(claim, said)])
    assert reason.code == R.CROSS_SOURCE_CONTRADICTION
    assert reason.message == ("报告中的表述与谈话反映的情况不符：报告称“负责人出庭应诉率达到100%”，而谈话中反映“7件里局长出庭的只有1件”"
                              "（谈话记录.txt）。请核实相关数据和情况，如实修改报告，并将相关问题列入查摆。")
    assert reason.evidence == (claim, said)
    many = R.cross_source_contradiction_reason([(claim, said)] * 4)
    assert "等4处" in many.message and len(many.evidence) == 8 and many.message.count("报告称") == R.MAX_QUOTED


def test_a_work_report_owes_problems_but_not_the_share_nor_the_rule_of_law_topics() -> None:
    thin = review(kind="work_report", share=0.05,
                  issues=[issue(1), issue(2), issue(3, basis="omission", domain="leadership")])
    assert R.check_low_problem_share(thin) is None
    assert R.check_missing_required_topic(thin) is None
    assert "work_report" not in CONFIG.required_topics and "work_report" not in CONFIG.expected_topics
    assert R.check_no_problems(review(kind="work_report", issues=[], share=0.0)) is not None
    assert R.check_low_problem_share(review(kind="annual_report", share=0.05)) is not None


@pytest.mark.parametrize("kind", ["news", "other"])
def test_a_text_that_is_not_a_report_is_not_applicable(kind: str) -> None:
    verdict = decide(review(kind=kind, issues=[], share=0.0))
    assert verdict.decision == "not_applicable"
    assert [r.code for r in verdict.reasons] == ["NOT_A_REPORT"]
    assert "不是" in verdict.reasons[0].message and "预审" in verdict.reasons[0].message


@pytest.mark.parametrize("kind", ["transcript", "feedback"])
def test_sources_keep_passing_without_reasons(kind: str) -> None:
    assert decide(review(kind=kind, issues=[], share=0.0)).decision == "pass"


def test_kind_lists_of_the_policy_are_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nlp.errors import ConfigError

    path = tmp_path / "policy.toml"
    path.write_text('[verdict]\nnot_reports = ["newz"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="newz"):
        load_config(str(path))
    path.write_text('[verdict]\nrequire_problem_share = ["annual_report", "work_report"]\n', encoding="utf-8")
    strict = load_config(str(path))
    case = review(kind="work_report", share=0.05)
    assert R.check_low_problem_share(R.ReviewInput(case.document, case.sentences, case.issues, case.metrics, strict)) is not None


SHUFA_DUTY = sent(0, "achievement", "本人主持召开党组会议3次，亲自部署法治建设年度任务。")
PUBLICITY_SENTENCES = [sent(k, "achievement", text) for k, text in enumerate((
    "全年开展普法宣传活动20场，发放宣传资料8000份。", "举办法治讲座6期，以案释法讲解典型案例。",
    "组织送法下乡活动12次，设置法律咨询台。"), start=1)]


def test_reads_as_publicity_fires_on_a_publicity_report_and_not_on_a_balanced_one() -> None:
    heavy = review(kind="shufa_report", sentences=[SHUFA_DUTY, *PUBLICITY_SENTENCES, sent(4, "cause", "主要是思想认识不到位。")])
    reason = R.check_reads_as_publicity(heavy)
    assert reason is not None and reason.code == "READS_AS_PUBLICITY" and len(reason.evidence) == 3
    balanced = review(kind="shufa_report", sentences=[
        SHUFA_DUTY, PUBLICITY_SENTENCES[0], sent(2, "achievement", "全年审核重大行政决策事项14件，提出修改意见23条。"),
        sent(3, "achievement", "本人带头出庭应诉2次，推动复议决定全部履行到位。"), sent(4, "cause", "主要是思想认识不到位。")])
    assert R.publicity_share(balanced.sentences) < CONFIG.verdict.max_publicity_share
    assert R.check_reads_as_publicity(balanced) is None
    assert R.check_reads_as_publicity(review(sentences=list(heavy.sentences))) is None  # an annual report


def test_publicity_share_line_is_policy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sentences = [SHUFA_DUTY, PUBLICITY_SENTENCES[0], sent(2, "achievement", "全年审核重大行政决策事项14件，提出修改意见23条。")]
    share = R.publicity_share(sentences)
    assert 0.2 < share < CONFIG.verdict.max_publicity_share
    strict = CONFIG.model_copy(update={"verdict": CONFIG.verdict.model_copy(update={"max_publicity_share": 0.2})})
    case = review(kind="shufa_report", sentences=sentences)
    assert R.check_reads_as_publicity(case) is None
    assert R.check_reads_as_publicity(R.ReviewInput(case.document, case.sentences, case.issues, case.metrics, strict)) is not None


def test_no_personal_duty_fires_on_unit_work_only_and_not_when_the_leader_acts() -> None:
    unit = [sent(0, "achievement", "局党组召开会议4次研究法治建设工作。"), sent(1, "achievement", "我局制定年度法治工作要点。"),
            sent(2, "cause", "主要是思想认识不到位。")]
    reason = R.check_no_personal_duty(review(kind="shufa_report", sentences=unit))
    assert reason is not None and reason.code == "NO_PERSONAL_DUTY" and [e.text for e in reason.evidence][:1] == [unit[0].text]
    assert R.check_no_personal_duty(review(kind="shufa_report", sentences=[SHUFA_DUTY, *unit])) is None
    assert R.check_no_personal_duty(review(kind="annual_report", sentences=unit)) is None
    first_person = [sent(0, "achievement", "我作为第一责任人，每季度听取一次法治工作汇报。")]
    assert R.check_no_personal_duty(review(kind="shufa_report", sentences=first_person)) is None


def test_no_personal_duty_replaces_the_missing_leadership_topic() -> None:
    unit = [sent(0, "achievement", "我局制定年度法治工作要点。"), sent(1, "cause", "主要是思想认识不到位。")]
    omitted = [issue(1), issue(2, basis="omission", domain="leadership")]
    assert R.check_missing_required_topic(review(kind="shufa_report", sentences=unit, issues=omitted)) is None
    assert R.check_missing_required_topic(review(kind="shufa_report", sentences=[SHUFA_DUTY, *unit], issues=omitted)) is not None


def test_every_reason_code_has_its_chinese_name() -> None:
    from nlp.glossary import REASONS
    from nlp.training.corpus.sources import REASONS as CORPUS_CODES

    emitted = {"READS_AS_PUBLICITY", "NO_PERSONAL_DUTY", R.CROSS_SOURCE_CONTRADICTION, R.NOT_A_REPORT, *CORPUS_CODES}
    assert emitted <= set(REASONS) and all("\u4e00" <= v[0] <= "\u9fff" for v in REASONS.values())


@pytest.mark.parametrize(("share", "said", "not_said"), [
    (0.0, "几乎没有查摆问题的篇幅", "的0%"), (0.003, "占报告篇幅不足1%", "的0%"), (0.004, "不足1%", "的不足"),
    (0.12, "仅占报告篇幅的12%", "不足1%"),
])
def test_a_tiny_problem_share_is_said_in_words_not_as_zero_percent(share: float, said: str, not_said: str) -> None:
    reason = R.check_low_problem_share(review(share=share))
    assert reason is not None and said in reason.message and not_said not in reason.message


def test_a_work_report_is_not_asked_for_a_measure_per_problem() -> None:
    """A 政府工作报告 answers its short problems paragraph with the year's tasks as a whole (``measures_per_problem_skip``)."""
    unanswered = [issue(1, measure=False), issue(2, measure=False), issue(3)]
    assert R.check_problems_without_measures(review(kind="annual_report", issues=unanswered)) is not None
    assert R.check_problems_without_measures(review(kind="work_report", issues=unanswered)) is None
