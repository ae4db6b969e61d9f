"""Health checks at the root (not under /api/v1): the process is alive; the models and the database are ready."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="进程存活")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="模型已加载、数据库可连接、文件存储与其他实例共用",
            responses={503: {"description": "not ready; ``code`` says why when it is the file store"}})
def readyz(svc: ServicesDep) -> JSONResponse:
    from api.db import ping

    checks: dict[str, object] = {"models": svc.analyzer.ready, "database": ping(svc.engine)}
    problem = svc.store_problem() if checks["database"] else None
    checks["store"] = problem is None
    body: dict[str, object] = {"status": "ready" if all(checks.values()) else "not ready", **checks,
                               "instance": svc.instance_id}
    if problem is not None:
        body["code"], body["detail"] = problem
    return JSONResponse(body, status_code=200 if all(checks.values()) else 503)
