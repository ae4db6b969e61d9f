"""The project's corpus itself: `prereview corpus check` passes and the datasheet's counts hold."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nlp.taxonomy import load_taxonomy
from nlp.training.cli import app
from nlp.training.corpus import default_corpus_dir, load_splits
from nlp.training.corpus.check import check_corpus
from nlp.training.corpus.schema import load_documents

runner = CliRunner()


def test_corpus_check_passes() -> None:
    assert check_corpus(default_corpus_dir()) == []
    result = runner.invoke(app, ["corpus", "check"])
    assert result.exit_code == 0, result.output


def test_corpus_stats_meet_the_datasheet() -> None:
    result = runner.invoke(app, ["corpus", "stats", "--format", "json"])
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert {"documents", "sentences", "labels", "issues", "transcripts", "latent_share", "vague_share",
            "domains"} <= set(stats)
    assert stats["documents"] >= 80 and stats["transcripts"] >= 15
    assert stats["sentences"] >= 4000 and min(stats["labels"].values()) >= 400
    assert stats["issues"] >= 800 and stats["latent_share"] >= 0.30 and stats["vague_share"] >= 0.20
    assert set(stats["domains"]) == set(load_taxonomy().codes)


def test_splits_keep_test_and_heldout_apart() -> None:
    root = default_corpus_dir()
    splits = load_splits(root)
    docs = load_documents(root / "annotated")
    assert {splits[d.id] for d in docs if d.batch == "e"} == {"heldout"}
    assert sum(1 for d in docs if splits[d.id] == "test") >= 15
