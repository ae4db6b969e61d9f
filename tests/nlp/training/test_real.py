"""Figures on a real annotated round: the scorer on a round of our own, and ``prereview adapt`` improving a weak
bundle on real reports it did not learn from (``../shared/real-rounds/gwr2025``, skipped when absent)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from nlp.bundle import load_bundle
from nlp.classify.sentence_model import SentenceClassifier
from nlp.pipeline import analyze
from nlp.training.adapt import weak_examples
from nlp.training.corpus import default_corpus_dir, load_splits
from nlp.training.corpus.schema import load_documents
from nlp.training.data import corpus_inputs
from nlp.training.real import evaluate_real, folds, load_real_round, sentence_scores
from nlp.training.real_cli import classifier_labels, real_figures

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real-rounds" / "gwr2025"

REPORT = "\n".join([
    "# source: written for this test",
    "# kind: gov-work-report",
    "2025年青川市政府工作报告",
    "一、2024年工作回顾",
    "全年地区生产总值增长5.1%，城镇新增就业2.4万人。",
    "在看到成绩的同时，我们也清醒认识到，我市发展还面临一些困难：县域产业基础薄弱，民间投资意愿不强；"
    "部分小微企业经营困难，稳就业面临较大压力。对此，我们将采取有力措施认真解决。",
    "二、2025年重点任务",
    "全力扩大有效需求，加快培育消费新场景。",
])
GOLD = {"doc": "01_青川市_2025.txt", "unit": "青川市", "kind": "gov-work-report", "achievement_heavy": False,
        "problems": [{"quote": "县域产业基础薄弱", "type": "explicit", "theme": "产业"},
                     {"quote": "民间投资意愿不强", "type": "explicit", "theme": "需求"},
                     {"quote": "部分小微企业经营困难", "type": "explicit", "theme": "企业"},
                     {"quote": "稳就业面临较大压力", "type": "latent", "theme": "就业"}]}


def test_the_scorer_on_a_round_of_our_own(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / GOLD["doc"]).write_text(REPORT, encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    bundle = load_bundle()
    figures = evaluate_real(tmp_path, lambda d, _: analyze(d.path.read_bytes(), d.name, bundle), k=1)
    overall = figures["overall"]
    assert overall["gold_problems"] == 4 and overall["recall"] == 1.0 and overall["precision"] == 1.0
    assert overall["merging_share"] == 0.0 and overall["visibility_accuracy"] == 1.0
    assert overall["kind_right"] == 1 and overall["unit_right"] == 1 and overall["achievement_heavy_accuracy"] == 1.0


@pytest.mark.slow
@pytest.mark.skipif(not (REAL / "gold.jsonl").exists(), reason=f"real round absent: {REAL}")
def test_adapt_improves_a_weak_bundle_on_held_out_real_reports() -> None:
    # deliberately weak: the corpus train split only, our own text, and no real report
    splits = load_splits(default_corpus_dir())
    X, y, _ = corpus_inputs([d for d in load_documents(default_corpus_dir() / "annotated") if splits.get(d.id) == "train"])
    base = load_bundle()
    weak = dataclasses.replace(base, sentence_model=SentenceClassifier().fit(X, y))
    learn, held = folds(load_real_round(REAL), 2)
    wx, wy, read = weak_examples([d.path for d in learn])
    assert read["documents"] == len(learn) and read["weak_labels"].get("problem", 0) > 50
    adapted = dataclasses.replace(base, sentence_model=SentenceClassifier().fit(X + wx, y + wy))

    def scores(bundle):  # type: ignore[no-untyped-def]
        pairs = [(d, analyze(d.path.read_bytes(), d.name, bundle), classifier_labels(bundle, d)) for d in held]
        return sentence_scores(pairs)

    before, after = scores(weak), scores(adapted)
    assert after["f1"] > before["f1"] + 0.02, (before, after)


@pytest.mark.slow
@pytest.mark.skipif(not (REAL / "gold.jsonl").exists(), reason=f"real round absent: {REAL}")
def test_the_real_round_by_folds() -> None:
    figures = real_figures(REAL, [load_bundle()])
    overall = figures["overall"]
    assert overall["documents"] == 29 and overall["kind_right"] == 29 and overall["unit_right"] >= 28
    assert overall["f1"] >= 0.85 and overall["merging_share"] <= 0.05 and overall["visibility_accuracy"] >= 0.80
    assert all(f["f1"] >= 0.85 for f in figures["folds"])
