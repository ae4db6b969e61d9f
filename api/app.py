"""The FastAPI application: the JSON API under /api/v1 (``api/routes/``), health checks, the reviewer web pages
(``api/web.py``), and one error body for everything.

Every error body is ``{"code", "message"}``: the parser's and pipeline's codes, plus the service's own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services import build_services
from api.settings import Settings, load_settings
from nlp.errors import PrereviewError
from nlp.glossary import error_message

logger = logging.getLogger(__name__)


# -- errors ---------------------------------------------------------------------------------------------------

def error_response(code: str, status: int, detail: str = "") -> JSONResponse:
    body = {"code": code, "message": error_message(code)}
    if detail:
        body["detail"] = detail
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


async def _prereview(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, PrereviewError)
    return error_response(err.code, err.http_status, str(err.detail))


async def _validation(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError)
    where = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in err.errors())
    return error_response("VALIDATION_ERROR", 422, where)


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> set[str]:
    """Every method some route answers at the request's path (Starlette's 405 names the first route's only, and
    ``/api/v1/rounds`` has a GET route and a POST route). Mounts (static files) name their own."""
    from starlette.routing import Match, Mount

    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    return {m for m in HTTP_METHODS if any(r.matches({**request.scope, "method": m})[0] == Match.FULL for r in routes)}


async def _http(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, StarletteHTTPException)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 401: "UNAUTHORIZED"}.get(err.status_code, "HTTP_ERROR")
    headers = dict(err.headers or {})
    if err.status_code == 405:  # HTTP asks a 405 to say what the path allows
        methods = allowed_methods(request)
        if methods:
            headers["Allow"] = ", ".join(sorted(methods))
    return JSONResponse({"code": code, "message": error_message(code) if code != "HTTP_ERROR" else str(err.detail)},
                        status_code=err.status_code, headers=headers or None)


async def _crash(_: Request, err: Exception) -> JSONResponse:
    logger.exception("unhandled error")
    return error_response("INTERNAL_ERROR", 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PrereviewError, _prereview)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _crash)


# -- the application ------------------------------------------------------------------------------------------

def create_app(settings: Settings | None = None, start_jobs: bool = True) -> FastAPI:
    """The service. Models load and migrations run at start-up (``lifespan``), not at import."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = build_services(settings, start_jobs=start_jobs)
        try:
            yield
        finally:
            app.state.services.close()

    from fastapi_offline import FastAPIOffline

    # the docs page's Swagger UI files are served from the installed package: no CDN, as everything else
    from api.guards import RefuseNulMiddleware, refuse_nul_body

    app = FastAPIOffline(title="prereview 法治报告预审", version="1", lifespan=lifespan,
                         description="上传述法报告、法治政府建设年度报告或谈话记录，得到预审结论、问题清单与函件。",
                         dependencies=[Depends(refuse_nul_body)])  # first of every route's dependencies
    app.add_middleware(RefuseNulMiddleware)
    install_error_handlers(app)
    from api.routes import api_router, health
    from api.web import install_web

    app.include_router(api_router())
    app.include_router(health.router)

    install_web(app)
    return app
