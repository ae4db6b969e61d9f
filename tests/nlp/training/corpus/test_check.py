from __future__ import annotations

import json
import shutil
from pathlib import Path

from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.check import check_corpus


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


def test_paraphrase_groups_are_checked(tmp_path: Path) -> None:
    from nlp.training.corpus.check import check_paraphrase_groups

    pools = tmp_path / "pools"
    pools.mkdir()
    good = {"group": "law_enforcement-x1", "domain": "law_enforcement", "vague": False,
            "problems": [f"听证程序执行不规范，第{k}件案件未按期组织听证。" for k in range(6)],
            "measures": ["下一步将规范听证程序，由法规科负责逐案跟踪。"]}
    (pools / "paraphrases_a.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
    assert check_paraphrase_groups(tmp_path) == []
    bad = [{**good, "group": "law_enforcement-x1"},  # the same id again, and the same sentences
           {**good, "group": "x2", "domain": "nowhere", "problems": ["太短"], "vague": "no", "kind": "similar"},
           "{not json"]
    (pools / "paraphrases_b.jsonl").write_text(
        "\n".join(b if isinstance(b, str) else json.dumps(b, ensure_ascii=False) for b in bad), encoding="utf-8")
    found = "\n".join(check_paraphrase_groups(tmp_path))
    for expected in ("appears twice", "repeats a sentence of law_enforcement-x1", "unknown domain 'nowhere'",
                     "'vague' must be true or false", "kind must be one of theme, same", "needs at least 4 problems",
                     "too short", "not a paraphrase group"):
        assert expected in found
