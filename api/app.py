"""The FastAPI application: JSON API under /api/v1, health checks, and the reviewer web pages.

Every error body is ``{"code", "message"}``: the parser's and pipeline's codes, plus the service's own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import store
from api.analyzer import Request as AnalysisRequest
from api.errors import ForbiddenError, NoLetterError, UnauthorizedError
from api.jobs import enqueue
from api.rounds import refresh_round
from api.schemas import ErrorBody, HistoryOut, JobOut, ReportOut, RoundIn, RoundOut, StatusIn
from api.services import Services, build_services
from api.settings import Settings, load_settings
from api.tables import Job, Round
from api.tokens import Principal, principal_for
from api.uploads import Upload, check_kind, check_size, expand_zip, is_zip
from nlp.errors import PrereviewError
from nlp.glossary import error_message

logger = logging.getLogger(__name__)
COOKIE = "prereview_token"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422)}


# -- plumbing -------------------------------------------------------------------------------------------------

def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


bearer = HTTPBearer(auto_error=False, description="`prereview token create` 生成的访问令牌")


def principal(request: Request,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The caller, from the Authorization header or the web page's cookie."""
    token = credentials.credentials if credentials else request.cookies.get(COOKIE)
    if not token:
        raise UnauthorizedError("no bearer token")
    with services(request).sessions() as s:
        who = principal_for(s, token)
    if who is None:
        raise UnauthorizedError("unknown or revoked token")
    return who


def reviewer(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.is_reviewer:
        raise ForbiddenError("reviewers only")
    return who


Who = Annotated[Principal, Depends(principal)]
RoundId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="批次编号")]
Reviewer = Annotated[Principal, Depends(reviewer)]


def error_response(code: str, status: int, detail: str = "") -> JSONResponse:
    body = {"code": code, "message": error_message(code)}
    if detail:
        body["detail"] = detail
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PrereviewError)
    async def _prereview(_: Request, err: PrereviewError) -> JSONResponse:
        return error_response(err.code, err.http_status, str(err.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, err: RequestValidationError) -> JSONResponse:
        where = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in err.errors())
        return error_response("VALIDATION_ERROR", 422, where)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 401: "UNAUTHORIZED"}.get(err.status_code, "HTTP_ERROR")
        return JSONResponse({"code": code, "message": error_message(code) if code != "HTTP_ERROR" else str(err.detail)},
                            status_code=err.status_code)

    @app.exception_handler(Exception)
    async def _crash(_: Request, err: Exception) -> JSONResponse:
        logger.exception("unhandled error")
        return error_response("INTERNAL_ERROR", 500)


# -- the API --------------------------------------------------------------------------------------------------

def read_upload(file: UploadFile, settings: Settings) -> bytes:
    data = file.file.read(settings.max_upload_bytes + 1)
    check_size(file.filename or "upload", data, settings)
    return data


def build_router() -> Any:
    from fastapi import APIRouter

    r = APIRouter(prefix="/api/v1", responses=ERRORS)

    @r.post("/reports", status_code=201, response_model=ReportOut, tags=["reports"],
            responses={200: {"model": ReportOut, "description": "the same file was uploaded before: its report"}},
            summary="上传并预审一份报告")
    def post_report(request: Request, who: Who, file: Annotated[UploadFile, File()],
                    unit: Annotated[str | None, Form(max_length=200)] = None,
                    kind: Annotated[str | None, Form()] = None,
                    year: Annotated[int | None, Form(ge=1990, le=2100)] = None,
                    round: Annotated[str | None, Form(max_length=200)] = None) -> Response:
        svc = services(request)
        check_kind(kind)
        if not who.is_reviewer:
            unit = who.unit  # a submitter reports for its own unit only
        data = read_upload(file, svc.settings)
        name = (file.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
        from api.blobs import sha256

        digest = sha256(data)
        with svc.sessions() as s:
            round_row = store.get_round(s, round) if round else None
            existing = store.find_report(s, digest, round_row.id if round_row else None)
            if existing is not None:
                store.get_report(s, existing.id, who)
                return Response(store.report_body(existing), status_code=200, media_type="application/json")
        result = svc.analyzer.analyze(AnalysisRequest(data, name, kind, unit, year))
        with svc.sessions.begin() as s:
            round_row = store.get_round(s, round) if round else None
            existing = store.find_report(s, digest, round_row.id if round_row else None)
            if existing is not None:  # the same bytes arrived twice at once
                return Response(store.report_body(existing), status_code=200, media_type="application/json")
            svc.blobs.put(data)
            report = store.add_report(s, result, round_row, who.token_id)
            body = store.report_body(report)
        return Response(body, status_code=201, media_type="application/json")

    @r.get("/reports/{report_id}", response_model=ReportOut, tags=["reports"], summary="读取一份报告的预审结果")
    def get_report(request: Request, report_id: str, who: Who) -> Response:
        with services(request).sessions() as s:
            return Response(store.report_body(store.get_report(s, report_id, who)), media_type="application/json")

    @r.get("/reports/{report_id}/letter.docx", tags=["reports"], summary="修改建议函或退回重写通知（Word）",
           response_class=Response, responses={200: {"content": {DOCX: {}}}})
    def get_letter(request: Request, report_id: str, who: Who) -> Response:
        from nlp.report.word import letter_docx

        svc = services(request)
        with svc.sessions() as s:
            result = store.report_result(store.get_report(s, report_id, who))
        if result.verdict.decision == "pass":
            raise NoLetterError(f"report {report_id} passed")
        kind = "修改建议函" if result.verdict.decision == "revise" else "退回重写通知"
        return _download(letter_docx(result, office=svc.settings.office), DOCX, f"{kind}_{report_id}.docx")

    @r.get("/reports/{report_id}/checkup.docx", tags=["reports"], summary="法治体检单（Word）",
           response_class=Response, responses={200: {"content": {DOCX: {}}}})
    def get_checkup(request: Request, report_id: str, who: Who) -> Response:
        from nlp.checklist.build import unit_checklist
        from nlp.doc import ChecklistItem
        from nlp.report.word import checkup_docx

        with services(request).sessions() as s:
            report = store.get_report(s, report_id, who)
            result = store.report_result(report)
            items = [ChecklistItem.model_validate_json(row.item_json) for row in _report_issue_rows(s, report.id)]
        checklist = unit_checklist(result).model_copy(update={"items": tuple(items)})
        return _download(checkup_docx(checklist), DOCX, f"法治体检单_{report_id}.docx")

    @r.post("/rounds", status_code=201, response_model=RoundOut, tags=["rounds"], summary="新建预审批次")
    def post_round(request: Request, body: RoundIn, who: Reviewer) -> RoundOut:
        with services(request).sessions.begin() as s:
            row = store.ensure_round(s, body.name.strip())
            return RoundOut(id=row.id, name=row.name, created_at=row.created_at)

    @r.get("/rounds", response_model=list[RoundOut], tags=["rounds"], summary="全部批次")
    def list_rounds(request: Request, who: Reviewer) -> list[RoundOut]:
        from sqlalchemy import select

        with services(request).sessions() as s:
            return [RoundOut(id=x.id, name=x.name, created_at=x.created_at)
                    for x in s.scalars(select(Round).order_by(Round.id))]

    @r.post("/rounds/{round_id}/reports", status_code=202, response_model=JobOut, tags=["rounds"],
            summary="向批次提交多份报告或一个压缩包（后台处理）")
    def post_round_reports(request: Request, round_id: RoundId, who: Reviewer,
                           files: Annotated[list[UploadFile], File()]) -> JobOut:
        svc = services(request)
        uploads: list[Upload] = []
        for f in files:
            data = read_upload(f, svc.settings)
            name = (f.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
            uploads += expand_zip(data, svc.settings) if is_zip(data) else [Upload(name, data)]
        with svc.sessions.begin() as s:
            round_row = store.get_round(s, round_id)
            job = enqueue(s, round_row, uploads, svc.blobs, who.token_id, store.new_id())
            s.flush()
            out = store.job_out(s, job)
        svc.jobs.notify()
        return JobOut(**out)

    @r.get("/jobs/{job_id}", response_model=JobOut, tags=["rounds"], summary="批次任务进度")
    def get_job(request: Request, job_id: str, who: Reviewer) -> JobOut:
        with services(request).sessions() as s:
            job = s.get(Job, job_id)
            if job is None:
                from api.errors import NotFoundError

                raise NotFoundError(f"job {job_id}")
            return JobOut(**store.job_out(s, job))

    @r.get("/rounds/{round_id}/summary", tags=["rounds"], summary="批次汇总：结论分布、共性问题及涉及单位")
    def get_summary(request: Request, round_id: RoundId, who: Reviewer) -> dict[str, Any]:
        import json

        svc = services(request)
        with svc.jobs.round_lock, svc.sessions.begin() as s:
            row = store.get_round(s, round_id)
            if row.dirty or not row.summary_json:
                return refresh_round(s, row, svc.round_tools)
            return json.loads(row.summary_json)  # type: ignore[no-any-return]

    @r.get("/rounds/{round_id}/checklist.xlsx", tags=["rounds"], summary="批次问题清单（Excel）",
           response_class=Response, responses={200: {"content": {XLSX: {}}}})
    def get_round_checklist(request: Request, round_id: RoundId, who: Reviewer) -> Response:
        import json

        from sqlalchemy import select

        from api.tables import IssueRow
        from nlp.checklist.build import renumber
        from nlp.doc import ChecklistItem, CommonProblem
        from nlp.report.excel import write_checklist_xlsx

        svc = services(request)
        with svc.jobs.round_lock, svc.sessions.begin() as s:
            row = store.get_round(s, round_id)
            summary = refresh_round(s, row, svc.round_tools) if row.dirty or not row.summary_json \
                else json.loads(row.summary_json)
            items = renumber(ChecklistItem.model_validate_json(x.item_json) for x in s.scalars(
                select(IssueRow).where(IssueRow.round_id == row.id).order_by(IssueRow.report_id, IssueRow.number)))
        from nlp.taxonomy import load_taxonomy

        tax = load_taxonomy()
        common = [CommonProblem(id=c["id"], text=c["text"], domain=c["domain"], domain_name=tax.name(c["domain"]),
                                units=tuple(c["units"]), members=()) for c in summary["common_problems"]]
        data = write_checklist_xlsx([("个性问题清单", [i for i in items if i.scope != "common"]),
                                     ("共性问题明细", [i for i in items if i.scope == "common"])], common)
        return _download(data, XLSX, f"问题清单_批次{round_id}.xlsx")

    @r.get("/issues", tags=["issues"], summary="问题清单查询")
    def get_issues(request: Request, who: Reviewer, round: str | None = None, unit: str | None = None,
                   status: str | None = None, domain: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                   offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
        with services(request).sessions() as s:
            return store.list_issues(s, round, unit, status, domain, limit, offset)

    @r.patch("/issues/{issue_id}", tags=["issues"], summary="变更整改状态（或记录回头看结果）")
    def patch_issue(request: Request, issue_id: str, body: StatusIn, who: Reviewer) -> dict[str, Any]:
        with services(request).sessions.begin() as s:
            row = store.change_issue(s, store.get_issue(s, issue_id), who, body.status, body.followup, body.note)
            return store.issue_out(row)

    @r.get("/issues/{issue_id}/history", response_model=list[HistoryOut], tags=["issues"], summary="状态变更记录")
    def get_history(request: Request, issue_id: str, who: Reviewer) -> list[dict[str, Any]]:
        with services(request).sessions() as s:
            return store.issue_history(s, issue_id)

    return r


def _report_issue_rows(s: Any, report_id: str) -> list[Any]:
    from sqlalchemy import select

    from api.tables import IssueRow

    return list(s.scalars(select(IssueRow).where(IssueRow.report_id == report_id).order_by(IssueRow.number)))


def _download(data: bytes, media_type: str, filename: str) -> Response:
    from urllib.parse import quote

    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


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
    app = FastAPIOffline(title="prereview 法治报告预审", version="1", lifespan=lifespan,
                  description="上传述法报告、法治政府建设年度报告或谈话记录，得到预审结论、问题清单与函件。")
    install_error_handlers(app)
    app.include_router(build_router())

    @app.get("/healthz", tags=["health"], summary="进程存活")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="模型已加载、数据库可连接",
             responses={503: {"description": "not ready"}})
    def readyz(request: Request) -> JSONResponse:
        from api.db import ping

        svc = services(request)
        checks = {"models": svc.analyzer.ready, "database": ping(svc.engine)}
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not ready", **checks}, status_code=200 if ok else 503)

    from api.web import install_web

    install_web(app)
    return app
