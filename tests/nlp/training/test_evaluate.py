from __future__ import annotations

from pathlib import Path

import pytest

from nlp.bundle import load_bundle
from nlp.training.corpus import load_splits
from nlp.training.corpus.schema import load_documents
from nlp.training.evaluate import document_scores, format_report

CORPUS = Path(__file__).resolve().parents[3] / "corpora"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def test_docs():
    splits = load_splits(CORPUS)
    return [d for d in load_documents(CORPUS / "annotated") if splits.get(d.id) == "test"]


def test_transcript_extraction_is_scored_on_its_own(bundle, test_docs):
    talks = [d for d in test_docs if d.kind == "transcript"][:2]
    reports = [d for d in test_docs if d.kind == "shufa_report"][:2]
    mixed = document_scores(bundle, reports + talks)
    alone = document_scores(bundle, talks)
    # the transcript figures inside a mixed run are those of the transcripts scored alone
    assert mixed["issue_extraction_by_kind"]["transcript"] == alone["issue_extraction"]
    assert set(mixed["issue_extraction_by_kind"]) == {"report", "transcript"}
    gold = sum(len([i for i in d.issues if i.evidence]) for d in talks)
    assert alone["issue_extraction"]["gold"] == gold > 0


def test_report_prints_transcript_extraction(bundle, test_docs):
    talks = [d for d in test_docs if d.kind == "transcript"][:1]
    res = document_scores(bundle, talks)
    res["sentences"] = {"sentences": 0, "per_class": {}, "macro_f1": 0.0, "accuracy": 0.0,
                        "confusion": {"labels": [], "matrix": []}}
    res["speaker_accuracy"] = {"sentences": 10, "accuracy": 1.0}
    text = format_report({"test": res})
    f1 = res["issue_extraction_by_kind"]["transcript"]["f1"]
    assert "transcripts: speaker attribution 1.000 over 10 sentences; issue extraction" in text
    assert f"F1 {f1:.3f}" in text


@pytest.mark.slow
def test_round_scores_cover_several_rounds_and_orders(bundle):
    from nlp.training.evaluate import format_round, round_scores

    res = round_scores(bundle, CORPUS, units=60, seeds=(11, 12), shuffles=2)
    assert set(res["per_seed"]) == {"11", "12"} and res["identical_across_orders"] is True
    f1 = [r["f1_common"] for r in res["per_seed"].values()]
    assert res["f1_common"] == round(sum(f1) / 2, 4) and res["f1_common_min"] == min(f1)
    assert all(r["gold_common"] > 0 for r in res["per_seed"].values())
    assert "2 rounds of 60 units" in format_round(res)


@pytest.mark.slow
def test_round_scores_plant_same_problem_groups_apart_from_theme_groups(bundle):
    from nlp.training.corpus.pools import group_kind, read_paraphrases
    from nlp.training.encoder_train import split_groups
    from nlp.training.evaluate import format_round, round_scores

    _, held = split_groups(read_paraphrases(CORPUS))
    same = round_scores(bundle, CORPUS, units=60, seeds=(11,), shuffles=1, plant="same")
    theme = round_scores(bundle, CORPUS, units=60, seeds=(11,), shuffles=1)
    assert same["groups"] == sum(group_kind(g) == "same" for g in held) > 0
    assert theme["groups"] == sum(group_kind(g) == "theme" for g in held) > same["groups"]
    assert same["gold_common"] > 0 and same["per_seed"] != theme["per_seed"]
    assert "single problems, each worded differently by six units" in format_round(same)
    assert "themes (six sub-problems of one kind" in format_round(theme)


def test_watched_reasons_are_counted_with_their_precision_and_shown_on_the_card(bundle, test_docs):
    from nlp.training.card import render_card

    reports = [d for d in test_docs if d.kind in ("shufa_report", "annual_report")]
    res = document_scores(bundle, reports)
    assert set(res["reasons"]) == {"INDICATOR_ALERT", "READS_AS_PUBLICITY", "NO_PERSONAL_DUTY"}
    for m in res["reasons"].values():
        assert 0 <= m["on_gold_non_pass"] <= m["fired"] <= len(reports)
        assert m["precision"] == (round(m["on_gold_non_pass"] / m["fired"], 4) if m["fired"] else None)
    # a made-up firing, to see both renderings
    res["reasons"]["READS_AS_PUBLICITY"] = {"fired": 4, "on_gold_non_pass": 3, "precision": 0.75}
    res["sentences"] = {"sentences": 0, "per_class": {}, "macro_f1": 0.0, "accuracy": 0.0,
                        "confusion": {"labels": [], "matrix": []}}
    assert "READS_AS_PUBLICITY 4 (precision 0.75)" in format_report({"test": res})
    card = render_card({"metrics": {"test": res}})
    assert "READS_AS_PUBLICITY fired 4× (precision 0.75)" in card
    old = {k: v for k, v in res.items() if k != "reasons"}  # figures from before: no line, no error
    assert "reasons on the" not in render_card({"metrics": {"test": old}})


def test_measure_links_are_scored_printed_and_carded(bundle, test_docs):
    from nlp.training.card import render_card

    reports = [d for d in test_docs if d.kind == "shufa_report"][:3]
    res = document_scores(bundle, reports)
    annotated = sum(1 for d in reports for i in d.issues if i.evidence and i.measure)
    for key in ("measure_links", "measure_links_gold_issues"):
        m = res[key]
        assert 0 <= m["precision"] <= 1 and 0 <= m["recall"] <= 1 and m["links"] >= 0
    assert res["measure_links_gold_issues"]["gold"] == annotated > 0  # every annotated link is counted once
    assert res["measure_links"]["gold"] <= annotated  # only those of the issues the pipeline found
    res["sentences"] = {"sentences": 0, "per_class": {}, "macro_f1": 0.0, "accuracy": 0.0,
                        "confusion": {"labels": [], "matrix": []}}
    m = res["measure_links_gold_issues"]
    line = f"measure links (gold issues and labels): P {m['precision']:.3f} R {m['recall']:.3f}"
    assert line in format_report({"test": res})
    assert f"- {line}" in render_card({"metrics": {"test": res}})  # the card says it as evaluate prints it
