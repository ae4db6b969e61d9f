from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nlp.classify.encoders import BLOCK, HashEncoder, build_tokenizer, jieba_frequencies, normalise_digits

TEXT = "我局全面推行行政执法三项制度，全年审核重大执法决定43件，规范性文件合法性审核把关还不够严格。"


def test_hash_encoder_is_deterministic_and_normalised() -> None:
    a = HashEncoder().encode([TEXT, "另一句话"])
    b = HashEncoder().encode([TEXT, "另一句话"])
    assert np.array_equal(a, b) and np.allclose(np.linalg.norm(a, axis=1), 1)


@pytest.mark.slow
def test_unigram_tokenizer_reproduces_jieba_without_hmm() -> None:
    import jieba

    freq, total = jieba_frequencies()
    tok = build_tokenizer(freq, freq, total)
    blocks = [b for b in re.split(BLOCK, normalise_digits(TEXT * 3 + "行政复议纠错率为21.98%，负责人出庭应诉率不高。")) if b]
    for block in blocks:
        assert tok.encode(block, add_special_tokens=False).tokens == jieba.lcut(block, HMM=False)


@pytest.mark.slow
def test_bundled_encoder_loads_offline_and_embeds() -> None:
    from nlp.bundle import load_bundle

    bundle = load_bundle()
    if bundle.encoder_path is None:
        pytest.fail("the bundle has no encoder: run `prereview train`")
    emb = bundle.encoder.encode(["涉企行政检查多头重复", "对企业的行政检查次数过多、多头检查", "普法宣传形式单一"])
    assert emb.shape[0] == 3 and np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-4)
    assert emb[0] @ emb[1] > emb[0] @ emb[2]


def test_a_folder_without_a_model_is_refused(tmp_path) -> None:
    from nlp.bundle import load_bundle
    from nlp.errors import ModelBundleError

    with pytest.raises(ModelBundleError):
        load_bundle(encoder=tmp_path)


@pytest.mark.slow
def test_numpy_fast_path_matches_sentence_transformers() -> None:
    from nlp.bundle import default_model_dir
    from nlp.classify.encoders import SentenceTransformerEncoder, StaticNumpyEncoder, is_static_only

    folder = default_model_dir() / "encoder"
    assert is_static_only(folder)
    texts = ["涉企行政检查多头重复，全年检查12次。", "普法宣传形式单一", "", "abc 123"]
    fast = StaticNumpyEncoder(folder).encode(texts)
    reference = SentenceTransformerEncoder(folder).encode(texts)
    assert np.allclose(fast, reference, atol=1e-5)


def test_hard_negatives_come_from_another_problem_of_the_same_domain() -> None:
    import random

    from nlp.classify.encoder_train import same_domain_negatives

    groups = [{"group": "a", "domain": "x", "problems": ["a1", "a2"]}, {"group": "b", "domain": "x", "problems": ["b1"]},
              {"group": "c", "domain": "y", "problems": ["c1", "c2"]}]
    sample = same_domain_negatives(groups)
    rng = random.Random(0)
    assert {sample("a1", rng) for _ in range(20)} == {"b1"}
    assert {sample("b1", rng) for _ in range(20)} == {"a1", "a2"}
    assert sample("c1", rng) is None and sample("unknown", rng) is None


def test_dev_groups_for_calibration_are_train_groups_never_fitted() -> None:
    from nlp.classify.encoder_train import split_dev_groups, split_groups, training_pairs
    from nlp.corpus.pools import read_paraphrases

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


@pytest.mark.slow
def test_calibrate_encoder_writes_the_threshold_a_model_is_loaded_with(tmp_path: Path) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from nlp.bundle import default_model_dir
    from nlp.classify.encoders import CARD_FILE, load_encoder
    from nlp.cli import app

    folder = tmp_path / "bigger"
    shutil.copytree(default_model_dir() / "encoder", folder)
    (folder / CARD_FILE).unlink()  # as a model copied in from elsewhere would come
    assert load_encoder(folder).group_similarity is None
    result = CliRunner().invoke(app, ["calibrate-encoder", str(folder)])
    assert result.exit_code == 0, result.output
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    means = card["calibration_f1_common"]
    assert card["group_similarity"] == float(max(means, key=lambda k: (means[k], float(k)))) and len(means) > 3
    assert load_encoder(folder).group_similarity == float(card["group_similarity"])
    assert CliRunner().invoke(app, ["calibrate-encoder", str(tmp_path / "missing")]).exit_code == 2
