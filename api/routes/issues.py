"""Checklist rows across reports: query them, change their rectification status, read their history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import store
from api.deps import MAX_ID, ROUND_HELP, ROUND_NAME_HELP, Reviewer, ServicesDep, round_ref
from api.schemas import STATUS_HELP, HistoryOut, StatusCode, StatusIn

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


@router.patch("/issues/{issue_id}", summary="变更整改状态（或记录回头看结果）")
def patch_issue(svc: ServicesDep, issue_id: str, body: StatusIn, who: Reviewer) -> dict[str, Any]:
    with svc.sessions.begin() as s:
        row = store.change_issue(s, store.get_issue(s, issue_id), who, body.status, body.followup, body.note)
        return store.issue_out(row)


@router.get("/issues/{issue_id}/history", response_model=list[HistoryOut], summary="状态变更记录")
def get_history(svc: ServicesDep, issue_id: str, who: Reviewer) -> list[dict[str, Any]]:
    with svc.sessions() as s:
        return store.issue_history(s, issue_id)
