"""Health checks at the root (not under /api/v1): the process is alive; the models and the database are ready."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="进程存活")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="模型已加载、数据库可连接", responses={503: {"description": "not ready"}})
def readyz(svc: ServicesDep) -> JSONResponse:
    from api.db import ping

    checks = {"models": svc.analyzer.ready, "database": ping(svc.engine)}
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "not ready", **checks}, status_code=200 if ok else 503)
