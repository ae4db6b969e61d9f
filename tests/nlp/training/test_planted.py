from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from nlp.classify.encoders import CARD_FILE, HashEncoder, calibrated_similarity, load_encoder
from nlp.cluster.rounds import DEFAULT_SIMILARITY, RoundIssue, common_threshold, grouping_similarity
from nlp.training.corpus.writer import load_pools
from nlp.training.planted import PlantedRound, calibrate_similarity, planted_round, scope_f1, score_grouping

ROOT = Path(__file__).resolve().parents[3]


class TableEncoder:
    """Fixed vectors per text: the similarity structure of a test is written down, not learned."""

    def __init__(self, table: dict[str, Sequence[float]], group_similarity: float | None = None) -> None:
        self.table = table
        self.group_similarity = group_similarity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.array([self.table[t] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def toy_round() -> tuple[PlantedRound, TableEncoder]:
    # one common problem said two ways in 6 of 10 units (the wordings 0.6 alike), and 4 specific problems
    issues = [RoundIssue(f"c{u}", f"u{u}", "听证程序不规范" if u % 2 else "听证告知不准确", "law_enforcement")
              for u in range(6)]
    specific = ["档案管理混乱", "复议答复超期", "公示不及时", "培训覆盖不足"]  # wordings, not numbers, differ
    issues += [RoundIssue(f"s{u}", f"u{u}", specific[u - 6], "other") for u in range(6, 10)]
    table = {"听证程序不规范": [1, 0, 0, 0, 0, 0], "听证告知不准确": [0.6, 0.8, 0, 0, 0, 0]}
    table |= {text: [0, 0, *np.eye(4)[k]] for k, text in enumerate(specific)}
    return PlantedRound(10, tuple(issues), frozenset(f"c{u}" for u in range(6))), TableEncoder(table)


def test_scope_f1_counts_both_classes() -> None:
    planted, _ = toy_round()
    perfect = {x.id: "common" if x.id in planted.common else "specific" for x in planted.issues}
    assert scope_f1(planted, perfect) == {"f1_common": 1.0, "f1_macro": 1.0, "f1_common_read": 1.0}
    none_common = {x.id: "specific" for x in planted.issues}
    assert scope_f1(planted, none_common)["f1_common"] == 0.0


def test_equivalent_groups_count_as_one_problem_in_the_read_gold() -> None:
    from nlp.training.planted import _common_read

    # 4 units state the planted problem P, 1 unit group Q (which restates P), 1 unit group S (a part of theme P),
    # 1 unit group R (different); common from 4 units
    groups = {"p0": "P", "p1": "P", "p2": "P", "p3": "P", "q": "Q", "s": "S", "r": "R"}
    issues = [RoundIssue(i, f"u{k}", i, "law_enforcement") for k, i in enumerate(groups)]
    judged = [{"a": "P", "b": "Q", "relation": "same"}, {"a": "S", "b": "P", "relation": "a_in_b"},
              {"a": "P", "b": "R", "relation": "different"}]
    assert _common_read(issues, groups, 4, judged) == {"p0", "p1", "p2", "p3", "q", "s"}
    # a part of a theme that is not common in the round stays apart; a restatement alone is not common either
    few = {"p0": "P", "q": "Q", "s": "S"}
    assert _common_read([i for i in issues if i.id in few], few, 4, judged) == frozenset()
    # the read F1 scores against it, the strict one against the group itself
    rnd = PlantedRound(7, tuple(issues), frozenset({"p0", "p1", "p2", "p3"}), _common_read(issues, groups, 4, judged))
    scores = scope_f1(rnd, {i.id: "common" if i.id != "r" else "specific" for i in issues})
    assert scores["f1_common_read"] == 1.0 and scores["f1_common"] < 1.0


def test_calibration_finds_the_threshold_that_keeps_a_problem_whole() -> None:
    planted, encoder = toy_round()
    # the two wordings are 0.6 alike: a stricter threshold splits the problem into two groups of 3 units, which
    # in a round of 20 units (common from 4) makes both halves specific
    big = PlantedRound(20, planted.issues, planted.common)
    assert common_threshold(20) == 4
    best, means = calibrate_similarity([big], encoder, candidates=(0.5, 0.7), themes=(0.9,))
    assert best == (0.5, 0.9) and means["0.5/0.9"] == 1.0 and means["0.7/0.9"] == 0.0


def test_calibration_chooses_the_theme_similarity_with_the_grouping_one() -> None:
    planted, encoder = toy_round()
    # at 0.7 the two wordings are two clusters of 3 units; their centroids (0.6 alike) join into one theme from a
    # theme similarity of 0.6 down, not at 0.9
    big = PlantedRound(20, planted.issues, planted.common)
    best, means = calibrate_similarity([big], encoder, candidates=(0.7,), themes=(0.55, 0.9))
    assert best == (0.7, 0.55) and means == {"0.7/0.55": 1.0, "0.7/0.9": 0.0}


def test_grouping_similarity_comes_from_the_encoder() -> None:
    planted, encoder = toy_round()
    big = PlantedRound(20, planted.issues, planted.common)
    assert grouping_similarity(HashEncoder()) == DEFAULT_SIMILARITY
    strict = score_grouping(big, TableEncoder(encoder.table, group_similarity=0.7))
    loose = score_grouping(big, TableEncoder(encoder.table, group_similarity=0.5))
    assert strict["f1_common"] == 0.0 and loose["f1_common"] == 1.0


def test_calibrated_similarity_is_read_beside_the_model(tmp_path: Path) -> None:
    source = ROOT / "models" / "default" / "encoder"
    folder = tmp_path / "encoder"
    shutil.copytree(source, folder)
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    (folder / CARD_FILE).write_text(json.dumps({**card, "group_similarity": 0.42}), encoding="utf-8")
    assert calibrated_similarity(folder) == 0.42
    assert grouping_similarity(load_encoder(folder)) == 0.42
    (folder / CARD_FILE).unlink()  # a model we did not train: the default applies
    assert grouping_similarity(load_encoder(folder)) == DEFAULT_SIMILARITY


@pytest.mark.slow
def test_planted_round_marks_planted_problems_common() -> None:
    pools = load_pools(ROOT / "corpora")
    groups = [g["group"] for g in pools.concrete[:8]]
    planted = planted_round(pools, groups, seed=3, units=40)
    assert planted.units == 40 and len({x.unit for x in planted.issues}) == 40
    # 8 groups planted in max(3, 25% of 40) = 10 units each: every planted issue is gold common
    assert len(planted.common) >= 8 * common_threshold(40)
    assert len(planted.common) < len(planted.issues)  # specific problems are there too
    again = planted_round(pools, groups, seed=3, units=40)
    assert again == planted  # deterministic per seed


def test_an_unreadable_card_is_reported_and_the_default_applies(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / CARD_FILE).write_text("{not json", encoding="utf-8")
    assert calibrated_similarity(tmp_path) is None
    assert "cannot read" in caplog.text


def test_calibration_with_a_types_policy_groups_as_the_round_step_does() -> None:
    """Two wordings of one known kind of problem that the encoder puts far apart: clustering alone splits them,
    typed first they are one common problem at any threshold."""
    from nlp.config import ProblemTypePolicy

    a, b = "部分执法人员未取得执法证件即上岗执法", "执法人员无证上岗问题仍然存在"
    issues = [RoundIssue(f"c{u}", f"u{u}", a if u % 2 else b, "law_enforcement") for u in range(6)]
    specific = ["档案管理混乱", "复议答复超期", "公示不及时", "培训覆盖不足"]
    issues += [RoundIssue(f"s{u}", f"u{u}", specific[u - 6], "other") for u in range(6, 10)]
    table = {a: [1, 0, 0, 0, 0, 0], b: [0, 1, 0, 0, 0, 0]} | {t: [0, 0, *np.eye(4)[k]] for k, t in enumerate(specific)}
    rnd = PlantedRound(20, tuple(issues), frozenset(f"c{u}" for u in range(6)))
    _, plain = calibrate_similarity([rnd], TableEncoder(table), candidates=(0.5, 0.7), themes=(0.9,))
    _, typed_first = calibrate_similarity([rnd], TableEncoder(table), candidates=(0.5, 0.7), policy=ProblemTypePolicy(),
                                          themes=(0.9,))
    assert plain == {"0.5/0.9": 0.0, "0.7/0.9": 0.0} and typed_first == {"0.5/0.9": 1.0, "0.7/0.9": 1.0}
