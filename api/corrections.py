"""Reviewers' corrections, stored: the ``corrections`` table (append-only: the audit trail) and the reads that lay
them over a report's stored analysis (``nlp.review.corrections.apply_corrections``).

``reports.result_json`` stays the machine's analysis (the round step adds its round-level facts to it); what a
route serves is ``corrected(...)``, the analysis with the report's corrections applied. The issue ids of a served
analysis are the checklist rows' ids (``"<report id>:<analysis issue id>"``), the ids ``/api/v1/issues/{id}``
takes. Functions take a Session; callers own the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.store import histories, now, status_out
from api.tables import CorrectionRow, IssueRow, Report, Round
from api.tokens import Principal
from nlp.config import AnalysisConfig
from nlp.doc import AnalysisResult, ChecklistItem
from nlp.feedback import Target
from nlp.review.corrections import Correction, apply_corrections
from nlp.taxonomy import load_taxonomy

# an issue correction's fields → the checklist row's (ChecklistItem) fields
ROW_FIELDS = {"text": "text", "domain": "domain", "visibility": "visibility", "scope": "scope",
              "problem_type": "problem_type", "group": "common_group"}


def row_id(report_id: str, issue_id: str) -> str:
    """The checklist row id of an analysis issue: what ``/api/v1/issues/{id}`` takes."""
    return f"{report_id}:{issue_id}"


def analysis_issue_id(report_id: str, issue_row_id: str | None) -> str | None:
    """The analysis's own issue id of a checklist row id (the inverse of ``row_id``)."""
    prefix = f"{report_id}:"
    return issue_row_id[len(prefix):] if issue_row_id and issue_row_id.startswith(prefix) else issue_row_id


def correction_rows(session: Session, report_ids: Iterable[str]) -> dict[str, list[CorrectionRow]]:
    """Each report's corrections, oldest first (reports without any are absent)."""
    ids = list(report_ids)
    out: dict[str, list[CorrectionRow]] = {}
    for k in range(0, len(ids), 500):
        for row in session.scalars(select(CorrectionRow).where(CorrectionRow.report_id.in_(ids[k:k + 500]))
                                   .order_by(CorrectionRow.id)):
            out.setdefault(row.report_id, []).append(row)
    return out


def as_correction(row: CorrectionRow) -> Correction:
    return Correction(target=row.target, issue_id=analysis_issue_id(row.report_id, row.issue_id),  # type: ignore[arg-type]
                      after=json.loads(row.after_json), by=row.by, at=row.at)


def corrected(session: Session, report: Report, config: AnalysisConfig) -> AnalysisResult:
    """The report's analysis with its corrections applied (the stored analysis itself when there are none)."""
    machine = AnalysisResult.model_validate_json(report.result_json)
    rows = correction_rows(session, [report.id]).get(report.id, [])
    return apply_corrections(machine, [as_correction(r) for r in rows], config)


def has_corrections(session: Session, report_id: str) -> bool:
    return session.scalar(select(CorrectionRow.id).where(CorrectionRow.report_id == report_id).limit(1)) is not None


def served(report: Report, result: AnalysisResult) -> str:
    """``{"id", "round", "analysis"}`` as JSON text, the analysis's issue ids being the checklist row ids."""
    issues = tuple(i.model_copy(update={"id": row_id(report.id, i.id)}) for i in result.issues)
    analysis = result.model_copy(update={"issues": issues}).model_dump_json()
    head = json.dumps({"id": report.id, "round": report.round_id}, ensure_ascii=False)
    return head[:-1] + ', "analysis": ' + analysis + "}"


def record(session: Session, report: Report, who: Principal, target: Target, before: dict[str, Any],
           after: dict[str, Any], issue_row: str | None = None, note: str = "") -> CorrectionRow:
    """Append one correction (the audit trail) and mark the report's round for the round step."""
    row = CorrectionRow(report_id=report.id, issue_id=issue_row, target=str(target), at=now(), by=who.name,
                        token_id=who.token_id, before_json=json.dumps(before, ensure_ascii=False),
                        after_json=json.dumps(after, ensure_ascii=False), note=note)
    session.add(row)
    session.flush()
    mark_dirty(session, report)
    return row


def mark_dirty(session: Session, report: Report) -> None:
    """The report's round, and the rounds that compare with it (屡改屡犯 reads its corrected problems), are
    computed again when next read."""
    if report.round_id is not None:
        touched = (Round.id == report.round_id) | (Round.previous_round_id == report.round_id)
        session.execute(update(Round).where(touched).values(dirty=True))


def follow_issue(row: IssueRow, after: dict[str, Any]) -> None:
    """The checklist row follows an issue correction: its item and its filter columns."""
    item = ChecklistItem.model_validate_json(row.item_json)
    changes = {ROW_FIELDS[k]: v for k, v in after.items() if k in ROW_FIELDS}
    if "domain" in changes:
        changes["domain_name"] = load_taxonomy().name(changes["domain"])
    if "dismissed" in after:
        changes["dismissed"] = bool(after["dismissed"])
        changes["dismissed_reason"] = (after.get("reason") or None) if after["dismissed"] else None
    item = ChecklistItem.model_validate(item.model_copy(update=changes).model_dump())
    row.item_json = item.model_dump_json()
    row.domain, row.visibility, row.scope = item.domain, item.visibility, item.scope
    row.updated_at = now()


def follow_document(session: Session, report: Report, result: AnalysisResult) -> None:
    """The report's row and checklist rows follow its corrected document and verdict; an omission a corrected kind
    brings gets its checklist row (one the kind no longer checks keeps its row, and its status history)."""
    doc = result.document
    report.unit, report.kind, report.year, report.decision = doc.unit, doc.kind, doc.year, result.verdict.decision
    rows = list(session.scalars(select(IssueRow).where(IssueRow.report_id == report.id)))
    for row in rows:
        if row.unit != doc.unit:
            item = ChecklistItem.model_validate_json(row.item_json).model_copy(update={"unit": doc.unit})
            row.unit, row.item_json = doc.unit, item.model_dump_json()
    have = {row.id for row in rows}
    new = tuple(i for i in result.issues if i.latent_basis == "omission" and row_id(report.id, i.id) not in have)
    if new:
        round_row = session.get(Round, report.round_id) if report.round_id is not None else None
        last = max((row.number for row in rows), default=0)
        for row in new_rows(report, result.model_copy(update={"issues": new}), round_row and round_row.name, last):
            session.add(row)


def new_rows(report: Report, result: AnalysisResult, round_name: str | None, last: int) -> list[IssueRow]:
    """Checklist rows for the issues of ``result``, numbered after ``last``."""
    from nlp.checklist.build import unit_items

    return [IssueRow(id=row_id(report.id, item.issue_id), report_id=report.id, round_id=report.round_id,
                     unit=report.unit, domain=item.domain, visibility=item.visibility, scope=item.scope,
                     status=str(item.status), number=item.number, item_json=item.model_dump_json(), updated_at=now())
            for item in unit_items(result, round_name, start_number=last + 1)]


def history(session: Session, report_id: str, issue_row: str | None = None) -> list[dict[str, Any]]:
    """The report's corrections (or one issue's), oldest first: who, when, what, before, after."""
    q = select(CorrectionRow).where(CorrectionRow.report_id == report_id)
    if issue_row is not None:
        q = q.where(CorrectionRow.issue_id == issue_row)
    return [history_out(r) for r in session.scalars(q.order_by(CorrectionRow.id))]


def history_out(row: CorrectionRow) -> dict[str, Any]:
    return {"id": row.id, "at": row.at, "by": row.by, "target": row.target, "issue_id": row.issue_id,
            "before": json.loads(row.before_json), "after": json.loads(row.after_json), "note": row.note}


def issue_stories(session: Session, issue_rows: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each checklist row's whole history, oldest first: its status changes (``kind: "status"``) and its content
    corrections (``kind: "correction"``), as ``GET /issues/{id}/history`` answers."""
    statuses = histories(session, issue_rows)
    fixes: dict[str, list[CorrectionRow]] = {}
    for k in range(0, len(issue_rows), 500):
        for row in session.scalars(select(CorrectionRow).where(CorrectionRow.issue_id.in_(issue_rows[k:k + 500]))
                                   .order_by(CorrectionRow.id)):
            fixes.setdefault(row.issue_id or "", []).append(row)
    return {i: story([status_out(h) for h in statuses[i]],
                     [{"kind": "correction", "at": c.at, "by": c.by, "correction_id": c.id, "target": c.target,
                       "before": json.loads(c.before_json), "after": json.loads(c.after_json), "note": c.note}
                      for c in fixes.get(i, [])])
            for i in issue_rows}


def story(statuses: list[dict[str, Any]], fixes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Status changes and corrections in time order (each list is in order already). Times are compared as times:
    status changes stored before microseconds were kept (``…T10:00:00+00:00``) still sort by their second."""
    return sorted(statuses + fixes, key=lambda e: _when(e["at"]))


def _when(at: str) -> datetime:
    when = datetime.fromisoformat(at)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


# -- the corrections a route makes --------------------------------------------------------------------------------

def correct_issue(session: Session, row: IssueRow, who: Principal, after: dict[str, Any], note: str,
                  config: AnalysisConfig) -> IssueRow:
    """An issue's content corrected (text, domain, visibility, scope, problem type, group; dismissed or restored):
    one correction with the values before, and the checklist row following it."""
    report = session.get(Report, row.report_id)
    assert report is not None
    result = corrected(session, report, config)
    issue_id = analysis_issue_id(report.id, row.id)
    issue = next((i for i in result.issues if i.id == issue_id), None)
    if issue is not None:
        before = {k: getattr(issue, k) for k in ROW_FIELDS if k in after}
        if "dismissed" in after:
            before |= {"dismissed": issue.dismissed, "reason": issue.dismissed_reason}
    else:  # a row the round step added (what interviews raise): it is not in the report's analysis
        item = json.loads(row.item_json)
        before = {k: item.get(ROW_FIELDS[k]) for k in ROW_FIELDS if k in after}
        if "dismissed" in after:
            before |= {"dismissed": item.get("dismissed", False), "reason": item.get("dismissed_reason")}
    record(session, report, who, Target.ISSUE, before, after, row.id, note)
    follow_issue(row, after)
    report.decision = corrected(session, report, config).verdict.decision
    return row


def add_issue(session: Session, report: Report, who: Principal, after: dict[str, Any], note: str,
              config: AnalysisConfig, round_name: str | None) -> IssueRow:
    """A problem the machine missed, over ``document.text[start:end]``: a correction, and a checklist row numbered
    after the report's others."""
    from api.store import new_id
    from nlp.checklist.build import unit_items

    after = {"id": "r" + new_id()[:11], **after}
    correction = record(session, report, who, Target.ADDED_ISSUE, {}, after, row_id(report.id, after["id"]), note)
    result = corrected(session, report, config)
    issue = next(i for i in result.issues if i.id == after["id"])
    after |= {"text": issue.text, "domain": issue.domain, "visibility": issue.visibility}
    correction.after_json = json.dumps(after, ensure_ascii=False)  # what the issue became, for the audit and export
    last = max((r.number for r in session.scalars(select(IssueRow).where(IssueRow.report_id == report.id))),
               default=0)
    item = unit_items(result.model_copy(update={"issues": (issue,)}), round_name, start_number=last + 1)[0]
    item = item.model_copy(update={"origin": "reviewer"})
    row = IssueRow(id=row_id(report.id, issue.id), report_id=report.id, round_id=report.round_id, unit=report.unit,
                   domain=item.domain, visibility=item.visibility, scope=item.scope, status=str(item.status),
                   number=item.number, item_json=item.model_dump_json(), updated_at=now())
    session.add(row)
    report.decision = result.verdict.decision
    return row


def correct_report(session: Session, report: Report, who: Principal, document: dict[str, Any],
                   sentences: list[tuple[int, str]], verdict: dict[str, Any] | None, note: str,
                   config: AnalysisConfig) -> AnalysisResult:
    """The document's unit, kind or year; sentence roles; the verdict overridden. One correction per sentence (each
    is a labelled example of its own), one for the document, one for the verdict. Returns the corrected analysis."""
    result = corrected(session, report, config)
    if document:
        doc = result.document
        record(session, report, who, Target.DOCUMENT, {k: getattr(doc, k) for k in document}, document, None, note)
    by_i = {s.i: s for s in result.sentences}
    for i, label in sentences:
        s = by_i[i]
        record(session, report, who, Target.SENTENCE, {"i": i, "label": s.label, "score": s.score},
               {"i": i, "label": label}, None, note)
    if verdict is not None:
        v = result.verdict
        before = {"decision": v.decision, "reason": v.override.reason if v.override else None}
        record(session, report, who, Target.VERDICT, before, verdict, None, note)
    fixed = corrected(session, report, config)
    follow_document(session, report, fixed)
    return fixed
