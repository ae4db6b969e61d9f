"""The batch's outputs, written once all reports are analysed: the round-level steps and every file
named in the batch contract (reports/, units/, summary.json, summary.csv, checklist.xlsx, letters/)."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.batch.inputs import InputFile
from nlp.batch.state import BatchState, write_atomic, write_json
from nlp.checklist.build import renumber, unit_items
from nlp.checklist.cross_source import cross_source_items, review_round_sources
from nlp.checklist.round import review_round
from nlp.doc import AnalysisResult
from nlp.report.excel import write_checklist_xlsx
from nlp.report.word import letter_docx

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
logger = logging.getLogger(__name__)


def safe_name(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "unit"


def write_round_outputs(opts: Any, inputs: list[InputFile], names: dict[str, str], state: BatchState,
                        bundle: Any) -> None:
    out: Path = opts.out
    done = state.done()
    order: list[str] = []
    for f in inputs:
        if f.sha256 not in order and done.get(f.sha256, ("",))[0] == "done":
            order.append(f.sha256)
    results = [AnalysisResult.model_validate_json((out / "reports" / f"{names[h]}.json").read_text(encoding="utf-8"))
               for h in order]
    review = review_round(results, bundle.encoder, bundle.config.verdict.near_duplicate_jaccard)
    # each report against its unit's interviews: contradicted claims become reasons; unmatched transcripts warned
    sourced, source_warnings = review_round_sources(review.results, bundle.encoder)
    review = dataclasses.replace(review, results=tuple(sourced))
    for w in source_warnings:
        logger.warning("%s: %s", w["file"], w["message"])
    for h, result in zip(order, review.results, strict=True):
        write_atomic(out / "reports" / f"{names[h]}.json", result.model_dump_json())
    by_unit: dict[str, list[tuple[str, AnalysisResult]]] = {}
    for h, result in zip(order, review.results, strict=True):
        by_unit.setdefault(result.document.unit or names[h], []).append((names[h], result))
    all_items = []
    for unit, entries in sorted(by_unit.items()):
        items = [i for _, r in entries for i in unit_items(r, opts.round_name, review.scopes)]
        reports = [r for _, r in entries if r.document.kind not in ("transcript", "feedback")]
        transcripts = [r for _, r in entries if r.document.kind == "transcript"]
        if reports and transcripts:  # what the interviews raise and the reports leave out or contradict
            items += cross_source_items(reports, transcripts, bundle.encoder, opts.round_name)
        items = renumber(items)
        all_items += items
        write_json(out / "units" / f"{safe_name(unit)}.json", {
            "unit": unit,
            "issues": [i.model_dump(mode="json") for i in items],
            "verdicts": [{"file": r.document.filename, "report": f"reports/{stem}.json",
                          "decision": r.verdict.decision, "reasons": [x.model_dump(mode="json") for x in r.verdict.reasons]}
                         for stem, r in entries],
        })
    all_items = renumber(all_items)
    _write_letters(out, [(names[h], r) for h, r in zip(order, review.results, strict=True)], opts.workers)
    common = list(review.common)
    write_atomic(out / "checklist.xlsx", write_checklist_xlsx(
        [("个性问题清单", [i for i in all_items if i.scope != "common"]),
         ("共性问题明细", [i for i in all_items if i.scope == "common"])], common))
    decisions = Counter(r.verdict.decision for r in review.results)
    write_json(out / "summary.json", {
        "round": opts.round_name,
        "reports": len(order),
        "decisions": {k: decisions.get(k, 0) for k in ("pass", "revise", "return")},
        "failures": state.failures(),
        "warnings": source_warnings,
        "common_problems": [{"id": c.id, "text": c.text, "domain": c.domain, "domain_name": c.domain_name,
                             "units": list(c.units), "issues": len(c.members)} for c in common],
        "near_duplicates": [{"file": k, "copies": v[0], "similarity": round(v[1], 4)}
                            for k, v in sorted(review.near_duplicates.items())],
    })
    write_atomic(out / "summary.csv", _summary_csv([(names[h], r) for h, r in zip(order, review.results, strict=True)]))


def _write_letters(out: Path, results: list[tuple[str, AnalysisResult]], workers: int = 1) -> None:
    """修改建议函 / 退回重写通知 for every report not passed, written by ``workers`` processes."""
    todo = [(stem, r) for stem, r in results if r.verdict.decision != "pass"]
    if workers > 1 and len(todo) > 20:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            letters = list(pool.map(letter_docx, [r for _, r in todo], chunksize=16))
    else:
        letters = [letter_docx(r) for _, r in todo]
    for (stem, result), data in zip(todo, letters, strict=True):
        kind = "修改建议函" if result.verdict.decision == "revise" else "退回重写通知"
        write_atomic(out / "letters" / f"{stem}_{kind}.docx", data)


def _summary_csv(rows: list[tuple[str, AnalysisResult]]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(["file", "report", "unit", "kind", "year", "decision", "problem_share", "problems", "vague",
                "with_measure", "reasons"])
    for stem, r in rows:
        m = r.metrics
        w.writerow([r.document.filename, f"reports/{stem}.json", r.document.unit or "", r.document.kind,
                    r.document.year or "", r.verdict.decision, f"{m.problem_share:.4f}", m.problems_total,
                    m.problems_vague, m.problems_with_measure, ";".join(x.code for x in r.verdict.reasons)])
    return buf.getvalue()
