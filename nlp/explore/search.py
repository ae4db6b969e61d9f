"""Semantic search over a round's problems, comparison with last year's report, export of a selection."""

from __future__ import annotations

from typing import Any

import numpy as np

from nlp.classify.encoders import Encoder
from nlp.doc import AnalysisResult

SAME_PROBLEM = 0.8


def search_problems(issues: Any, query: str, encoder: Encoder, k: int = 10) -> Any:
    """The ``k`` issues closest in meaning to ``query``, with a ``similarity`` column."""
    if issues.empty:
        return issues.assign(similarity=[])
    emb = encoder.encode(list(issues["text"]))
    q = encoder.encode([query])[0]
    sims = emb @ q
    top = np.argsort(-sims)[:k]
    return issues.iloc[top].assign(similarity=np.round(sims[top], 3))


def compare_reports(previous: AnalysisResult, current: AnalysisResult, encoder: Encoder,
                    same: float = SAME_PROBLEM) -> dict[str, list[str]]:
    """Problems added this year, dropped since last year, and repeated (the same problem again)."""
    old = [i.text for i in previous.issues if i.latent_basis != "omission"]
    new = [i.text for i in current.issues if i.latent_basis != "omission"]
    if not old or not new:
        return {"added": new, "dropped": old, "repeated": []}
    sims = encoder.encode(new) @ encoder.encode(old).T
    repeated = [new[a] for a in range(len(new)) if sims[a].max() >= same]
    added = [new[a] for a in range(len(new)) if sims[a].max() < same]
    dropped = [old[b] for b in range(len(old)) if sims[:, b].max() < same]
    return {"added": added, "dropped": dropped, "repeated": repeated}


def export_selection(issues: Any, path: str) -> str:
    """Write the selected issues to an Excel sheet with Chinese headers and values; return the path."""
    from nlp.explore.data import zh

    columns = ["unit", "text", "domain_name", "visibility", "scope", "vague", "has_measure", "file"]
    zh(issues, columns).to_excel(path, index=False, sheet_name="选定问题")
    return path

CHANGES = {"added": "今年新增", "dropped": "上年提及、今年未提", "repeated": "重复出现"}


def compare_table(previous: AnalysisResult, current: AnalysisResult, encoder: Encoder) -> Any:
    """``compare_reports`` as a table for a reviewer: 变化 (in words), 问题."""
    import pandas as pd

    diff = compare_reports(previous, current, encoder)
    return pd.DataFrame([(CHANGES[k], t) for k, items in diff.items() for t in items], columns=["变化", "问题"])
