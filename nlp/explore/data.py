"""A batch output folder as tables (pandas), and a small demo round generated on first use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.doc import AnalysisResult
from nlp.round import RoundSummary
from nlp.taxonomy import load_taxonomy

DEMO_UNITS = 24


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


def demo_round(cache: str | Path | None = None, n_units: int = DEMO_UNITS) -> Path:
    """A small review round (generated reports, then ``prereview batch``), built once and cached.

    Returns the batch output folder; ``<cache>/previous`` holds last year's reports of the first units.
    """
    import fcntl

    base = Path(cache) if cache else Path(__file__).resolve().parents[2] / ".cache" / "demo-round"
    out = base / "out"
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as lock:  # several notebooks (or test workers) may ask at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "summary.json").exists():
            _build_demo(base, out, n_units)
    return out


def _build_demo(base: Path, out: Path, n_units: int) -> None:
    from nlp.batch.runner import BatchOptions, run_batch
    from nlp.corpus import default_corpus_dir
    from nlp.corpus.generate import GeneratorConfig
    from nlp.corpus.writer import load_pools, write_generated

    pools = load_pools(default_corpus_dir())
    write_generated(GeneratorConfig(n=n_units, seed=2024, units=n_units, noise_rate=0.2, target_chars=3500,
                                    common_groups=4, round_name="演示批次"), pools, base / "current", ["txt"])
    write_generated(GeneratorConfig(n=4, seed=2023, units=n_units, noise_rate=0.0, target_chars=3500,
                                    round_name="上年度"), pools, base / "previous", ["txt"])
    (base / "current" / "manifest.csv").replace(base / "current" / "reports" / "manifest.csv")
    run_batch(BatchOptions(input=str(base / "current" / "reports"), out=out, round_name="演示批次", progress=False))
    run_batch(BatchOptions(input=str(base / "previous" / "reports"), out=base / "previous-out", round_name="上年度",
                           progress=False))
