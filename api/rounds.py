"""The round step for the service: near-copies, common problems and scopes over a round's stored reports.

It runs when a round job finishes and whenever a summary is asked for after new reports came in (the round
is marked dirty). Issue rows keep their status and history; only scope, group and typing fields change.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.store import now
from api.tables import IssueRow, Job, JobFile, Report, Round
from nlp.checklist.build import unit_items
from nlp.checklist.cross_source import cross_source_items
from nlp.checklist.round import review_round
from nlp.doc import AnalysisResult, ChecklistItem

Tools = Callable[[], tuple[Any, float]]  # → (encoder, near-duplicate Jaccard threshold), loaded on first use

_RETYPED = ("scope", "common_group", "visibility", "latent_basis", "source", "severity")


def refresh_round(session: Session, round_row: Round, tools: Tools) -> dict[str, Any]:
    """Run the round step and store its summary; returns the summary."""
    reports = list(session.scalars(select(Report).where(Report.round_id == round_row.id)
                                   .order_by(Report.created_at, Report.id)))
    results = [AnalysisResult.model_validate_json(r.result_json) for r in reports]
    encoder, threshold = tools()
    review = review_round(results, encoder, threshold) if results else None
    new_items: dict[str, ChecklistItem] = {}
    if review is not None:
        by_unit: dict[str, list[tuple[Report, AnalysisResult]]] = {}
        for report, result in zip(reports, review.results, strict=True):
            report.result_json = result.model_dump_json()  # scopes on issues, a near-copy reason on the verdict
            report.decision = result.verdict.decision
            for item in unit_items(result, round_row.name, review.scopes):
                new_items[f"{report.id}:{item.issue_id}"] = item
            by_unit.setdefault(result.document.unit or report.filename, []).append((report, result))
        for entries in by_unit.values():
            own = [r for _, r in entries if r.document.kind not in ("transcript", "feedback")]
            talks = [(rep, r) for rep, r in entries if r.document.kind == "transcript"]
            if own and talks:
                ids = {r.document.filename: rep.id for rep, r in talks}
                for item in cross_source_items(own[-1], [r for _, r in talks], encoder, round_row.name):
                    new_items[f"{ids[item.document]}:{item.issue_id}"] = item
    rows = session.scalars(select(IssueRow).where(IssueRow.round_id == round_row.id))
    for row in rows:
        fresh = new_items.get(row.id)
        if fresh is None:
            continue
        item = ChecklistItem.model_validate_json(row.item_json)
        item = item.model_copy(update={k: getattr(fresh, k) for k in _RETYPED})
        row.item_json = item.model_dump_json()
        row.scope = item.scope
        row.visibility = item.visibility
    summary = _summary(session, round_row, review)
    round_row.summary_json = json.dumps(summary, ensure_ascii=False)
    round_row.dirty = False
    return summary


def _summary(session: Session, round_row: Round, review: Any) -> dict[str, Any]:
    decisions = Counter(r.verdict.decision for r in (review.results if review else ()))
    failed = session.execute(select(JobFile.name, JobFile.code, JobFile.message).join(Job, Job.id == JobFile.job_id)
                             .where(Job.round_id == round_row.id, JobFile.status == "failed").order_by(JobFile.id))
    return {
        "round": {"id": round_row.id, "name": round_row.name},
        "updated_at": now(),
        "reports": len(review.results) if review else 0,
        "decisions": {k: decisions.get(k, 0) for k in ("pass", "revise", "return")},
        "failures": [{"file": name, "code": code, "message": message} for name, code, message in failed],
        "common_problems": [{"id": c.id, "text": c.text, "domain": c.domain, "domain_name": c.domain_name,
                             "units": list(c.units), "issues": len(c.members)}
                            for c in (review.common if review else ())],
        "near_duplicates": [{"file": k, "copies": v[0], "similarity": round(v[1], 4)}
                            for k, v in sorted((review.near_duplicates if review else {}).items())],
    }
