"""The JSON API under /api/v1, one module per resource: reports, rounds (with their jobs), issues."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import error_responses


def api_router() -> APIRouter:
    from api.routes import corrections, issues, reports, rounds

    router = APIRouter(prefix="/api/v1", responses=error_responses())
    for module in (reports, corrections, rounds, issues):
        router.include_router(module.router)
    return router
