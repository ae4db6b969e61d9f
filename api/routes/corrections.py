"""Reviewers' corrections of a report: its unit, kind, year, sentence roles and verdict; a problem the machine
missed; the history of corrections; the letter as editable paragraphs; every correction as a labelled example.

The issue corrections themselves go through ``PATCH /issues/{id}`` (``api.routes.issues``). Everything here is for
reviewers only (a submitter gets 403, no token 401).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from api import corrections, store
from api.deps import Reviewer, ServicesDep
from api.errors import NoLetterError
from api.rounds import lock_round
from api.schemas import CorrectionOut, ErrorBody, IssueIn, LetterIn, LetterOut, ReportOut, ReportPatch

router = APIRouter(tags=["corrections"])
NDJSON = "application/x-ndjson"
SINCE_HELP = "ISO 时间（含）之后的更正；无时区按 UTC"


def _invalid(field: str, msg: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "msg": msg, "type": "value_error"}])


@router.patch("/reports/{report_id}", response_class=JSONResponse,
              responses={200: {"model": ReportOut, "description": "the corrected report"}},
              summary="更正报告：单位、类型、年度、句子角色，改判或撤销改判预审结论")
def patch_report(svc: ServicesDep, report_id: str, body: ReportPatch, who: Reviewer) -> Response:
    """Each change is a correction (who, when, before, after); the answer is the report as ``GET`` gives it, with
    metrics and verdict computed again. ``verdict`` overrides the machine's decision (``reason`` required); the
    machine's stays beside it (``verdict.machine``). ``"verdict": null`` withdraws the override (撤销改判; a 422
    when there is none): the decision is again the machine's, over the corrected sentences and issues."""
    config = svc.round_tools().config
    with svc.sessions.begin() as s:
        report = store.get_report(s, report_id, who)
        if report.round_id is not None:
            lock_round(s, report.round_id)
        result = corrections.corrected(s, report, config)
        known = {x.i for x in result.sentences}
        for k, x in enumerate(body.sentences):
            if x.i not in known:
                raise _invalid(f"sentences.{k}.i", f"the report has no sentence {x.i}")
        verdict = body.verdict_correction()
        if verdict is not None and verdict["decision"] is None and result.verdict.override is None:
            raise _invalid("verdict", "the verdict is not overridden: nothing to withdraw")
        fixed = corrections.correct_report(
            s, report, who, body.document(), [(x.i, x.label.value) for x in body.sentences], verdict, body.note,
            config)
        return Response(corrections.served(report, fixed), media_type="application/json")


@router.post("/reports/{report_id}/issues", status_code=201, summary="补充机器遗漏的问题（按原文位置）")
def post_issue(svc: ServicesDep, report_id: str, body: IssueIn, who: Reviewer) -> dict[str, Any]:
    """``document.text[start:end]`` is a problem the machine missed: it joins the report's checklist (a new row
    numbered after the others), its metrics and its verdict. Answers the new checklist row."""
    config = svc.round_tools().config
    with svc.sessions.begin() as s:
        report = store.get_report(s, report_id, who)
        if report.round_id is not None:
            lock_round(s, report.round_id)
        result = store.report_result(report)
        if body.end <= body.start or body.end > len(result.document.text):
            raise _invalid("end", f"need 0 <= start < end <= {len(result.document.text)} (the document's length)")
        if not result.document.text[body.start:body.end].strip():
            raise _invalid("start", "the span holds no text")
        after = {k: v for k, v in body.model_dump(mode="json", exclude={"note"}).items() if v is not None}
        round_name = store.get_round(s, report.round_id).name if report.round_id else None
        row = corrections.add_issue(s, report, who, after, body.note, config, round_name)
        s.flush()
        return store.issue_out(row)


@router.get("/reports/{report_id}/corrections", response_model=list[CorrectionOut], summary="报告的更正记录")
def get_corrections(svc: ServicesDep, report_id: str, who: Reviewer) -> list[dict[str, Any]]:
    """Every correction of the report and its issues, oldest first: who, when, what, before, after."""
    with svc.sessions() as s:
        store.get_report(s, report_id, who)
        return corrections.history(s, report_id)


@router.get("/reports/{report_id}/letter", response_model=LetterOut, summary="函件（可编辑的段落）",
            responses={409: {"model": ErrorBody, "description": "NO_LETTER (passed) or UNIT_REQUIRED"}})
def get_letter_text(svc: ServicesDep, report_id: str, who: Reviewer) -> dict[str, Any]:
    """The letter the corrected verdict sends, as paragraphs: the reviewer's saved draft (``edited``), else the
    machine's words. A report whose unit is not known gets a 409 ``UNIT_REQUIRED``."""
    from api.letters import letter_out

    config = svc.round_tools().config
    with svc.sessions() as s:
        report = store.get_report(s, report_id, who)
        result = _letter_result(corrections.corrected(s, report, config), report_id)
        return letter_out(result, s, report_id, svc.settings.letter_head())


@router.put("/reports/{report_id}/letter", response_model=LetterOut, summary="保存函件草稿",
            responses={409: {"model": ErrorBody, "description": "NO_LETTER (passed) or UNIT_REQUIRED"}})
def put_letter_text(svc: ServicesDep, report_id: str, body: LetterIn, who: Reviewer) -> dict[str, Any]:
    """Saves the reviewer's words for the letter (each save is kept: who and when); ``letter.docx`` is built
    from the newest. A draft belongs to the letter of the decision it was written for."""
    from api.letters import letter_out, save_draft

    config = svc.round_tools().config
    with svc.sessions.begin() as s:
        report = store.get_report(s, report_id, who)
        result = _letter_result(corrections.corrected(s, report, config), report_id)
        save_draft(s, report_id, result.verdict.decision, body, who)
        s.flush()
        return letter_out(result, s, report_id, svc.settings.letter_head())


def _letter_result(result: Any, report_id: str) -> Any:
    from api.letters import require_unit

    if result.verdict.decision in ("pass", "not_applicable"):
        raise NoLetterError(f"report {report_id}: {result.verdict.decision}, no letter")
    require_unit(result)
    return result


@router.get("/feedback", response_class=Response, summary="更正反馈（JSON lines，每条更正一行）",
            responses={200: {"content": {NDJSON: {}}, "description": "one nlp.feedback.FeedbackExample per line"}})
def get_feedback(svc: ServicesDep, who: Reviewer,
                 since: Annotated[str | None, Query(max_length=64, description=SINCE_HELP)] = None) -> Response:
    """Every correction as a labelled example with the machine's original answer (``nlp.feedback``)."""
    from api.feedback import feedback_examples
    from nlp.feedback import feedback_lines

    start = _since(since)
    config = svc.round_tools().config
    with svc.sessions() as s:
        lines = list(feedback_lines(feedback_examples(s, config, start)))
    return Response("".join(lines), media_type=NDJSON)


def _since(text: str | None) -> str | None:
    """``since`` as the stored times are written (``api.feedback.since_utc``), or a 422."""
    from api.feedback import since_utc

    try:
        return since_utc(text)
    except ValueError:
        raise RequestValidationError([{"loc": ("query", "since"), "msg": "not an ISO time", "type": "value_error"}]
                                     ) from None
