"""`prereview train` is reproducible: the same seed on the same data gives identical predictions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.bundle import load_bundle
from nlp.training.corpus import default_corpus_dir, load_splits
from nlp.training.corpus.schema import load_documents
from nlp.training.data import corpus_inputs
from nlp.training.train import train_bundle


@pytest.mark.slow
def test_same_seed_same_predictions(tmp_path: Path) -> None:
    root = default_corpus_dir()
    splits = load_splits(root)
    docs = load_documents(root / "annotated")
    keep = {d.id for d in docs if splits[d.id] == "train"}
    keep = set(sorted(keep)[:10]) | {d.id for d in docs if splits[d.id] == "dev"}
    test_docs = [d for d in docs if splits[d.id] == "test"][:3]
    X, _, _ = corpus_inputs(test_docs)
    outputs = []
    for name in ("a", "b"):
        train_bundle(root, tmp_path / name, seed=7, log=lambda _: None, with_encoder=False,
                     doc_filter=lambda d: d.id in keep)
        bundle = load_bundle(tmp_path / name)
        outputs.append((bundle.sentence_model.predict_proba(X), bundle.issue_typer.predict([x.text for x in X[:30]])))
    assert np.array_equal(outputs[0][0], outputs[1][0])
    assert outputs[0][1] == outputs[1][1]
    meta = (tmp_path / "a" / "meta.json").read_text(encoding="utf-8")
    assert '"corpus_sha256"' in meta and '"scikit-learn"' in meta
