from __future__ import annotations

import re

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
