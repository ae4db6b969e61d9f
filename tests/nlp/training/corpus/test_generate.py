from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

from nlp.pipeline import parse
from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate import GeneratorConfig, generate
from nlp.training.corpus.noise import mask_numbers
from nlp.training.corpus.schema import AnnotatedDocument
from nlp.training.corpus.writer import load_pools, render, write_generated


@pytest.fixture(scope="module")
def pools():  # type: ignore[no-untyped-def]
    return load_pools(default_corpus_dir())


def test_deterministic_for_a_seed(pools) -> None:  # type: ignore[no-untyped-def]
    a = generate(GeneratorConfig(n=8, seed=5), pools)
    b = generate(GeneratorConfig(n=8, seed=5), pools)
    c = generate(GeneratorConfig(n=8, seed=6), pools)
    assert a == b
    assert [r["text"] for r in a] != [r["text"] for r in c]


def test_gold_annotations_are_valid_records(pools) -> None:  # type: ignore[no-untyped-def]
    for record in generate(GeneratorConfig(n=12, seed=1, target_chars=3000), pools):
        doc = AnnotatedDocument.model_validate(record)
        for issue in doc.issues:
            for ev in issue.evidence:
                assert doc.text[ev.start:ev.end]
        assert all(doc.text[s.start:s.end].strip() == doc.text[s.start:s.end] for s in doc.sentences)


def test_profiles_control_problem_share(pools) -> None:  # type: ignore[no-untyped-def]
    def share(profile: str) -> float:
        cfg = GeneratorConfig(n=6, seed=2, profiles={profile: 1.0})
        values = []
        for rec in generate(cfg, pools):
            body = sum(s["end"] - s["start"] for s in rec["sentences"] if s["label"] != "other")
            pc = sum(s["end"] - s["start"] for s in rec["sentences"] if s["label"] in ("problem", "cause"))
            values.append(pc / body)
        return sum(values) / len(values)

    assert share("good") > 0.25 > share("achievement_heavy")
    assert share("no_problems") == 0


def test_planted_common_problems_are_shared_by_k_units(pools) -> None:  # type: ignore[no-untyped-def]
    assert pools.concrete, "corpora/pools must hold paraphrase groups"
    cfg = GeneratorConfig(n=20, seed=3, units=20, common_groups=4, common_k=5, profiles={"good": 1.0})
    units_by_group = defaultdict(set)
    for rec in generate(cfg, pools):
        for issue in rec["issues"]:
            if issue["group"]:
                units_by_group[issue["group"]].add(rec["unit"])
    assert sum(1 for units in units_by_group.values() if len(units) >= 5) == 4


def test_masking_keeps_offsets() -> None:
    text = "全年组织专题学习12次，办理案件305件。"
    masked = mask_numbers(text, random.Random(0), share=1.0)
    assert masked == "全年组织专题学习**次，办理案件***件。" and len(masked) == len(text)


@pytest.mark.parametrize("noise", [["pinyin"], ["repeat_body"], ["chrome"], ["fullwidth"], ["wrap"], ["traditional"],
                                   ["chrome", "pinyin", "repeat_body"]])
def test_noisy_txt_parses_back_to_the_gold_text(pools, noise: list[str]) -> None:  # type: ignore[no-untyped-def]
    record = generate(GeneratorConfig(n=1, seed=11, target_chars=2500, noise_rate=0.0), pools)[0]
    record["noise"] = noise
    data = render(record, "txt", random.Random(0))
    parsed = parse(data, "x.txt")
    if noise == ["traditional"]:  # OpenCC s2t→t2s is not always the identity; allow a few characters
        same = sum(a == b for a, b in zip(parsed.document.text, record["text"], strict=False))
        assert same >= 0.99 * len(record["text"])
    elif "wrap" in noise:
        # a paragraph whose last line happens to fill the width cannot be told from a wrapped line: the
        # paragraph break may go, the characters and sentences may not
        assert parsed.document.text.replace("\n", "") == record["text"].replace("\n", "")
    else:
        assert parsed.document.text == record["text"]


@pytest.mark.slow
def test_written_folder_has_reports_gold_and_manifest(pools, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = GeneratorConfig(n=4, seed=4, target_chars=2000)
    assert write_generated(cfg, pools, tmp_path, ["txt", "docx", "pdf"]) == 12
    gold = [json.loads(x) for x in (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(gold) == 4
    manifest = (tmp_path / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert manifest[0] == "file,unit,kind,year" and len(manifest) == 13
    for rec in gold:
        for fmt in ("docx", "pdf"):
            parsed = parse((tmp_path / "reports" / f"{rec['id']}.{fmt}").read_bytes(), f"x.{fmt}")
            assert parsed.document.unit == rec["unit"] or rec["unit"] in parsed.document.text
            assert len(parsed.sentences) >= 0.9 * len(rec["sentences"])


def test_copies_change_figures_but_keep_years(pools) -> None:  # type: ignore[no-untyped-def]
    import re

    records = generate(GeneratorConfig(n=40, seed=5, profiles={"good": 0.5, "copy": 0.5}), pools)
    by_id = {r["id"]: r for r in records}
    copies = [r for r in records if r.get("copy_of")]
    assert copies
    changed = 0
    for copy in copies:
        original = by_id[copy["copy_of"]]["text"]
        assert len(copy["text"]) == len(original)  # every offset kept
        for m in re.finditer(r"\d+", copy["text"]):
            if len(m.group()) >= 4:
                assert original[m.start():m.end()] == m.group()  # 2024年 stays 2024年
            changed += original[m.start():m.end()] != m.group()
    assert changed > 0
