"""The round step for the service: ``nlp.round.review_round`` over a round's stored reports, and its results
stored back (reports, checklist rows, the summary).

It runs when a round job finishes and whenever a summary is asked for after new reports came in (the round
is marked dirty). Issue rows keep their status and history; only scope, group and typing fields change; rows of
what a unit's interviews raise or contradict are added once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.store import now
from api.tables import IssueRow, Job, JobFile, Report, Round
from nlp.cluster.recurrence import EarlierRound
from nlp.doc import AnalysisResult, ChecklistItem
from nlp.round import Failure, RoundSummary, review_round

Tools = Callable[[], Any]  # → the round models (policy and encoder: ``nlp.bundle.RoundModels``), loaded on first use

_RETYPED = ("scope", "common_group", "visibility", "latent_basis", "source", "severity", "recurring")


def lock_round(session: Session, round_id: int) -> None:
    """Lock the round's row until the transaction ends: a no-op UPDATE, which PostgreSQL holds as a row lock and
    which makes SQLite take its write lock at once (before any read, so nothing read is stale). Every write that
    changes a round's reports or checklist takes it first, so instances take turns."""
    session.execute(update(Round).where(Round.id == round_id).values(dirty=Round.dirty))


def refresh_round(session: Session, round_row: Round, tools: Tools) -> RoundSummary:
    """Run the round step and store its results and summary; returns the summary."""
    lock_round(session, round_row.id)
    reports = list(session.scalars(select(Report).where(Report.round_id == round_row.id)
                                   .order_by(Report.created_at, Report.id)))
    results = [AnalysisResult.model_validate_json(r.result_json) for r in reports]
    review = review_round(results, tools(), round_name=round_row.name, failures=_failures(session, round_row),
                          previous=earlier_round(session, round_row))
    for report, result in zip(reports, review.results, strict=True):
        report.result_json = result.model_dump_json()  # scopes, groups, round-level verdicts
        report.decision = result.verdict.decision
    _store_items(session, round_row, {f"{reports[row.result].id}:{row.item.issue_id}": (reports[row.result], row.item)
                                      for row in review.items})
    summary = review.summary.model_copy(update={"round_id": round_row.id, "updated_at": now()})
    round_row.summary_json = summary.model_dump_json()
    round_row.dirty = False
    return summary


def current_summary(session: Session, round_row: Round, tools: Tools) -> RoundSummary:
    """The round's stored summary, recomputed first when reports came in since, or when it was stored by an
    earlier version in another shape (callers hold the round lock)."""
    if not round_row.dirty and round_row.summary_json:
        try:
            return RoundSummary.model_validate_json(round_row.summary_json)
        except ValidationError:
            pass  # stored before the summary had its present shape: the round step builds it again
    return refresh_round(session, round_row, tools)


def earlier_round(session: Session, round_row: Round) -> EarlierRound | None:
    """The round ``round_row`` is compared with (屡改屡犯), read from its stored results; None when it names none."""
    earlier = session.get(Round, round_row.previous_round_id) if round_row.previous_round_id else None
    if earlier is None:
        return None
    stored = session.scalars(select(Report.result_json).where(Report.round_id == earlier.id)
                             .order_by(Report.created_at, Report.id))
    return EarlierRound.from_json((json.loads(r) for r in stored), earlier.name)


def _failures(session: Session, round_row: Round) -> list[Failure]:
    failed = session.execute(select(JobFile.name, JobFile.code, JobFile.message).join(Job, Job.id == JobFile.job_id)
                             .where(Job.round_id == round_row.id, JobFile.status == "failed").order_by(JobFile.id))
    return [Failure(file=name, code=code, message=message) for name, code, message in failed]


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
