"""Near-copies in a batch: sketches come from the workers for the reports analysed in this run and are made in
the round step for those done in an earlier run; either way the same copies are found."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.batch.runner import BatchOptions, analyze_task, run_batch
from nlp.cluster.duplicates import sketch
from nlp.doc import AnalysisResult
from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate import GeneratorConfig
from nlp.training.corpus.writer import load_pools, write_generated


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """Three generated reports and a later copy of the first under another name (figures changed)."""
    root = tmp_path_factory.mktemp("near")
    write_generated(GeneratorConfig(n=3, seed=5, units=3, target_chars=2500, noise_rate=0.0),
                    load_pools(default_corpus_dir()), root, ["txt"])
    src = root / "reports"
    text = (src / "g00000.txt").read_text(encoding="utf-8")
    (root / "z-copy.txt").write_text(text.replace("2", "3"), encoding="utf-8")
    return src


def near(out: Path) -> list[dict[str, object]]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["near_duplicates"]  # type: ignore[no-any-return]


def test_worker_returns_the_sketch_of_the_analysed_text(folder: Path) -> None:
    data = (folder / "g00001.txt").read_bytes()
    status, payload, message, sig = analyze_task("g00001.txt", data, None, None, None, None)
    assert status == "ok" and message is None
    assert np.array_equal(sig, sketch(AnalysisResult.model_validate_json(payload).document.text))
    assert analyze_task("x.pdf", b"%PDF-1.7 broken", None, None, None, None)[3] is None


def test_copy_found_across_a_resumed_run(folder: Path, tmp_path: Path) -> None:
    at_once = tmp_path / "at-once"
    (folder / "z-copy.txt").write_bytes((folder.parent / "z-copy.txt").read_bytes())
    try:
        run_batch(BatchOptions(input=str(folder), out=at_once, progress=False))
        expected = near(at_once)
        assert [d["file"] for d in expected] == ["z-copy.txt"] and expected[0]["copies"] == "g00000.txt"
        # first the three reports, then again with the copy: the earlier ones are read back, without sketches
        resumed = tmp_path / "resumed"
        (folder / "z-copy.txt").unlink()
        run_batch(BatchOptions(input=str(folder), out=resumed, progress=False))
        assert near(resumed) == []
        (folder / "z-copy.txt").write_bytes((folder.parent / "z-copy.txt").read_bytes())
        outcome = run_batch(BatchOptions(input=str(folder), out=resumed, progress=False))
        assert outcome.skipped == 3
        assert near(resumed) == expected
        for name in ("g00000.json", "z-copy.json"):
            assert (resumed / "reports" / name).read_bytes() == (at_once / "reports" / name).read_bytes()
    finally:
        (folder / "z-copy.txt").unlink(missing_ok=True)
