"""A batch output folder as tables (pandas). (The notebooks' demo round: ``nlp.training.demo.demo_round``.)

The tables keep the English codes (``decision == "revise"``) for code to read; ``zh`` gives the same table with
Chinese headers and values for a reviewer to see. Every table has its columns even when the round has no rows
(all reports failed, no indicator cited, no common problem), so the notebooks never trip over an empty frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.doc import AnalysisResult
from nlp.glossary import DECISIONS_SHORT, KINDS, LATENT_BASIS, SCOPE, TABLE_HEADERS, VISIBILITY
from nlp.round import RoundSummary
from nlp.taxonomy import load_taxonomy

REPORT_COLUMNS = {"file": "object", "unit": "object", "kind": "object", "year": "object", "decision": "object",
                  "problem_share": "float", "problems": "int", "vague": "int", "with_measure": "int",
                  "reasons": "object"}
ISSUE_COLUMNS = {"file": "object", "unit": "object", "id": "object", "text": "object", "domain": "object",
                 "domain_name": "object", "visibility": "object", "latent_basis": "object", "scope": "object",
                 "vague": "bool", "has_measure": "bool"}
INDICATOR_COLUMNS = {"file": "object", "unit": "object", "name": "object", "value": "float", "measure": "object",
                     "alert": "bool"}
COMMON_COLUMNS = {"id": "object", "title": "object", "domain": "object", "domain_name": "object", "units": "object",
                  "members": "object", "issues": "int"}
FAILURE_COLUMNS = {"file": "object", "code": "object", "message": "object"}

# what a reviewer sees: column headers (nlp.glossary.TABLE_HEADERS), then the coded values of some columns
VAGUE_HEADER = {"bool": "表述空泛", "int": "空泛问题数"}
VALUES = {"decision": DECISIONS_SHORT, "kind": KINDS, "visibility": VISIBILITY, "latent_basis": LATENT_BASIS,
          "scope": SCOPE}
HIDDEN = ("id", "domain", "members", "code")  # codes and ids: for code, not for the reviewer


@dataclass
class RoundData:
    folder: Path
    summary: RoundSummary
    results: list[AnalysisResult]
    reports: Any  # pandas.DataFrame, one row per report
    issues: Any  # pandas.DataFrame, one row per issue
    indicators: Any  # pandas.DataFrame, one row per cited indicator
    common: Any  # pandas.DataFrame, one row per common problem (title, domain, units, members)
    failures: Any  # pandas.DataFrame, one row per file that could not be analysed (file, code, message)


def pick_report(data: RoundData, filename: str | None = None) -> AnalysisResult | None:
    """The report named ``filename``; else the first that needs revising or rewriting; else the first; else None."""
    if filename:
        for r in data.results:
            if r.document.filename == filename or Path(r.document.filename).stem == filename:
                return r
        names = "、".join(r.document.filename for r in data.results)
        raise KeyError(f"本批次没有名为 {filename} 的报告（可选：{names}）")
    return next((r for r in data.results if r.verdict.decision in ("revise", "return")),
                data.results[0] if data.results else None)


def load_round(folder: str | Path) -> RoundData:
    """Read ``summary.json`` and ``reports/*.json`` of a ``prereview batch`` output folder."""
    folder = Path(folder)
    summary_path = folder / "summary.json"
    report_paths = sorted((folder / "reports").glob("*.json"))
    if not summary_path.exists() and not report_paths:
        raise FileNotFoundError(f"{folder} 不是批量预审的输出目录（没有 summary.json，也没有 reports/*.json）")
    summary = (RoundSummary.model_validate_json(summary_path.read_text(encoding="utf-8")) if summary_path.exists()
               else RoundSummary())
    results = [AnalysisResult.model_validate_json(p.read_text(encoding="utf-8")) for p in report_paths]
    tax = load_taxonomy()
    reports, issues, indicators = [], [], []
    for r in results:
        unit = r.document.unit or r.document.filename
        reports.append({"file": r.document.filename, "unit": unit, "kind": r.document.kind, "year": r.document.year,
                        "decision": r.verdict.decision, "problem_share": r.metrics.problem_share,
                        "problems": r.metrics.problems_total, "vague": r.metrics.problems_vague,
                        "with_measure": r.metrics.problems_with_measure,
                        "reasons": "；".join(x.message for x in r.verdict.reasons)})
        for i in r.issues:
            issues.append({"file": r.document.filename, "unit": unit, "id": i.id, "text": i.text, "domain": i.domain,
                           "domain_name": tax.name(i.domain), "visibility": i.visibility, "latent_basis": i.latent_basis,
                           "scope": i.scope, "vague": i.vague, "has_measure": i.measure is not None})
        for ind in r.metrics.indicators:
            indicators.append({"file": r.document.filename, "unit": unit, "name": ind.name, "value": ind.value,
                               "measure": ind.unit, "alert": ind.alert})
    return RoundData(folder, summary, results, _frame(reports, REPORT_COLUMNS), _frame(issues, ISSUE_COLUMNS),
                     _frame(indicators, INDICATOR_COLUMNS),
                     _frame([c.model_dump() for c in summary.common_problems], COMMON_COLUMNS),
                     _frame([f.model_dump() for f in summary.failures], FAILURE_COLUMNS))


def alerts(indicators: Any) -> Any:
    """The indicators that raise an alert, lowest value first (an empty table with the same columns if none)."""
    return indicators.loc[indicators["alert"].astype(bool)].sort_values("value")


def worst_first(reports: Any) -> Any:
    """The reports table with 退回 first, then 修改, 通过 and 不适用; the lowest problem share first within each."""
    order = {"return": 0, "revise": 1, "pass": 2, "not_applicable": 3}
    return reports.sort_values(["decision", "problem_share"], key=lambda col: col.map(order) if col.name == "decision"
                               else col).reset_index(drop=True)


def zh(table: Any, columns: list[str] | None = None) -> Any:
    """``table`` for a reviewer: Chinese headers, coded values in words, 是/否, no ids or codes."""
    import pandas as pd

    table = table[[c for c in (columns or list(table.columns)) if c in table.columns and c not in HIDDEN]].copy()
    headers = dict(TABLE_HEADERS)
    if "vague" in table:
        headers["vague"] = VAGUE_HEADER["int" if pd.api.types.is_integer_dtype(table["vague"]) else "bool"]
    for col, words in VALUES.items():
        if col in table:
            table[col] = table[col].map(lambda v, w=words: w.get(str(v), v) if v is not None and v == v else "")
    for col in table.columns:
        if pd.api.types.is_bool_dtype(table[col]):
            table[col] = table[col].map({True: "是", False: "否"})
    if "problem_share" in table:
        table["problem_share"] = table["problem_share"].map(lambda v: f"{v:.0%}")
    if "units" in table:
        table["units"] = table["units"].map(lambda us: "、".join(us) if isinstance(us, (list, tuple)) else us)
    return table.rename(columns=headers).reset_index(drop=True)


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> Any:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns) if frame.empty else frame
