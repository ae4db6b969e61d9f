"""Round figures on a real annotated round: the scope (共性 / 个性) of gold problems and the common groups, by the
rules of ``../shared/tools/round_eval.py``.

A gold theme is common when at least ``common_threshold(units)`` units raise it (a unit raises a theme when one of
its gold problems has it as theme or also-theme). A gold problem's scope is right when the issue that overlaps it
most carries the scope of its themes. A common group is a real problem when at least 80 % of its members match a
gold problem and at least 60 % of those share one theme; the themes of real groups are the common themes covered.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from nlp.cluster.rounds import common_threshold
from nlp.doc import AnalysisResult
from nlp.round import RoundModels, review_round
from nlp.training.real import RealDocument, _hit, _norm, _overlap

REAL_SHARE = 0.8  # of a group's members that must be gold problems
THEME_SHARE = 0.6  # of those that must share one theme


def common_themes(docs: Sequence[RealDocument]) -> set[str]:
    units: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for p in doc.problems:
            for theme in p.themes:
                units[theme].add(doc.unit)
    need = common_threshold(len(docs))
    return {t for t, u in units.items() if len(u) >= need}


def round_figures(pairs: Sequence[tuple[RealDocument, AnalysisResult]], models: RoundModels) -> dict[str, Any]:
    """Scope accuracy, common groups that are real problems, and gold common themes covered, for the analyses of a
    whole real round (one result per document) put through the round step."""
    docs = [d for d, _ in pairs]
    common = common_themes(docs)
    rr = review_round([r for _, r in pairs], models)
    right = judged = 0
    themes_of: dict[str, list[str]] = {}
    for doc, result in zip(docs, rr.results, strict=True):
        issues = [(_norm(" ".join(e.text for e in i.evidence) or i.text), i) for i in result.issues
                  if i.latent_basis != "omission"]
        quotes = [(_norm(p.quote), p) for p in doc.problems]
        for q, p in quotes:
            best = max(issues, key=lambda x: _overlap(q, x[0]), default=None)
            if best is not None and _overlap(q, best[0]) >= 4:
                judged += 1
                right += best[1].scope == ("common" if set(p.themes) & common else "specific")
        for text, issue in issues:
            themes_of[issue.id] = [p.theme for q, p in quotes if _hit(q, text)]
    real, covered = 0, set()
    for group in rr.summary.common_problems:
        matched = [themes_of[m] for m in group.members if themes_of.get(m)]
        if not group.members or len(matched) < REAL_SHARE * len(group.members):
            continue
        top, n = Counter(t[0] for t in matched).most_common(1)[0]
        if n >= THEME_SHARE * len(matched):
            real += 1
            covered |= {top} & common
    return {"scope_accuracy": round(right / max(judged, 1), 3), "scope_judged": judged,
            "common_groups": len(rr.summary.common_problems), "common_groups_real": real,
            "common_themes": len(common), "common_themes_covered": len(covered)}


def format_round(figures: dict[str, Any]) -> str:
    return (f"批次共性问题（整批经批次步骤）：范围判断正确 {figures['scope_accuracy']:.3f}（{figures['scope_judged']}个"
            f"金标问题）；共性问题组为真实问题 {figures['common_groups_real']}/{figures['common_groups']}；"
            f"金标共性主题成组 {figures['common_themes_covered']}/{figures['common_themes']}")
