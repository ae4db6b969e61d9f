"""Checklist rows across reports: query them, change their rectification status or correct them, read their
history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import corrections, store
from api.deps import MAX_ID, ROUND_HELP, ROUND_NAME_HELP, Reviewer, ServicesDep, round_ref
from api.schemas import STATUS_HELP, CorrectionOut, IssueHistoryOut, IssuePatch, StatusCode

router = APIRouter(tags=["issues"])


@router.get("/issues", summary="问题清单查询")
def get_issues(svc: ServicesDep, who: Reviewer,
               round: Annotated[str | None, Query(max_length=200, description=ROUND_HELP)] = None,
               round_name: Annotated[str | None, Query(max_length=200, description=ROUND_NAME_HELP)] = None,
               unit: str | None = None,
               status: Annotated[StatusCode | None, Query(description=STATUS_HELP)] = None, domain: str | None = None,
               limit: Annotated[int, Query(ge=1, le=5000)] = 500,
               offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> list[dict[str, Any]]:
    ref = round_ref(round, round_name)
    with svc.sessions() as s:
        return store.list_issues(s, ref, unit, status, domain, limit, offset)


@router.patch("/issues/{issue_id}", summary="变更整改状态，或更正问题（内容、领域、显隐性、共性、类型、排除）")
def patch_issue(svc: ServicesDep, issue_id: str, body: IssuePatch, who: Reviewer) -> dict[str, Any]:
    """``status`` / ``followup`` change the rectification status (its history: ``GET …/history``); the other
    fields correct the issue, as a correction of its report (``GET …/corrections``, ``GET /reports/{id}``), and
    the checklist row follows. ``issue_id`` is the row's id, as the report's analysis gives it."""
    after = body.corrections()
    with svc.sessions.begin() as s:
        row = store.get_issue(s, issue_id)
        if after:
            from api.rounds import lock_round

            if row.round_id is not None:
                lock_round(s, row.round_id)
            corrections.correct_issue(s, row, who, after, body.note, svc.round_tools().config)
        if body.status is not None or body.followup is not None or not after:
            store.change_issue(s, row, who, body.status, body.followup, body.note)
        return store.issue_out(row)


@router.get("/issues/{issue_id}/history", response_model=list[IssueHistoryOut],
            summary="问题的办理与更正记录（状态变更、内容更正，按时间）")
def get_history(svc: ServicesDep, issue_id: str, who: Reviewer) -> list[dict[str, Any]]:
    """The issue's whole story, oldest first: status changes (``kind: "status"``: ``from_status``, ``to_status``)
    and content corrections (``kind: "correction"``: ``target``, ``before``, ``after``), each with who and when."""
    with svc.sessions() as s:
        store.get_issue(s, issue_id)
        return corrections.issue_stories(s, [issue_id])[issue_id]


@router.get("/issues/{issue_id}/corrections", response_model=list[CorrectionOut], summary="问题的更正记录")
def get_issue_corrections(svc: ServicesDep, issue_id: str, who: Reviewer) -> list[dict[str, Any]]:
    """Who corrected the issue, when, and its values before and after."""
    with svc.sessions() as s:
        row = store.get_issue(s, issue_id)
        return corrections.history(s, row.report_id, row.id)
