"""Year over year (屡改屡犯) on small rounds written for the test: two rounds of the same units."""

from __future__ import annotations

import json
import random

from nlp.cluster.recurrence import (
    EarlierRound,
    bigrams,
    find_recurrences,
    overlap,
    summarize_recurrences,
    unit_key,
    with_recurrences,
)
from nlp.doc import AnalysisResult, Document, Issue, Metrics, Verdict

EARLIER = "2024年度述法评议"


def result(unit: str | None, issues: list[tuple[str, str | None]], tag: str = "") -> AnalysisResult:
    """A report of ``unit`` with issues (wording, problem type); ids unique per unit and round ``tag``."""
    doc = Document(id=f"{unit}{tag}", filename=f"{unit or '无名'}{tag}.txt", unit=unit, text="正文")
    return AnalysisResult(
        document=doc, sentences=(), verdict=Verdict(decision="revise"),
        metrics=Metrics(problem_share=0.3, achievement_share=0.5, measure_share=0.2, problems_total=len(issues),
                        problems_vague=0, problems_with_measure=0),
        issues=tuple(Issue(id=f"{unit}{tag}-{k}", text=text, domain="law_enforcement", visibility="explicit",
                           vague=False, problem_type=kind) for k, (text, kind) in enumerate(issues)))


def earlier_round() -> list[AnalysisResult]:
    return [
        result("甲县司法局", [("执法人员持证上岗率偏低，部分人员无证执法", "le_certification"),
                          ("规范性文件备案审查存在迟报漏报现象", None)], tag="-24"),
        result("乙县 司法局", [("行政复议纠错率较高", "rev_error_rate")], tag="-24"),
        result("丁县司法局", [("行政应诉败诉案件较多", "lit_losses")], tag="-24"),
    ]


def this_round() -> list[AnalysisResult]:
    return [
        # the same type said in other words; an untyped problem worded near the same as last year; a new one
        result("甲县司法局", [("仍有少数执法人员未取得执法证件即上岗执法", "le_certification"),
                          ("规范性文件备案审查仍存在迟报、漏报现象", None),
                          ("合法性审查机构人员力量薄弱", "lr_review_capacity")]),
        # spaces in the name; a different type in near-identical words is not the same problem
        result("乙县司法局", [("行政复议纠错率仍然较高", "rev_other")]),
        # a unit absent from the earlier round
        result("丙县司法局", [("执法人员持证上岗率偏低，部分人员无证执法", "le_certification")]),
        # no unit: nothing to match by
        result(None, [("行政应诉败诉案件较多", "lit_losses")]),
    ]


def test_a_unit_s_repeated_type_and_near_identical_wording_recur_and_nothing_else() -> None:
    marks = find_recurrences(this_round(), EarlierRound.of(earlier_round(), EARLIER))
    assert set(marks) == {"甲县司法局-0", "甲县司法局-1"}
    by_type, by_wording = marks["甲县司法局-0"], marks["甲县司法局-1"]
    assert (by_type.round, by_type.text, by_type.problem_type) == (
        EARLIER, "执法人员持证上岗率偏低，部分人员无证执法", "le_certification")
    assert (by_wording.text, by_wording.problem_type) == ("规范性文件备案审查存在迟报漏报现象", None)


def test_the_same_type_recurs_in_any_wording_and_units_match_without_spaces() -> None:
    now = [result("乙县司法局", [("复议决定被纠正的比例居高不下", "rev_error_rate")])]
    marks = find_recurrences(now, EarlierRound.of(earlier_round(), EARLIER))
    assert marks["乙县司法局-0"].text == "行政复议纠错率较高"
    assert unit_key(" 乙县 司法局\u3000") == "乙县司法局"
    other_unit = [result("戊县司法局", [("复议决定被纠正的比例居高不下", "rev_error_rate")])]
    assert find_recurrences(other_unit, EarlierRound.of(earlier_round(), EARLIER)) == {}


def test_a_rewording_below_the_overlap_is_new() -> None:
    a, b = bigrams("规范性文件备案审查存在迟报漏报现象"), bigrams("重大行政决策程序执行不到位")
    assert overlap(a, a) == 1.0 and overlap(a, b) < 0.2
    now = [result("甲县司法局", [("文件备案工作有待加强", None)])]
    assert find_recurrences(now, EarlierRound.of(earlier_round(), EARLIER)) == {}


def test_order_of_either_round_does_not_change_the_marks() -> None:
    earlier, now = earlier_round(), this_round()
    twice = [result("甲县司法局", [("持证率低", "le_certification"), ("执法证件管理混乱", "le_certification")], tag="-b")]
    base = find_recurrences(now, EarlierRound.of(earlier + twice, EARLIER))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(earlier)
        rng.shuffle(now)
        shuffled = EarlierRound(EARLIER, tuple(rng.sample(EarlierRound.of(earlier + twice, EARLIER).issues,
                                                         k=len(EarlierRound.of(earlier + twice).issues))))
        assert find_recurrences(now, shuffled) == base


def test_marks_are_carried_on_issues_excluded_from_json_when_unset_and_listed_per_unit() -> None:
    now = this_round()
    marked = with_recurrences(now, find_recurrences(now, EarlierRound.of(earlier_round(), EARLIER)))
    assert marked[1] is now[1] and marked[0] is not now[0]  # unchanged results are not copied
    first = json.loads(marked[0].model_dump_json())["issues"]
    assert first[0]["recurring"] == {"round": EARLIER, "text": "执法人员持证上岗率偏低，部分人员无证执法",
                                     "problem_type": "le_certification"}
    assert "recurring" not in first[2]  # a new problem: no key at all
    assert AnalysisResult.model_validate_json(marked[0].model_dump_json()) == marked[0]
    summary = summarize_recurrences(marked)
    assert [(u.unit, u.count, [i.issue for i in u.issues]) for u in summary] == [
        ("甲县司法局", 2, ["甲县司法局-0", "甲县司法局-1"])]
    assert with_recurrences(marked, {})[0].issues[0].recurring is None  # a round no longer compared: cleared


def test_from_json_reads_what_of_reads_and_omissions_never_recur() -> None:
    left_out = result("甲县司法局", [("报告未涉及某方面的内容", None)], tag="-o")
    left_out = left_out.model_copy(update={"issues": tuple(i.model_copy(update={"latent_basis": "omission",
                                                                                 "visibility": "latent"})
                                                            for i in left_out.issues)})
    earlier = [*earlier_round(), left_out]
    parsed = [json.loads(r.model_dump_json()) for r in earlier]
    assert EarlierRound.from_json(parsed, EARLIER) == EarlierRound.of(earlier, EARLIER)
    assert len(EarlierRound.of(earlier).issues) == 4
    again = left_out.model_copy(update={"document": left_out.document.model_copy(update={"id": "x"})})
    assert find_recurrences([again], EarlierRound(EARLIER, (EarlierRound.of([left_out]).issues or ())
                                                  + EarlierRound.of(earlier_round()).issues)) == {}


def test_the_round_step_marks_issues_rows_and_summary_given_an_earlier_round() -> None:
    from nlp.bundle import RoundModels, load_bundle
    from nlp.classify.encoders import HashEncoder
    from nlp.round import RoundSummary, review_round

    models = RoundModels(load_bundle().config, None, HashEncoder())
    review = review_round(this_round(), models, round_name="2025年度述法评议",
                          previous=EarlierRound.of(earlier_round(), EARLIER))
    rows = {row.item.issue_id: row.item.recurring for row in review.items}
    assert {k for k, v in rows.items() if v is not None} == {"甲县司法局-0", "甲县司法局-1"}
    assert review.summary.previous_round == EARLIER
    assert [(u.unit, u.count) for u in review.summary.recurring] == [("甲县司法局", 2)]
    saved = review.summary.model_dump_json()
    assert json.loads(saved)["recurring"][0]["count"] == 2
    assert RoundSummary.model_validate_json(saved) == review.summary
    alone = review_round(this_round(), models, round_name="2025年度述法评议")
    assert all(row.item.recurring is None for row in alone.items)
    assert not {"previous_round", "recurring"} & set(json.loads(alone.summary.model_dump_json()))


def test_a_dismissed_problem_neither_counts_as_reported_nor_is_marked() -> None:
    def dismissed(r: AnalysisResult, k: int) -> AnalysisResult:
        issues = tuple(i.model_copy(update={"dismissed": True, "dismissed_reason": "误识别"}) if n == k else i
                       for n, i in enumerate(r.issues))
        return r.model_copy(update={"issues": issues})

    earlier = earlier_round()
    earlier[0] = dismissed(earlier[0], 0)  # 甲's 持证上岗 problem of last year was a misread sentence
    parsed = [json.loads(r.model_dump_json()) for r in earlier]
    assert EarlierRound.from_json(parsed, EARLIER) == EarlierRound.of(earlier, EARLIER)
    assert set(find_recurrences(this_round(), EarlierRound.of(earlier, EARLIER))) == {"甲县司法局-1"}
    now = this_round()
    now[0] = dismissed(now[0], 1)  # this year's 备案审查 line dismissed: nothing of it is marked
    assert set(find_recurrences(now, EarlierRound.of(earlier_round(), EARLIER))) == {"甲县司法局-0"}
