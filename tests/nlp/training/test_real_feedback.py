"""The reviewer simulated from a round's gold (``benchmarks/feedback_loop.py``) corrects only what the gold says."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.bundle import load_bundle
from nlp.doc import AnalysisResult
from nlp.pipeline import analyze
from nlp.training.real import GoldProblem, RealDocument
from nlp.training.real_feedback import quote_spans, reviewer_corrections

REPORT = "\n".join([
    "2025年临川县政府工作报告",
    "一、过去一年工作回顾",
    "全县地区生产总值增长5.3%，新增城镇就业1.8万人。",
    "新建乡镇卫生院3所，改造农村公路120公里，群众看病难问题得到缓解。",
    "同时我们也清醒看到，发展中还面临不少困难：县域工业基础薄弱，农民增收渠道不宽；部分群众办事仍需多头跑。",
    "二、2025年重点任务",
    "持续优化营商环境，推进政务服务一网通办。",
    "加快补齐农村基础设施短板，年底前完成20个村的道路硬化。",
])


def gold(*problems: tuple[str, str]) -> RealDocument:
    return RealDocument("01_临川县_2025.txt", Path("01_临川县_2025.txt"), "临川县", "work_report", False,
                        tuple(GoldProblem(q, v, "主题", ("主题",)) for q, v in problems))


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return analyze(REPORT.encode("utf-8"), "01_临川县_2025.txt", load_bundle())


def _issue_with(result: AnalysisResult, words: str) -> str:
    return next(i.id for i in result.issues if words in i.text)


def test_an_analysis_that_matches_its_gold_gets_no_correction(result: AnalysisResult) -> None:
    found = [(i.text, str(i.visibility)) for i in result.issues if i.latent_basis != "omission"]
    assert found  # the machine found the report's problems: the gold is what it found
    assert reviewer_corrections(gold(*found), result) == []


def test_each_correction_comes_from_the_gold(result: AnalysisResult) -> None:
    pairs = [(s.text, s.label) for s in result.sentences]
    assert ("加快补齐农村基础设施短板，年底前完成20个村的道路硬化。", "measure") in pairs  # what the test relies on
    first = _issue_with(result, "县域工业基础薄弱")
    doc = gold(("县域工业基础薄弱", "latent" if _visibility(result, first) == "explicit" else "explicit"),
               ("农村基础设施短板", "explicit"))  # the second issue is not in the gold
    corrections = reviewer_corrections(doc, result)
    by_target = {t: [c for c in corrections if c.target == t] for t in ("sentence", "issue", "added_issue")}
    assert len(corrections) == sum(len(v) for v in by_target.values())

    (held,) = by_target["sentence"]  # the task sentence holding a gold problem; the dismissed issue's is left
    assert held.text.startswith("加快补齐农村基础设施短板") and held.answer == {"label": "problem"}
    assert held.machine["label"] == "measure" and held.context is not None and held.context.part == "measures"

    dismissed = [c for c in by_target["issue"] if c.answer.get("dismissed")]
    assert [c.issue_id for c in dismissed] == [_issue_with(result, "多头跑")]
    assert dismissed[0].answer["reason"] == "非问题"
    (retyped,) = [c for c in by_target["issue"] if not c.answer.get("dismissed")]
    assert retyped.issue_id == first and retyped.answer == {"visibility": doc.problems[0].visibility}

    (added,) = by_target["added_issue"]
    assert added.text == "农村基础设施短板" and result.document.text[added.start:added.end] == added.text
    assert added.answer["visibility"] == "explicit" and added.machine == {}
    assert all(c.unit == "临川县" and c.document == result.document.id for c in corrections)
    assert len({c.id for c in corrections}) == len(corrections)


def _visibility(result: AnalysisResult, issue_id: str) -> str:
    return str(next(i.visibility for i in result.issues if i.id == issue_id))


def test_a_problem_sentence_without_a_gold_problem_takes_its_parts_role(result: AnalysisResult) -> None:
    first = result.sentences[0]
    wrong = result.model_copy(update={"sentences": (first.model_copy(update={"label": "problem"}),
                                                    *result.sentences[1:])})
    found = [(i.text, str(i.visibility)) for i in result.issues if i.latent_basis != "omission"]
    (relabel,) = reviewer_corrections(gold(*found), wrong)
    assert relabel.target == "sentence" and relabel.context is not None and relabel.context.i == first.i
    assert relabel.answer == {"label": "achievement"} and relabel.context.part == "achievements"


def test_a_sentence_that_only_echoes_a_gold_problem_is_left_alone(result: AnalysisResult) -> None:
    # “营商环境” alone would be an echo by the round scorer's rule: the task sentence does not hold the quote
    found = [(i.text, str(i.visibility)) for i in result.issues if i.latent_basis != "omission"]
    echo = gold(*found, ("优化营商环境还不够", "latent"))
    assert not quote_spans(echo, result.document.text)[len(found):]
    assert all(c.target == "added_issue" for c in reviewer_corrections(echo, result))
