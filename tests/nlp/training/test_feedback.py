"""Reviewers' corrections as training data (``nlp.training.feedback``) and ``prereview train --feedback``."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nlp.bundle import default_model_dir, load_bundle
from nlp.classify.features import SentenceInput
from nlp.feedback import FeedbackExample, SentenceContext, write_feedback
from nlp.pipeline import analyze
from nlp.training.corpus import default_corpus_dir, load_splits
from nlp.training.feedback import FeedbackData, confirmed_examples, feedback_data, filled_rows, fit_sentence_model

CORRECTED = "各乡镇便民服务窗口的办事指南仍停留在多年前的纸质版本。"


_IDS = itertools.count()


def line(target: str, text: str = "", **fields: Any) -> FeedbackExample:
    return FeedbackExample(id=f"c{next(_IDS)}", at="2026-12-01T08:00:00+00:00", by="审核员甲", target=target, text=text,
                           document="d" * 64, document_kind="work_report", **fields)


def test_a_sentence_correction_keeps_its_context_and_label() -> None:
    ctx = SentenceContext(i=7, part="achievements", position=0.25, speaker=None)
    data = feedback_data([line("sentence", CORRECTED, context=ctx, answer={"label": "problem"},
                               machine={"label": "achievement"})])
    assert data.inputs == [SentenceInput(CORRECTED, "achievements", "work_report", 0.25, None)]
    assert data.labels == ["problem"] and data.rows == []
    assert data.learned == {"sentence": 1} and not data.ignored


def test_a_sentence_without_a_known_label_teaches_nothing() -> None:
    data = feedback_data([line("sentence", CORRECTED, answer={"label": "problme"}),
                          line("sentence", "", answer={"label": "problem"})])
    assert data.labels == [] and data.ignored == {"sentence": 2}


@pytest.mark.parametrize(("answer", "label"), [
    ({"dismissed": True, "reason": "非问题"}, "other"),
    ({"dismissed": True, "reason": "not_a_problem"}, "other"),
    ({"dismissed": True, "reason": "非问题", "label": "measure"}, "measure"),
    ({"dismissed": True, "reason": "重复"}, None),  # a duplicate is still a problem
    ({"dismissed": True, "reason": "表述不当"}, None),
    ({"dismissed": True}, None),
])
def test_a_dismissed_issue_is_a_non_problem_only_when_it_is_no_problem(answer: dict[str, Any],
                                                                       label: str | None) -> None:
    ctx = SentenceContext(i=3, part="measures", position=0.6)
    data = feedback_data([line("issue", "全面推行行政执法三项制度", context=ctx, answer=answer,
                               machine={"domain": "law_enforcement", "visibility": "explicit", "vague": False})])
    assert data.labels == ([label] if label else [])
    assert data.rows == []  # a dismissed issue is no issue to type
    if label:
        assert data.inputs[0].role == "measures" and data.inputs[0].position == 0.6


def test_an_added_issue_is_a_problem_sentence_and_a_typer_row() -> None:
    data = feedback_data([line("added_issue", "执法人员持证上岗率偏低", start=40, end=51,
                               answer={"text": "执法人员持证上岗率偏低", "visibility": "latent"})])
    assert data.labels == ["problem"] and data.inputs[0].text == "执法人员持证上岗率偏低"
    assert data.inputs[0].role is None and data.inputs[0].kind == "work_report"  # no context: no part
    (row,) = data.rows
    assert row.domain is None and row.hedged is True and row.vague is None


def test_an_edited_issue_types_with_what_the_reviewer_left_unchanged() -> None:
    machine = {"text": "复议案件办理不够规范", "domain": "reconsideration_litigation", "visibility": "latent", "vague": True}
    edited = line("issue", "复议案件办理不够规范", answer={"visibility": "explicit"}, machine=machine)
    renamed = line("issue", "复议案件办理不够规范", answer={"text": "行政复议案件超期办理", "domain": "no_such_domain"},
                   machine=machine)
    data = feedback_data([edited, renamed])
    assert [(r.text, r.domain, r.hedged, r.vague) for r in data.rows] == [
        ("复议案件办理不够规范", "reconsideration_litigation", False, True),
        ("行政复议案件超期办理", None, True, True),  # an unknown domain is left to the typer's guess
    ]
    assert data.labels == ["problem"] and data.inputs[0].text == "行政复议案件超期办理"  # only the new wording


def test_verdict_and_document_corrections_are_counted_not_learned() -> None:
    data = feedback_data([line("verdict", "某报告", answer={"decision": "revise", "reason": "问题查摆不深"}),
                          line("document", "某报告", answer={"kind": "annual_report"})])
    assert data.labels == [] and data.rows == []
    assert data.summary()["ignored"] == {"document": 1, "verdict": 1} and data.summary()["corrections"] == 2


class _Typer:
    def predict(self, texts: list[str]) -> list[tuple[str, bool, bool]]:
        return [("general_governance", True, False) for _ in texts]


def test_what_a_correction_leaves_open_is_the_typers_guess() -> None:
    data = feedback_data([line("added_issue", "窗口办事指南陈旧", answer={"visibility": "explicit"})])
    assert filled_rows(data.rows, _Typer()) == [("窗口办事指南陈旧", "general_governance", False, False)]


REPORT = "\n".join([
    "2025年临川县政府工作报告",
    "一、过去一年工作回顾",
    "全县地区生产总值增长5.3%，新增城镇就业1.8万人。",
    "新建乡镇卫生院3所，改造农村公路120公里。",
    "同时我们也清醒看到，发展中还面临不少困难：县域工业基础薄弱，农民增收渠道不宽；部分群众办事仍需多头跑。",
    "二、2025年主要任务",
    "持续优化营商环境，推进政务服务一网通办。",
    "加快补齐农村基础设施短板，年底前完成20个村的道路硬化。",
])


def test_confirmed_sentences_leave_out_what_a_correction_touches() -> None:
    result = analyze(REPORT.encode("utf-8"), "临川县.txt", load_bundle())
    first, second = result.sentences[0], result.sentences[1]
    corrections = [
        FeedbackExample(id="a", at="t", by="r", target="sentence", document=result.document.id, text=first.text,
                        context=SentenceContext(i=first.i), answer={"label": "other"}),
        FeedbackExample(id="b", at="t", by="r", target="added_issue", document=result.document.id,
                        text=second.text[:4], start=second.start, end=second.start + 4, answer={}),
    ]
    X, y = confirmed_examples([result], corrections, cap=100)
    kept = {s.text: s.label for s in result.sentences[2:]}
    assert sorted(x.text for x in X) == sorted(kept) and y == [kept[x.text] for x in X]
    X, y = confirmed_examples([result], corrections, cap=1)
    assert len(y) == len(set(y))  # one per label
    assert confirmed_examples([result], [corrections[0].model_copy(update={"document": "e" * 64})]) == ([], [])


def _tiny_corpus(root: Path) -> Path:
    """A few documents of the project's corpus: fast to fit, and no corpus document holds the corrected sentence."""
    src = default_corpus_dir()
    splits = load_splits(src)
    keep = {"train": [], "dev": [], "test": []}
    lines = (src / "annotated" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = []
    for raw in lines:
        doc = json.loads(raw)
        split = splits.get(doc["id"])
        if split in keep and len(keep[split]) < {"train": 10, "dev": 2, "test": 3}[split]:
            keep[split].append(doc["id"])
            chosen.append(raw)
    (root / "annotated").mkdir(parents=True)
    (root / "annotated" / "documents.jsonl").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    (root / "splits.json").write_text(json.dumps(keep), encoding="utf-8")
    if (src / "pools").is_dir():
        shutil.copytree(src / "pools", root / "pools")
    return root


@pytest.mark.slow
def test_train_feedback_changes_the_corrected_sentence(tmp_path: Path) -> None:
    from api.cli import app

    corpus = _tiny_corpus(tmp_path / "corpus")
    sentence = SentenceInput(CORRECTED, "achievements", "shufa_report", 0.3)
    plain = fit_sentence_model(corpus, FeedbackData())
    before = str(plain.predict([sentence])[0])
    wanted = "achievement" if before == "problem" else "problem"
    ctx = SentenceContext(i=4, part="achievements", position=0.3)
    example = FeedbackExample(id="x1", at="2026-12-01T08:00:00+00:00", by="审核员甲", target="sentence",
                              document="f" * 64, document_kind="shufa_report", text=CORRECTED, context=ctx,
                              answer={"label": wanted}, machine={"label": before})
    verdict = example.model_copy(update={"id": "x2", "target": "verdict", "answer": {"decision": "revise"}})
    write_feedback([example, verdict], tmp_path / "fb.jsonl")
    out = tmp_path / "learned"
    res = CliRunner().invoke(app, ["train", "--feedback", str(tmp_path / "fb.jsonl"), "--out", str(out),
                                   "--corpus", str(corpus), "--models", str(default_model_dir())])
    assert res.exit_code == 0, res.output
    assert "更正前" in res.output and "更正后" in res.output and "问题抽取F1" in res.output
    after = load_bundle(out)
    assert str(after.sentence_model.predict([sentence])[0]) == wanted
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["feedback"]["learned"] == {"sentence": 1} and meta["feedback"]["ignored"] == {"verdict": 1}
    assert {"test_before", "test_after"} <= set(meta["feedback_metrics"])
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Learned from reviewers' corrections" in card and "{'sentence': 1}" in card


def test_train_refuses_feedback_files_without_the_flag(tmp_path: Path) -> None:
    from api.cli import app

    res = CliRunner().invoke(app, ["train", str(tmp_path / "fb.jsonl")])
    assert res.exit_code != 0
    res = CliRunner().invoke(app, ["train", "--feedback", str(tmp_path / "missing.jsonl"), "--out",
                                   str(tmp_path / "b")])
    assert res.exit_code == 2 and "找不到更正文件" in res.output
