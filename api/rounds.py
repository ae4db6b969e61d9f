"""The round step for the service: ``nlp.round.review_round`` over a round's stored reports, and its results
stored back (reports, checklist rows, the summary).

It runs when a round job finishes and whenever a summary is asked for after new reports came in (the round
is marked dirty). Issue rows keep their status and history; only scope, group and typing fields change; rows of
what a unit's interviews raise or contradict are added once.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.store import now
from api.tables import CorrectionRow, IssueRow, Job, JobFile, Report, Round
from nlp.cluster.recurrence import EarlierRound
from nlp.config import AnalysisConfig
from nlp.doc import AnalysisResult, ChecklistItem
from nlp.round import Failure, RoundSummary, review_round

Tools = Callable[[], Any]  # → the round models (policy and encoder: ``nlp.bundle.RoundModels``), loaded on first use

_RETYPED = ("scope", "common_group", "visibility", "latent_basis", "source", "severity", "recurring")
ROUND_INPUTS = {"group", "problem_type"}  # issue corrections the round step takes in (``Issue.moved``)
EARLIER_KEPT = 8  # earlier rounds kept read (``earlier_round``): the few being compared with at a time
_EARLIER: OrderedDict[tuple[Any, ...], EarlierRound] = OrderedDict()
_EARLIER_LOCK = threading.Lock()  # requests and the job thread refresh rounds at once


def lock_round(session: Session, round_id: int) -> None:
    """Lock the round's row until the transaction ends: a no-op UPDATE, which PostgreSQL holds as a row lock and
    which makes SQLite take its write lock at once (before any read, so nothing read is stale). Every write that
    changes a round's reports or checklist takes it first, so instances take turns."""
    session.execute(update(Round).where(Round.id == round_id).values(dirty=Round.dirty))


def refresh_round(session: Session, round_row: Round, tools: Tools) -> RoundSummary:
    """Run the round step over the corrected analyses and store its results and summary; returns the summary.

    The round step sees each report as its reviewers corrected it (``api.corrections``), the corrections applied
    once, here: a dismissed issue joins no group, an added one does, a moved one is grouped where the reviewer put
    it, and the verdict is decided over the corrected state (a reviewer's decision stays). What is stored back is the
    machine's analysis with the round's facts (scopes, groups, warnings, round-level reasons); the corrections stay
    apart and are laid over it again when read. The checklist fields a reviewer set that the round step does not
    take in (a scope, say) are not overwritten.
    """
    from api.corrections import as_correction, correction_rows
    from nlp.review.corrections import apply_corrections

    lock_round(session, round_row.id)
    reports = list(session.scalars(select(Report).where(Report.round_id == round_row.id)
                                   .order_by(Report.created_at, Report.id)))
    models = tools()
    machine = [AnalysisResult.model_validate_json(r.result_json) for r in reports]
    fixes = {k: [as_correction(c) for c in v] for k, v in correction_rows(session, [r.id for r in reports]).items()}
    inputs = [apply_corrections(m, fixes.get(r.id, []), models.config) for r, m in zip(reports, machine, strict=True)]
    review = review_round(inputs, models, round_name=round_row.name, failures=_failures(session, round_row),
                          previous=earlier_round(session, round_row, models.config))
    for report, before, after in zip(reports, machine, review.results, strict=True):
        stored = with_round_facts(before, after, models.config) if report.id in fixes else after
        report.result_json = stored.model_dump_json()  # scopes, groups, round-level verdicts
        report.decision = after.verdict.decision  # decided over the corrected report
    _store_items(session, round_row, {f"{reports[row.result].id}:{row.item.issue_id}": (reports[row.result], row.item)
                                      for row in review.items}, _reviewer_fields(fixes, reports))
    summary = review.summary.model_copy(update={"round_id": round_row.id, "updated_at": now()})
    round_row.summary_json = summary.model_dump_json()
    round_row.dirty = False
    return summary


def with_round_facts(machine: AnalysisResult, reviewed: AnalysisResult, config: Any) -> AnalysisResult:
    """The machine's analysis of a corrected report with the facts the round step found for it: its issues'
    scopes and groups, the document's warnings, the indicators' alerts, and the verdict decided again with the
    round-level reasons."""
    from nlp.review.reasons import ReviewInput
    from nlp.review.verdict import decide_again

    fields = ("scope", "group", "recurring")
    facts = {i.id: tuple(getattr(i, f) for f in fields) for i in reviewed.issues}
    issues = tuple(i.model_copy(update=dict(zip(fields, facts.get(i.id, (None,) * len(fields)), strict=True)))
                   for i in machine.issues)
    document = machine.document.model_copy(update={"warnings": reviewed.document.warnings})
    metrics = machine.metrics.model_copy(update={"indicators": reviewed.metrics.indicators})
    verdict = decide_again(ReviewInput(document, machine.sentences, issues, metrics, config), reviewed.verdict)
    return machine.model_copy(update={"document": document, "issues": issues, "metrics": metrics, "verdict": verdict})


def _reviewer_fields(fixes: dict[str, list[Any]], reports: list[Report]) -> dict[str, set[str]]:
    """Row id → the checklist fields reviewers set on it that are no input of the round step (a group or a type is
    one: the round step puts the issue there), which it leaves as they are."""
    out: dict[str, set[str]] = {}
    for report in reports:
        for c in fixes.get(report.id, []):
            if c.target == "issue" and c.issue_id:
                out.setdefault(f"{report.id}:{c.issue_id}", set()).update(set(c.after) - ROUND_INPUTS)
    return out


def current_summary(session: Session, round_row: Round, tools: Tools) -> RoundSummary:
    """The round's stored summary, recomputed first when reports came in since, or when it was stored by an
    earlier version in another shape (callers hold the round lock)."""
    if not round_row.dirty and round_row.summary_json:
        try:
            return RoundSummary.model_validate_json(round_row.summary_json)
        except ValidationError:
            pass  # stored before the summary had its present shape: the round step builds it again
    return refresh_round(session, round_row, tools)


def earlier_round(session: Session, round_row: Round, config: Any = None) -> EarlierRound | None:
    """The round ``round_row`` is compared with (屡改屡犯), read from its stored results as its reviewers corrected
    them (a problem they dismissed was not reported; a unit they set is the unit); None when it names none.
    ``config``: the analysis config the corrections are applied with (the bundle's).

    What is read of them (units, issue ids, wordings, types) changes only when a report or a correction is added:
    reports are never removed nor analysed again, corrections are append-only, and the round step rewrites only
    round facts. So a read is kept, keyed by the database, the round, its reports' count and latest addition and its
    corrections' count and latest id, and read again once the earlier round changed.
    """
    from api.corrections import as_correction, correction_rows
    from nlp.review.corrections import apply_corrections

    earlier = session.get(Round, round_row.previous_round_id) if round_row.previous_round_id else None
    if earlier is None:
        return None
    count, latest = session.execute(select(func.count(Report.id), func.max(Report.created_at))
                                    .where(Report.round_id == earlier.id)).one()
    fixed, last_fix = session.execute(select(func.count(CorrectionRow.id), func.max(CorrectionRow.id))
                                      .join(Report, Report.id == CorrectionRow.report_id)
                                      .where(Report.round_id == earlier.id)).one()
    key = (str(session.get_bind().url), earlier.id, earlier.created_at, earlier.name, count, latest, fixed, last_fix)
    with _EARLIER_LOCK:
        kept = _EARLIER.get(key)
        if kept is not None:
            _EARLIER.move_to_end(key)
            return kept
    stored = session.execute(select(Report.id, Report.result_json).where(Report.round_id == earlier.id)
                             .order_by(Report.created_at, Report.id)).all()
    fixes = {k: [as_correction(c) for c in v] for k, v in correction_rows(session, [r for r, _ in stored]).items()} \
        if fixed else {}
    issues: list[Any] = []
    for report_id, result_json in stored:  # only a corrected report is validated whole
        part = EarlierRound.of([apply_corrections(AnalysisResult.model_validate_json(result_json), fixes[report_id],
                                                  config or AnalysisConfig())]) if report_id in fixes \
            else EarlierRound.from_json([json.loads(result_json)])
        issues += part.issues
    read = EarlierRound(earlier.name, tuple(issues))
    with _EARLIER_LOCK:
        _EARLIER[key] = read
        while len(_EARLIER) > EARLIER_KEPT:
            _EARLIER.popitem(last=False)
    return read


def _failures(session: Session, round_row: Round) -> list[Failure]:
    failed = session.execute(select(JobFile.name, JobFile.code, JobFile.message).join(Job, Job.id == JobFile.job_id)
                             .where(Job.round_id == round_row.id, JobFile.status == "failed").order_by(JobFile.id))
    return [Failure(file=name, code=code, message=message) for name, code, message in failed]


def _store_items(session: Session, round_row: Round, items: dict[str, tuple[Report, ChecklistItem]],
                 kept: dict[str, set[str]] | None = None) -> None:
    """Existing rows keep their status and history (only typing fields change, and not those a reviewer set:
    ``kept``); rows the round step found for the first time (an interview's contradiction or omission) are added
    after the report's own rows."""
    last: dict[str, int] = {}
    for row in session.scalars(select(IssueRow).where(IssueRow.round_id == round_row.id)):
        last[row.report_id] = max(last.get(row.report_id, 0), row.number)
        fresh = items.pop(row.id, None)
        if fresh is None:
            continue
        item = ChecklistItem.model_validate_json(row.item_json)
        fixed = (kept or {}).get(row.id, set())
        item = item.model_copy(update={k: getattr(fresh[1], k) for k in _RETYPED if k not in fixed})
        row.item_json = item.model_dump_json()
        row.scope = item.scope
        row.visibility = item.visibility
    for row_id, (report, item) in items.items():
        number = last[report.id] = last.get(report.id, 0) + 1
        item = item.model_copy(update={"number": number})
        session.add(IssueRow(id=row_id, report_id=report.id, round_id=round_row.id, unit=report.unit,
                             domain=item.domain, visibility=item.visibility, scope=item.scope, status=item.status,
                             number=number, item_json=item.model_dump_json(), updated_at=now()))
