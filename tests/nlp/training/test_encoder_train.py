"""Encoder training (``nlp/training/encoder_train.py``): hard negatives, calibration groups, calibrate-encoder."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_hard_negatives_come_from_another_problem_of_the_same_domain() -> None:
    import random

    from nlp.training.encoder_train import same_domain_negatives

    groups = [{"group": "a", "domain": "x", "problems": ["a1", "a2"]}, {"group": "b", "domain": "x", "problems": ["b1"]},
              {"group": "c", "domain": "y", "problems": ["c1", "c2"]}]
    sample = same_domain_negatives(groups)
    rng = random.Random(0)
    assert {sample("a1", rng) for _ in range(20)} == {"b1"}
    assert {sample("b1", rng) for _ in range(20)} == {"a1", "a2"}
    assert sample("c1", rng) is None and sample("unknown", rng) is None


def test_dev_groups_for_calibration_are_train_groups_never_fitted() -> None:
    from nlp.training.corpus.pools import read_paraphrases
    from nlp.training.encoder_train import split_dev_groups, split_groups, training_pairs

    groups = read_paraphrases(Path(__file__).resolve().parents[3] / "corpora")
    train, held = split_groups(groups)
    fit, dev = split_dev_groups(train)
    names = [{g["group"] for g in part} for part in (fit, dev, held)]
    assert not (names[0] & names[1]) and not (names[1] & names[2]) and names[0] | names[1] == {g["group"] for g in train}
    assert 0.15 < len(dev) / len(train) < 0.45
    assert split_dev_groups(list(reversed(train)))[1] == list(reversed(dev))  # by name, not position
    pairs = training_pairs(fit)
    dev_text = {t for g in dev for t in (*g["problems"], *g["measures"])}
    assert not any(a in dev_text or b in dev_text for a, b in pairs)
    g = fit[0]
    assert (g["problems"][0], g["measures"][0]) in pairs and (g["problems"][0], g["problems"][1]) in pairs


def test_groups_judged_the_same_pair_across_only_within_the_groups_given() -> None:
    from nlp.training.encoder_train import training_pairs

    a = {"group": "a", "problems": ["甲一", "甲二"], "measures": []}
    b = {"group": "b", "problems": ["乙一", "乙二"], "measures": []}
    c = {"group": "c", "problems": ["丙一", "丙二"], "measures": []}
    judged = [{"a": "a", "b": "b", "relation": "same"}, {"a": "a", "b": "c", "relation": "different"},
              {"a": "b", "b": "held-out", "relation": "same"}]
    pairs = set(training_pairs([a, b, c], judged))
    assert {("甲一", "乙一"), ("甲二", "乙二")} <= pairs
    assert not any("丙" in x and "甲" in y or "甲" in x and "丙" in y for x, y in pairs)
    assert len(training_pairs([a, b, c])) == 3  # without judgements: each group's own pair only


@pytest.mark.slow
def test_calibrate_encoder_writes_the_threshold_a_model_is_loaded_with(tmp_path: Path) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from nlp.bundle import default_model_dir
    from nlp.classify.encoders import CARD_FILE, load_encoder
    from nlp.training.cli import app

    folder = tmp_path / "bigger"
    shutil.copytree(default_model_dir() / "encoder", folder)
    (folder / CARD_FILE).unlink()  # as a model copied in from elsewhere would come
    assert load_encoder(folder).group_similarity is None
    result = CliRunner().invoke(app, ["calibrate-encoder", str(folder)])
    assert result.exit_code == 0, result.output
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    means = card["calibration_f1_common"]
    best = max(means, key=lambda k: (means[k], *map(float, k.split("/"))))
    assert [card["group_similarity"], card["theme_similarity"]] == [float(x) for x in best.split("/")]
    assert len(means) > 3
    assert load_encoder(folder).group_similarity == float(card["group_similarity"])
    assert load_encoder(folder).theme_similarity == float(card["theme_similarity"])
    assert CliRunner().invoke(app, ["calibrate-encoder", str(tmp_path / "missing")]).exit_code == 2
