"""Figures for reviewers, with Chinese labels that render offline.

matplotlib needs a CJK font: Debian's ``fonts-noto-cjk`` (``apt-get install fonts-noto-cjk``) gives Noto Sans/Serif
CJK; WenQuanYi, SimHei and others are found too. Without one, figures still draw and a warning says why the
labels show as boxes.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from nlp.glossary import DECISIONS_SHORT

logger = logging.getLogger(__name__)
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN", "Noto Sans CJK JP")
DECISION_COLORS = {"pass": "#4c9a5b", "revise": "#e0a030", "return": "#c0392b", "not_applicable": "#999999"}


def setup_cjk_font() -> str | None:
    """Use the first installed CJK font for every figure; return its name, or None (with a warning)."""
    import matplotlib
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in available:
            matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    warnings.warn("no Chinese font found: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk); "
                  "Chinese labels will show as boxes", stacklevel=2)
    return None


def _nothing(message: str) -> None:
    """A figure with nothing to draw: a Chinese line instead (the notebook cell then shows no image)."""
    print(message)


def _figure(width: float = 8, height: float = 4.5):  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    setup_cjk_font()
    return plt.subplots(figsize=(width, height), dpi=110)


def plot_decisions(reports: Any):  # type: ignore[no-untyped-def]
    """Bar chart of pass / revise / return counts (and 不适用, when some files are not reports to review)."""
    if reports.empty:
        return _nothing("本批次没有成功预审的报告，无法绘制结论分布。")
    fig, ax = _figure(6, 3.6)
    counts = reports["decision"].value_counts()
    keys = [k for k in ("pass", "revise", "return", "not_applicable") if k != "not_applicable" or counts.get(k, 0)]
    values = [int(counts.get(k, 0)) for k in keys]
    bars = ax.bar([DECISIONS_SHORT[k] for k in keys], values, color=[DECISION_COLORS[k] for k in keys])
    ax.bar_label(bars)
    ax.set_title("预审结论分布")
    ax.set_ylabel("报告数")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_problem_share(reports: Any, line: float = 0.30):  # type: ignore[no-untyped-def]
    """Histogram of problem shares with the policy line, coloured by decision."""
    if reports.empty:
        return _nothing("本批次没有成功预审的报告，无法绘制问题占比分布。")
    fig, ax = _figure()
    bins = [i / 20 for i in range(0, 21)]
    keys = ("pass", "revise", "return")
    ax.hist([reports.loc[reports["decision"] == k, "problem_share"] for k in keys], bins=bins, stacked=True,
            label=[DECISIONS_SHORT[k] for k in keys], color=[DECISION_COLORS[k] for k in keys])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.axvline(line, color="black", linestyle="--", linewidth=1, label=f"问题占比要求 {line:.0%}")
    ax.set_xlabel("问题与原因占报告篇幅的比例")
    ax.set_ylabel("报告数")
    ax.set_title("各报告问题占比分布")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_domain_heatmap(issues: Any, max_units: int = 25):  # type: ignore[no-untyped-def]
    """Domain × unit counts of issues, for the units with the most issues."""
    import numpy as np

    if issues.empty:
        return _nothing("本批次的报告中没有提取到问题，无法绘制领域×单位热力图。")
    table = issues.pivot_table(index="domain_name", columns="unit", values="id", aggfunc="count", fill_value=0)
    top = table.sum(axis=0).sort_values(ascending=False).index[:max_units]
    table = table[top]
    fig, ax = _figure(max(8, 0.42 * len(top) + 3), max(4, 0.38 * len(table.index) + 1.8))
    im = ax.imshow(table.to_numpy(), aspect="auto", cmap="OrRd")
    ax.set_xticks(np.arange(len(top)), labels=[u[:8] for u in top], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(table.index)), labels=list(table.index), fontsize=8)
    ax.set_title("问题领域 × 单位（问题数）")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def plot_vague_units(issues: Any, top: int = 15):  # type: ignore[no-untyped-def]
    """Units ranked by their number of vague problems."""
    if not issues["vague"].astype(bool).any():
        return _nothing("本批次没有表述空泛的问题。")
    counts = issues[issues["vague"].astype(bool)].groupby("unit").size().sort_values(ascending=True).tail(top)
    fig, ax = _figure(7, max(3, 0.3 * len(counts) + 1.2))
    ax.barh([u[:14] for u in counts.index], counts.to_numpy(), color="#8e6bb8")
    ax.set_xlabel("表述空泛的问题数")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("问题表述空泛的单位")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
