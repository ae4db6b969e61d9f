"""Reading and writing the service's records. Functions take a Session; callers own the transaction."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.errors import NotFoundError, PreviousRoundError
from api.tables import IssueHistory, IssueRow, Job, JobFile, Report, Round
from api.tokens import Principal
from nlp.checklist.build import unit_items
from nlp.checklist.status import change_status, record_followup
from nlp.doc import AnalysisResult, ChecklistItem, Status


def now() -> str:
    """Microseconds, so that reports stored one after another sort in submission order."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    return uuid.uuid4().hex[:16]


# -- rounds -----------------------------------------------------------------------------------------------------

def get_round(session: Session, ref: int | str) -> Round:
    """A round by id (an ``int``) or by name (a ``str``). The type decides, never the text: a round named "2024"
    is found by its name only (the API's parameters turn text into an id or a name: ``api.deps.round_ref``)."""
    if isinstance(ref, int):
        row = session.get(Round, ref) if 0 < ref < 2**31 else None
    else:
        row = session.scalar(select(Round).where(Round.name == ref))
    if row is None:
        raise NotFoundError(f"round {ref!r}")
    return row


def list_rounds(session: Session, newest_first: bool = False) -> list[Round]:
    order = Round.id.desc() if newest_first else Round.id
    return list(session.scalars(select(Round).order_by(order)))


def round_decision_counts(session: Session) -> dict[int, dict[str, int]]:
    """``{round id: {decision: number of reports}}`` for every round that has reports."""
    counts: dict[int, dict[str, int]] = {}
    for round_id, decision, n in session.execute(select(Report.round_id, Report.decision, func.count())
                                                 .where(Report.round_id.is_not(None))
                                                 .group_by(Report.round_id, Report.decision)):
        counts.setdefault(round_id, {})[decision] = n
    return counts


def round_reports(session: Session, round_id: int) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.round_id == round_id)
                                .order_by(Report.unit, Report.created_at)))


def round_open_job(session: Session, round_id: int) -> str | None:
    """The id of the round's newest job that is still queued or running."""
    return session.scalar(select(Job.id).where(Job.round_id == round_id, Job.status.in_(("queued", "running")))
                          .order_by(Job.created_at.desc()).limit(1))


DISMISSED = '%"dismissed":true%'  # in a row's item_json (pydantic's compact JSON) when a reviewer dismissed it


def round_open_issues(session: Session, round_id: int) -> int:
    """How many of the round's checklist rows are not yet closed (已销号), those reviewers dismissed left out."""
    return session.scalar(select(func.count()).select_from(IssueRow)
                          .where(IssueRow.round_id == round_id, IssueRow.status != str(Status.CLOSED),
                                 IssueRow.item_json.not_like(DISMISSED))) or 0


def round_checklist_items(session: Session, round_id: int) -> list[ChecklistItem]:
    """The round's stored checklist items (with their rectification status), report by report; those reviewers
    dismissed left out."""
    rows = session.scalars(select(IssueRow).where(IssueRow.round_id == round_id)
                           .order_by(IssueRow.report_id, IssueRow.number))
    items = (ChecklistItem.model_validate_json(row.item_json) for row in rows)
    return [item for item in items if not item.dismissed]  # a reviewer dismissed it: not a problem


def ensure_round(session: Session, name: str) -> Round:
    """The round named ``name`` (by name only), created when there is none."""
    try:
        return get_round(session, name)
    except NotFoundError:
        row = Round(name=name, created_at=now(), dirty=True)
        session.add(row)
        session.flush()
        return row


def set_previous_round(session: Session, round_row: Round, previous: int | None) -> None:
    """Compare ``round_row`` with the earlier round ``previous`` (None: with none); the round step runs again. A
    round cannot be its own earlier round, directly or through the earlier rounds' own earlier rounds."""
    if previous is not None:
        earlier = session.get(Round, previous) if 0 < previous < 2**31 else None
        if earlier is None:
            raise PreviousRoundError(f"no round {previous}")
        seen: set[int] = set()
        while earlier is not None and earlier.id not in seen:
            if earlier.id == round_row.id:
                raise PreviousRoundError(f"round {previous} is, or comes after, round {round_row.id}")
            seen.add(earlier.id)
            earlier = session.get(Round, earlier.previous_round_id) if earlier.previous_round_id else None
    if round_row.previous_round_id != previous:
        round_row.previous_round_id = previous
        round_row.dirty = True


# -- reports ----------------------------------------------------------------------------------------------------

def find_report(session: Session, sha256: str, round_id: int | None) -> Report | None:
    return session.scalar(select(Report).where(Report.sha256 == sha256, Report.round_key == (round_id or 0)))


def add_report(session: Session, result: AnalysisResult, round_row: Round | None,
               submitted_by: int | None) -> Report:
    """Store one analysis and its checklist rows (not committed)."""
    doc = result.document
    report = Report(id=new_id(), sha256=doc.id, round_id=round_row.id if round_row else None,
                    round_key=round_row.id if round_row else 0, filename=doc.filename, unit=doc.unit, kind=doc.kind,
                    year=doc.year, decision=result.verdict.decision, created_at=now(), submitted_by=submitted_by,
                    result_json=result.model_dump_json())
    session.add(report)
    session.flush()
    for item in unit_items(result, round_row.name if round_row else None):
        session.add(IssueRow(id=f"{report.id}:{item.issue_id}", report_id=report.id, round_id=report.round_id,
                             unit=doc.unit, domain=item.domain, visibility=item.visibility, scope=item.scope,
                             status=str(item.status), number=item.number, item_json=item.model_dump_json(),
                             updated_at=now()))
    if round_row is not None:
        round_row.dirty = True
        # the rounds compared with this one: their 屡改屡犯 marks are found again
        session.execute(update(Round).where(Round.previous_round_id == round_row.id).values(dirty=True))
    return report


def get_report(session: Session, report_id: str, who: Principal) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFoundError(f"report {report_id}")
    if not who.may_read_unit(report.unit):
        from api.errors import ForbiddenError

        raise ForbiddenError(f"report {report_id} belongs to another unit")
    return report


def recent_reports(session: Session, who: Principal, limit: int) -> list[Report]:
    """The newest reports the caller may read: all of them for a reviewer, its own unit's for a submitter."""
    q = select(Report).order_by(Report.created_at.desc()).limit(limit)
    if not who.is_reviewer:
        if not who.unit:
            return []
        q = q.where(Report.unit == who.unit)
    return list(session.scalars(q))


def reports_by_id(session: Session, ids: set[str]) -> dict[str, Report]:
    return {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(ids)))}


def report_issue_rows(session: Session, report_id: str) -> list[IssueRow]:
    """The report's stored checklist rows: they carry the rectification status, the analysis result does not."""
    return list(session.scalars(select(IssueRow).where(IssueRow.report_id == report_id).order_by(IssueRow.number)))


def report_result(report: Report) -> AnalysisResult:
    return AnalysisResult.model_validate_json(report.result_json)


# -- issues -----------------------------------------------------------------------------------------------------

def list_issues(session: Session, round_ref: int | str | None = None, unit: str | None = None,
                status: str | None = None, domain: str | None = None, limit: int = 500,
                offset: int = 0) -> list[dict[str, Any]]:
    q = select(IssueRow).order_by(IssueRow.report_id, IssueRow.number)
    if round_ref is not None and round_ref != "":
        q = q.where(IssueRow.round_id == get_round(session, round_ref).id)
    if unit:
        q = q.where(IssueRow.unit == unit)
    if status:
        q = q.where(IssueRow.status == str(status))
    if domain:
        q = q.where(IssueRow.domain == domain)
    return [issue_out(row) for row in session.scalars(q.limit(limit).offset(offset))]


def issue_units(session: Session) -> list[str]:
    """Every unit that has checklist rows, sorted."""
    return [u for u in session.scalars(select(IssueRow.unit).distinct().order_by(IssueRow.unit)) if u]


def issue_out(row: IssueRow) -> dict[str, Any]:
    item = json.loads(row.item_json)
    item.pop("history", None)
    return {"id": row.id, "report_id": row.report_id, "round_id": row.round_id, **item}


def get_issue(session: Session, issue_id: str) -> IssueRow:
    row = session.get(IssueRow, issue_id)
    if row is None:
        raise NotFoundError(f"issue {issue_id}")
    return row


def change_issue(session: Session, row: IssueRow, who: Principal, status: str | None, followup: str | None,
                 note: str) -> IssueRow:
    """Apply a status change or a 回头看 result; the lifecycle refuses what it does not allow (409)."""
    item = ChecklistItem.model_validate_json(row.item_json)
    at = now()  # to the microsecond, as corrections are: an issue's history sorts them together
    if followup:
        changed = record_followup(item, followup, by=who.name, note=note, at=at)
    else:
        changed = change_status(item, status or "", by=who.name, note=note, at=at)
    last = changed.history[-1]
    row.item_json = changed.model_dump_json()
    row.status = str(changed.status)
    row.updated_at = last.at
    session.add(IssueHistory(issue_id=row.id, at=last.at, by=who.name, token_id=who.token_id,
                             from_status=last.from_status and str(last.from_status), to_status=str(last.to_status),
                             note=last.note))
    return row


def status_out(h: IssueHistory) -> dict[str, Any]:
    """One status change as ``GET /issues/{id}/history`` lists it (``api.corrections.issue_stories``)."""
    return {"kind": "status", "at": h.at, "by": h.by, "from_status": h.from_status, "to_status": h.to_status,
            "note": h.note}


def histories(session: Session, issue_ids: list[str]) -> dict[str, list[IssueHistory]]:
    """Each issue's history rows, oldest first (read 500 ids at a time)."""
    out: dict[str, list[IssueHistory]] = {i: [] for i in issue_ids}
    for k in range(0, len(issue_ids), 500):
        for h in session.scalars(select(IssueHistory).where(IssueHistory.issue_id.in_(issue_ids[k:k + 500]))
                                 .order_by(IssueHistory.id)):
            out[h.issue_id].append(h)
    return out


# -- jobs -------------------------------------------------------------------------------------------------------

def get_job(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError(f"job {job_id}")
    return job


def job_out(session: Session, job: Job) -> dict[str, Any]:
    files = list(session.scalars(select(JobFile).where(JobFile.job_id == job.id).order_by(JobFile.position)))
    counts = Counter(f.status for f in files)
    done = counts["done"] + counts["failed"]
    return {
        "id": job.id, "round_id": job.round_id, "status": job.status, "created_at": job.created_at,
        "finished_at": job.finished_at, "total": len(files), "done": counts["done"], "failed": counts["failed"],
        "progress": round(done / len(files), 4) if files else 1.0,
        "files": [{"name": f.name, "status": f.status, "code": f.code, "message": f.message, "report_id": f.report_id}
                  for f in files],
    }
