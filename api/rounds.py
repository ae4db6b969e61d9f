"""The round step for the service: near-copies, common problems, scopes and interviews against reports over a
round's stored reports.

It runs when a round job finishes and whenever a summary is asked for after new reports came in (the round
is marked dirty). Issue rows keep their status and history; only scope, group and typing fields change; rows of
what a unit's interviews raise or contradict are added once.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.store import now
from api.tables import IssueRow, Job, JobFile, Report, Round
from nlp.checklist.build import unit_items
from nlp.checklist.cross_source import NO_UNIT_WARNING, UNMATCHED_WARNING, cross_source_items, review_round_sources
from nlp.checklist.round import review_round
from nlp.doc import AnalysisResult, ChecklistItem

Tools = Callable[[], tuple[Any, float]]  # → (encoder, near-duplicate Jaccard threshold), loaded on first use

_RETYPED = ("scope", "common_group", "visibility", "latent_basis", "source", "severity")


def refresh_round(session: Session, round_row: Round, tools: Tools) -> dict[str, Any]:
    """Run the round step and store its summary; returns the summary."""
    reports = list(session.scalars(select(Report).where(Report.round_id == round_row.id)
                                   .order_by(Report.created_at, Report.id)))
    results = [_unwarned(AnalysisResult.model_validate_json(r.result_json)) for r in reports]
    encoder, threshold = tools()
    review = review_round(results, encoder, threshold) if results else None
    new_items: dict[str, tuple[Report, ChecklistItem]] = {}
    warnings: list[dict[str, str]] = []
    if review is not None:
        # each report against its unit's interviews, as in the batch: a contradicted claim becomes a reason (the
        # earlier one replaced, so a second refresh adds nothing); a transcript without its unit's report is warned
        sourced, warnings = review_round_sources(review.results, encoder)
        review = dataclasses.replace(review, results=tuple(sourced))
        by_unit: dict[str, list[tuple[Report, AnalysisResult]]] = {}
        for report, result in zip(reports, review.results, strict=True):
            report.result_json = result.model_dump_json()  # scopes, near-copy and contradiction reasons
            report.decision = result.verdict.decision
            for item in unit_items(result, round_row.name, review.scopes):
                new_items[f"{report.id}:{item.issue_id}"] = (report, item)
            by_unit.setdefault(result.document.unit or report.filename, []).append((report, result))
        for entries in by_unit.values():
            own = [(rep, r) for rep, r in entries if r.document.kind not in ("transcript", "feedback")]
            talks = [(rep, r) for rep, r in entries if r.document.kind == "transcript"]
            if own and talks:  # rows of problems only the interviews raise (on the transcript), of denied claims
                ids = {r.document.filename: rep for rep, r in (*talks, *own)}
                for item in cross_source_items([r for _, r in own], [r for _, r in talks], encoder, round_row.name):
                    new_items[f"{ids[item.document].id}:{item.issue_id}"] = (ids[item.document], item)
    _store_items(session, round_row, new_items)
    summary = _summary(session, round_row, review, warnings)
    round_row.summary_json = json.dumps(summary, ensure_ascii=False)
    round_row.dirty = False
    return summary


def current_summary(session: Session, round_row: Round, tools: Tools) -> dict[str, Any]:
    """The round's stored summary, recomputed first when reports came in since (callers hold the round lock)."""
    if round_row.dirty or not round_row.summary_json:
        return refresh_round(session, round_row, tools)
    return json.loads(round_row.summary_json)  # type: ignore[no-any-return]


def _unwarned(result: AnalysisResult) -> AnalysisResult:
    """A transcript without the round step's unmatched warning: its unit's report may have come in since."""
    if result.document.kind != "transcript":
        return result
    stale = {NO_UNIT_WARNING, UNMATCHED_WARNING.format(unit=result.document.unit)}
    kept = tuple(w for w in result.document.warnings if w not in stale)
    if len(kept) == len(result.document.warnings):
        return result
    return result.model_copy(update={"document": result.document.model_copy(update={"warnings": kept})})


def _store_items(session: Session, round_row: Round, items: dict[str, tuple[Report, ChecklistItem]]) -> None:
    """Existing rows keep their status and history (only typing fields change); rows the round step found for the
    first time (an interview's contradiction or omission) are added after the report's own rows."""
    last: dict[str, int] = {}
    for row in session.scalars(select(IssueRow).where(IssueRow.round_id == round_row.id)):
        last[row.report_id] = max(last.get(row.report_id, 0), row.number)
        fresh = items.pop(row.id, None)
        if fresh is None:
            continue
        item = ChecklistItem.model_validate_json(row.item_json)
        item = item.model_copy(update={k: getattr(fresh[1], k) for k in _RETYPED})
        row.item_json = item.model_dump_json()
        row.scope = item.scope
        row.visibility = item.visibility
    for row_id, (report, item) in items.items():
        number = last[report.id] = last.get(report.id, 0) + 1
        item = item.model_copy(update={"number": number})
        session.add(IssueRow(id=row_id, report_id=report.id, round_id=round_row.id, unit=report.unit,
                             domain=item.domain, visibility=item.visibility, scope=item.scope, status=item.status,
                             number=number, item_json=item.model_dump_json(), updated_at=now()))


def _summary(session: Session, round_row: Round, review: Any, warnings: list[dict[str, str]]) -> dict[str, Any]:
    decisions = Counter(r.verdict.decision for r in (review.results if review else ()))
    failed = session.execute(select(JobFile.name, JobFile.code, JobFile.message).join(Job, Job.id == JobFile.job_id)
                             .where(Job.round_id == round_row.id, JobFile.status == "failed").order_by(JobFile.id))
    return {
        "round": {"id": round_row.id, "name": round_row.name},
        "updated_at": now(),
        "reports": len(review.results) if review else 0,
        "decisions": {k: decisions.get(k, 0) for k in ("pass", "revise", "return")},
        "failures": [{"file": name, "code": code, "message": message} for name, code, message in failed],
        "warnings": warnings,
        "common_problems": [{"id": c.id, "text": c.text, "domain": c.domain, "domain_name": c.domain_name,
                             "units": list(c.units), "issues": len(c.members)}
                            for c in (review.common if review else ())],
        "near_duplicates": [{"file": k, "copies": v[0], "similarity": round(v[1], 4)}
                            for k, v in sorted((review.near_duplicates if review else {}).items())],
    }
