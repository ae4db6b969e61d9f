"""The reviewer web pages: server-rendered Jinja2, static files served from this package (no CDN).

Pages sign in with the same tokens as the API: ``/login`` checks a token and keeps it in the HttpOnly cookie
``prereview_token``, which the API's ``principal()`` also accepts, so the pages' scripts call ``/api/v1`` with
``fetch`` and no token in JavaScript. Reading is done here through ``api.store`` and the tables; every change
(upload, status change, round upload) goes through the API routes.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from api import store
from api.corrections import as_correction, correction_rows, issue_stories
from api.deps import COOKIE, PageNo, PageReviewer, ReviewersOnly, ServicesDep, SignedIn, SignInRequired, Viewer
from api.deps import round_ref as parse_round
from api.page_review import history_lines, story_lines, uncertain_sentences, unit_known
from api.page_text import render_text, split_evidence
from api.rounds import current_summary
from api.services import Services
from api.tables import Report
from api.tokens import Principal, principal_for
from nlp import glossary
from nlp.checklist.status import FOLLOWUPS, TRANSITIONS
from nlp.config import AnalysisConfig
from nlp.doc import KINDS, AnalysisResult, Decision, Label
from nlp.errors import PrereviewError
from nlp.glossary import error_message
from nlp.report.circular import circular
from nlp.review.corrections import apply_corrections
from nlp.round import RoundSummary

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
COOKIE_MAX_AGE = 7 * 24 * 3600
RECENT = 50
CHECKLIST_PAGE = 200
CIRCULAR_ROWS = 3000  # a round page lists the units' specific problems up to this many rows (else links to them)
BEIJING = timezone(timedelta(hours=8))
# pages load nothing from elsewhere: scripts, styles, fonts and images come from /static
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

ROLE_ORDER: tuple[str, ...] = tuple(Label)
# the words the pages' scripts need (status changes, job progress, an issue's corrections) and the lifecycle:
# app.js keeps none of its own
SCRIPT_GLOSSARY = {"statuses": glossary.STATUSES, "followups": glossary.FOLLOWUPS, "jobs": glossary.JOB_STATUSES,
                   "transitions": {code: list(nexts) for code, nexts in TRANSITIONS.items()},
                   "labels": glossary.LABELS, "correction_targets": glossary.CORRECTION_TARGETS,
                   "correction_fields": glossary.CORRECTION_FIELDS, "visibility": glossary.VISIBILITY,
                   "scopes": glossary.SCOPE, "dismissed": {str(k).lower(): v for k, v in glossary.DISMISSED.items()}}


@lru_cache(maxsize=1)
def script_glossary() -> dict[str, Any]:
    """``SCRIPT_GLOSSARY`` and the domains' names, read from the taxonomy on the first page, not at import."""
    from nlp.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    codes = (*taxonomy.codes, *glossary.EXTRA_DOMAINS)
    return SCRIPT_GLOSSARY | {"domains": {code: taxonomy.name(code) for code in codes}}


# -- helpers for templates --------------------------------------------------------------------------------------

def beijing_time(iso: str | None) -> str:
    """``2026-11-22T03:05:57.123+00:00`` → ``2026-11-22 11:05`` (Beijing time, as the office reads it)."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def percent(x: float | None, digits: int = 1) -> str:
    return "" if x is None else f"{x * 100:.{digits}f}%"


templates.env.filters["bjt"] = beijing_time
templates.env.filters["pct"] = percent
# every table of the glossary under its own name (KINDS, LABELS, DECISIONS_SHORT, STATUSES …): codes → Chinese words
templates.env.globals.update({name: words for name, words in vars(glossary).items()
                              if name.isupper() and isinstance(words, dict)})
templates.env.globals.update(error_message=error_message, reason_name=glossary.reason_name,
                             script_glossary=script_glossary)


templates.env.globals["split_evidence"] = split_evidence


# -- sign-in ----------------------------------------------------------------------------------------------------

def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if request.cookies.get(COOKIE):
        response.delete_cookie(COOKIE, path="/")
    return response


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no ``//host``, no backslash tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site: Sec-Fetch-Site, which a proxy in front
    does not change; for browsers without it, Origin against Host (or X-Forwarded-Host)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin:
        return True
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    return origin != "null" and urlsplit(origin).netloc in hosts


def page(request: Request, name: str, who: Principal | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("nav", "")
    return templates.TemplateResponse(request, name, {"who": who, **context}, status_code=status_code,
                                      headers=SECURITY_HEADERS)


def error_page(request: Request, who: Principal | None, status_code: int, message: str) -> HTMLResponse:
    titles = {403: "无权访问", 404: "未找到", 409: "无法办理", 401: "请先登录"}
    return page(request, "error.html", who, status_code=status_code, title=titles.get(status_code, "出错了"),
                message=message, status=status_code)


def forbidden(request: Request, who: Principal) -> HTMLResponse:
    return error_page(request, who, 403, "此页面仅供审核员使用。报送单位账号只能上传报告、查看本单位的报告。")


async def _sign_in_required(request: Request, _: Exception) -> Response:
    return login_redirect(request)


async def _reviewers_only(request: Request, err: Exception) -> Response:
    assert isinstance(err, ReviewersOnly)
    return forbidden(request, err.who)


# -- reading for the pages --------------------------------------------------------------------------------------

def round_summary(svc: Services, round_id: int) -> tuple[RoundSummary | None, str | None]:
    """The round's summary as ``GET /api/v1/rounds/{id}/summary`` gives it (the round step runs when reports came
    in since); None and a message when it cannot be built now."""
    try:
        with svc.jobs.round_lock, svc.sessions.begin() as s:
            return current_summary(s, store.get_round(s, round_id), svc.round_tools), None
    except PrereviewError:
        raise
    except Exception:  # noqa: BLE001 - the page still shows what the database holds
        logger.exception("round summary failed for round %s", round_id)
        return None, "批次汇总暂时无法生成（共性问题分析出错），请稍后刷新；报告列表仍可查看。"


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def role_counts(result: AnalysisResult) -> dict[str, int]:
    counts = Counter(s.label or "other" for s in result.sentences)
    return {r: counts.get(r, 0) for r in ROLE_ORDER}


# -- the pages --------------------------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/login")
def login_form(request: Request, who: Viewer, next: str = "/") -> Response:
    if who is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", None, next=safe_next(next), error=None)


@router.post("/login")
def login(request: Request, svc: ServicesDep, token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    if not same_origin(request):  # a form on another site must not sign this browser in
        return error_page(request, None, 403, "登录请求来自其他网站，已拒绝。请在本系统的登录页输入令牌。")
    token = token.strip()
    who = None
    if token and len(token) <= 200:
        with svc.sessions() as s:
            who = principal_for(s, token)
    if who is None:
        return page(request, "login.html", None, status_code=401, next=safe_next(next),
                    error="令牌无效或已停用，请核对后重新输入。")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.api_route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request, who: SignedIn, svc: ServicesDep) -> Response:
    with svc.sessions() as s:
        reports = store.recent_reports(s, who, RECENT)
        rounds = store.list_rounds(s, newest_first=True)
        names = {x.id: x.name for x in rounds}
    return page(request, "index.html", who, nav="home", reports=reports, rounds=rounds, round_names=names,
                kinds=[(k, glossary.KINDS.get(k, k)) for k in KINDS])


@router.get("/reports/{report_id}")
def report_view(request: Request, report_id: str, who: SignedIn, svc: ServicesDep) -> Response:
    with svc.sessions() as s:
        try:
            report = store.get_report(s, report_id, who)
        except PrereviewError as err:
            status = err.http_status if err.http_status in (403, 404) else 400
            message = ("报送单位账号只能查看本单位的报告，这份报告属于其他单位。" if status == 403
                       else "未找到该报告，可能编号有误或已被删除。" if status == 404 else error_message(err.code))
            return error_page(request, who, status, message)
        from api.corrections import corrected, history

        result = corrected(s, report, svc.round_tools().config)  # as the reviewers corrected it
        round_row = store.get_round(s, report.round_id) if report.round_id else None
        rows = {row.id: row for row in store.report_issue_rows(s, report.id)}
        corrections = history(s, report.id) if who.is_reviewer else []
    from nlp.taxonomy import load_taxonomy

    tax = load_taxonomy()
    issues = []
    for k, issue in enumerate(result.issues):
        row = rows.pop(f"{report.id}:{issue.id}", None)
        issues.append({"k": k, "issue": issue, "domain_name": tax.name(issue.domain),
                       "status": row.status if row else None, "row_id": row.id if row else None,
                       "scope": (row.scope if row else None) or issue.scope})
    extra = [json.loads(row.item_json) | {"row_id": row.id, "status": row.status} for row in rows.values()]
    review: dict[str, Any] = {}
    if who.is_reviewer:  # the controls and lists of a reviewer; a submitter's page stays read-only
        texts = {it["row_id"]: it["issue"].text for it in issues if it["row_id"]}
        texts |= {item["row_id"]: item.get("text", "") for item in extra}
        review = {"uncertain": uncertain_sentences(result, corrections),
                  "history": history_lines(corrections, texts),
                  "domains": [(d.code, d.name) for d in tax.domains] + list(glossary.EXTRA_DOMAINS.items()),
                  "dismiss_reasons": glossary.DISMISS_REASONS}
    return page(request, "report.html", who, nav="home", report=report, result=result, round=round_row,
                text_html=render_text(result), issues=issues, extra_items=extra, roles=role_counts(result),
                role_order=ROLE_ORDER, unit_known=unit_known(result.document), review=review,
                decisions=[d for d in Decision if d != Decision.NOT_APPLICABLE])


@router.get("/rounds")
def rounds_page(request: Request, who: PageReviewer, svc: ServicesDep) -> Response:
    with svc.sessions() as s:
        rounds = store.list_rounds(s, newest_first=True)
        counts: dict[int, dict[str, int]] = {x.id: {} for x in rounds} | store.round_decision_counts(s)
    return page(request, "rounds.html", who, nav="rounds", rounds=rounds, counts=counts)


@router.get("/rounds/{round_id}")
def round_page(request: Request, round_id: str, who: PageReviewer, svc: ServicesDep) -> Response:
    """A round by its id (ASCII digits, always an id); a link by the round's name (any other text) is sent on to
    the round's id, the one address of a round page."""
    try:
        ref = parse_round(round_id, None, where="path")
        if isinstance(ref, str):
            with svc.sessions() as s:
                return RedirectResponse(f"/rounds/{store.get_round(s, ref).id}", status_code=303)
        summary, summary_error = round_summary(svc, ref or 0)
    except (PrereviewError, RequestValidationError):
        return error_page(request, who, 404, "未找到该批次。")
    with svc.sessions() as s:
        row = store.get_round(s, ref or 0)
        reports = store.round_reports(s, row.id)
        open_job = store.round_open_job(s, row.id)
        open_issues = store.round_open_issues(s, row.id)
        items = store.round_checklist_items(s, row.id) if summary is not None else []
        rounds = store.list_rounds(s, newest_first=True)
        reasons = decision_reasons(s, reports, lambda: svc.round_tools().config)
    counts = Counter(r.decision for r in reports)
    decisions = {k: counts.get(k, 0) for k in ("pass", "revise", "return")}
    total = sum(decisions.values())
    circ = circular(summary.common_problems, items) if summary is not None else None
    return page(request, "round.html", who, nav="rounds", round=row, summary=summary, summary_error=summary_error,
                reports=reports, decisions=decisions, total=total, open_job=open_job, open_issues=open_issues,
                circ=circ, show_specific=len(items) <= CIRCULAR_ROWS,
                other_rounds=[x for x in rounds if x.id != row.id],
                previous=next((x for x in rounds if x.id == row.previous_round_id), None), reasons=reasons)


_VERDICT_KEY = '"verdict":'
OVERRIDE_REASON = "审核改判：{}"  # the 退改理由 of a decision a reviewer made


def decision_reasons(session: Session, reports: Sequence[Report],
                     config: Callable[[], AnalysisConfig]) -> dict[str, list[str]]:
    """Report id → the 退改理由 its decision stands on: the reasons of the analysis as the reviewers corrected it, and
    an overriding reviewer's own reason. Only a corrected report's analysis is read whole; ``config`` (the analysis
    policy) is asked for only then."""
    fixes = correction_rows(session, [r.id for r in reports])
    out: dict[str, list[str]] = {}
    for r in reports:
        if r.id not in fixes:
            out[r.id] = [glossary.reason_name(code) for code in verdict_codes(r.result_json)]
            continue
        verdict = apply_corrections(AnalysisResult.model_validate_json(r.result_json),
                                    [as_correction(c) for c in fixes[r.id]], config()).verdict
        out[r.id] = [OVERRIDE_REASON.format(verdict.override.reason)] if verdict.override else \
            [glossary.reason_name(x.code) for x in verdict.reasons]
    return out


def verdict_codes(result_json: str) -> list[str]:
    """The reason codes of a stored analysis, reading only its verdict object (the key cannot occur unescaped inside
    the document's text, a JSON string), not the whole analysis."""
    at = result_json.rfind(_VERDICT_KEY)
    if at < 0:
        return []
    verdict, _ = json.JSONDecoder().raw_decode(result_json, at + len(_VERDICT_KEY))
    return [r["code"] for r in verdict.get("reasons", ())]


@router.get("/checklist")
def checklist_page(request: Request, who: PageReviewer, svc: ServicesDep, round: str = "", round_name: str = "",
                   unit: str = "", status: str = "", domain: str = "", page_no: PageNo = 1) -> Response:
    """The checklist, filtered; ``round`` is a round id and ``round_name`` a name, as in ``GET /api/v1/issues``."""
    from nlp.taxonomy import load_taxonomy

    status = str(glossary.code_for(glossary.STATUSES, status.strip()))  # a bookmark from before the codes: 整改中
    filters = {"round": round.strip(), "round_name": round_name.strip(), "unit": unit.strip(), "status": status,
               "domain": domain.strip()}
    error, round_row = None, None
    with svc.sessions() as s:
        rounds = store.list_rounds(s, newest_first=True)
        units = store.issue_units(s)
        try:
            ref = parse_round(filters["round"], filters["round_name"])
            round_row = store.get_round(s, ref) if ref is not None else None
            items = store.list_issues(s, round_row.id if round_row else None, filters["unit"] or None,
                                      filters["status"] or None, filters["domain"] or None,
                                      limit=CHECKLIST_PAGE + 1, offset=(page_no - 1) * CHECKLIST_PAGE)
        except (PrereviewError, RequestValidationError):
            items, error = [], "未找到所选批次。"
        more = len(items) > CHECKLIST_PAGE
        items = items[:CHECKLIST_PAGE]
        history = {k: story_lines(v) for k, v in issue_stories(s, [i["id"] for i in items]).items()}
        reports = store.reports_by_id(s, {i["report_id"] for i in items})
    query = {k: v for k, v in filters.items() if v}

    def page_link(n: int) -> str:
        return "/checklist?" + urlencode({**query, "page_no": n})

    return page(request, "checklist.html", who, nav="checklist", items=items, filters=filters, rounds=rounds,
                round_names={x.id: x.name for x in rounds}, round_row=round_row, units=units,
                domains=load_taxonomy().domains,
                history=history, reports=reports, next_statuses=next_statuses, followups=FOLLOWUPS, error=error,
                page_no=page_no, prev_link=page_link(page_no - 1) if page_no > 1 else None,
                next_link=page_link(page_no + 1) if more else None, page_size=CHECKLIST_PAGE)


def install_web(app: FastAPI) -> None:
    """The pages, their static files, and the answers to a page's missing sign-in (redirect) and wrong role (403)."""
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(ReviewersOnly, _reviewers_only)
    app.include_router(router)
