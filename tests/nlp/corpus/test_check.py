from __future__ import annotations

import json
import shutil
from pathlib import Path

from nlp.corpus import default_corpus_dir
from nlp.corpus.check import check_corpus


def _copy_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpora"
    shutil.copytree(default_corpus_dir() / "sources", root / "sources")
    shutil.copytree(default_corpus_dir() / "annotated", root / "annotated")
    shutil.copy(default_corpus_dir() / "splits.json", root / "splits.json")
    return root


def test_a_stale_annotation_file_is_caught(tmp_path: Path) -> None:
    root = _copy_corpus(tmp_path)
    source = sorted((root / "sources").glob("a/*.txt"))[0]
    source.write_text(source.read_text(encoding="utf-8").replace("A| ", "O| ", 1), encoding="utf-8")
    assert any("out of date" in p for p in check_corpus(root))


def test_a_document_in_two_splits_is_caught(tmp_path: Path) -> None:
    root = _copy_corpus(tmp_path)
    table = json.loads((root / "splits.json").read_text(encoding="utf-8"))
    table["test"].append(table["train"][0])
    (root / "splits.json").write_text(json.dumps(table), encoding="utf-8")
    assert any("is in both" in p for p in check_corpus(root))


def test_leakage_between_train_and_test_is_caught(tmp_path: Path) -> None:
    root = _copy_corpus(tmp_path)
    splits = json.loads((root / "splits.json").read_text(encoding="utf-8"))
    lines = (root / "annotated" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(x) for x in lines]
    train = next(d for d in docs if d["id"] in splits["train"])
    test = next(d for d in docs if d["id"] in splits["test"])
    long_sentence = next(s for s in train["sentences"] if s["label"] == "problem" and s["end"] - s["start"] > 30)
    stolen = train["text"][long_sentence["start"]:long_sentence["end"]]
    start = len(test["text"]) + 1
    test["text"] += "\n" + stolen
    test["sentences"].append({"start": start, "end": start + len(stolen), "label": "problem", "speaker": None})
    (root / "annotated" / "documents.jsonl").write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    assert any("nearly repeats" in p for p in check_corpus(root))
