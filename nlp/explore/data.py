"""A batch output folder as tables (pandas). (The notebooks' demo round: ``nlp.training.demo.demo_round``.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.doc import AnalysisResult
from nlp.round import RoundSummary
from nlp.taxonomy import load_taxonomy


@dataclass
class RoundData:
    folder: Path
    summary: RoundSummary
    results: list[AnalysisResult]
    reports: Any  # pandas.DataFrame, one row per report
    issues: Any  # pandas.DataFrame, one row per issue
    indicators: Any  # pandas.DataFrame, one row per cited indicator
    common: Any  # pandas.DataFrame, one row per common problem (title, domain, units, members)


def load_round(folder: str | Path) -> RoundData:
    """Read ``summary.json`` and ``reports/*.json`` of a ``prereview batch`` output folder."""
    import pandas as pd

    folder = Path(folder)
    summary = RoundSummary.model_validate_json((folder / "summary.json").read_text(encoding="utf-8"))
    results = [AnalysisResult.model_validate_json(p.read_text(encoding="utf-8"))
               for p in sorted((folder / "reports").glob("*.json"))]
    tax = load_taxonomy()
    reports, issues, indicators = [], [], []
    for r in results:
        unit = r.document.unit or r.document.filename
        reports.append({"file": r.document.filename, "unit": unit, "kind": r.document.kind, "year": r.document.year,
                        "decision": r.verdict.decision, "problem_share": r.metrics.problem_share,
                        "problems": r.metrics.problems_total, "vague": r.metrics.problems_vague,
                        "with_measure": r.metrics.problems_with_measure,
                        "reasons": ";".join(x.code for x in r.verdict.reasons)})
        for i in r.issues:
            issues.append({"file": r.document.filename, "unit": unit, "id": i.id, "text": i.text, "domain": i.domain,
                           "domain_name": tax.name(i.domain), "visibility": i.visibility, "latent_basis": i.latent_basis,
                           "scope": i.scope, "vague": i.vague, "has_measure": i.measure is not None})
        for ind in r.metrics.indicators:
            indicators.append({"file": r.document.filename, "unit": unit, "name": ind.name, "value": ind.value,
                               "alert": ind.alert})
    return RoundData(folder, summary, results, pd.DataFrame(reports), pd.DataFrame(issues),
                     pd.DataFrame(indicators, columns=["file", "unit", "name", "value", "alert"]),
                     pd.DataFrame([c.model_dump() for c in summary.common_problems],
                                  columns=["id", "title", "domain", "domain_name", "units", "members", "issues"]))
