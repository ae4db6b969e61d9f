"""Round figures on a real annotated round (scope, common groups, themes covered), on a round of our own."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.bundle import load_bundle
from nlp.pipeline import analyze
from nlp.training.real import load_real_round
from nlp.training.real_round import common_themes, format_round, round_figures

CITIES = ("青川市", "石门市", "岚山市", "清河市")
BODY = ("在看到成绩的同时，我们也清醒认识到，我市发展还面临一些困难：部分小微企业经营困难；"
        "消费需求恢复不快。对此，我们将采取有力措施认真解决。")


def _round(tmp_path: Path, lone: str) -> Path:
    (tmp_path / "docs").mkdir()
    lines = []
    for k, city in enumerate(CITIES):
        extra = f"{lone}；" if k == 0 else ""
        text = "\n".join([f"2025年{city}政府工作报告", "一、2024年工作回顾", "全年地区生产总值增长5.1%。",
                          BODY.replace("困难：", f"困难：{extra}"), "二、2025年重点任务", "全力扩大有效需求。"])
        name = f"{k + 1:02d}_{city}_2025.txt"
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
        problems = [{"quote": "部分小微企业经营困难", "type": "explicit", "theme": "企业"},
                    {"quote": "消费需求恢复不快", "type": "explicit", "theme": "需求"}]
        if k == 0:
            problems.append({"quote": lone, "type": "explicit", "theme": "独有"})
        lines.append(json.dumps({"doc": name, "unit": city, "kind": "gov-work-report", "problems": problems},
                                ensure_ascii=False))
    (tmp_path / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_round_figures_on_a_round_of_our_own(tmp_path: Path) -> None:
    folder = _round(tmp_path, "城区老旧排水管网改造滞后")
    docs = load_real_round(folder)
    assert common_themes(docs) == {"企业", "需求"}  # four units each; the lone theme is one unit's
    bundle = load_bundle()
    figures = round_figures([(d, analyze(d.path.read_bytes(), d.name, bundle)) for d in docs], bundle)
    assert figures["scope_judged"] == 9 and figures["common_themes"] == 2
    assert figures["common_groups_real"] == figures["common_groups"] == figures["common_themes_covered"] == 2
    assert figures["scope_accuracy"] == 1.0  # the shared problems common, the lone one specific
    assert "2/2" in format_round(figures)


def test_a_common_group_padded_with_lines_that_are_no_gold_problem_is_not_real(tmp_path: Path) -> None:
    """A second line of the same kind in every report that the gold does not list: the group is half gold."""
    folder = _round(tmp_path, "城区老旧排水管网改造滞后")
    for path in (folder / "docs").iterdir():
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("部分小微企业经营困难；", "部分小微企业经营困难；企业融资难、融资贵问题依然突出；"), encoding="utf-8")
    docs = load_real_round(folder)
    bundle = load_bundle()
    figures = round_figures([(d, analyze(d.path.read_bytes(), d.name, bundle)) for d in docs], bundle)
    assert figures["common_groups"] == 2 and figures["common_groups_real"] == 1
