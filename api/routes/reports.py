"""One report: upload and pre-review it, read its result, download its letter and its 法治体检单."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from api import corrections, store
from api.analyzer import Request as AnalysisRequest
from api.deps import DOCX, ROUND_HELP, ROUND_NAME_HELP, ServicesDep, Who, download, read_upload, round_ref, upload_name
from api.errors import AlreadySubmittedError, NoLetterError
from api.schemas import ErrorBody, ReportOut
from api.services import Services
from api.tables import Report
from api.tokens import Principal
from api.uploads import check_kind
from nlp.glossary import LETTERS

router = APIRouter(tags=["reports"])


# The report routes answer with the analysis as JSON text (``corrections.served``: the stored analysis with the
# reviewers' corrections applied, issue ids being the checklist row ids): ReportOut documents it.
@router.post("/reports", status_code=201, response_class=JSONResponse,
             responses={201: {"model": ReportOut, "description": "Successful Response"},
                        200: {"model": ReportOut, "description": "the same file was uploaded before: its report"},
                        409: {"model": ErrorBody, "description": "ALREADY_SUBMITTED: the same file is stored for a "
                                                                 "report the caller may not read"}},
             summary="上传并预审一份报告")
def post_report(svc: ServicesDep, who: Who, file: Annotated[UploadFile, File()],
                unit: Annotated[str | None, Form(max_length=200)] = None,
                kind: Annotated[str | None, Form()] = None,
                year: Annotated[int | None, Form(ge=1990, le=2100)] = None,
                round: Annotated[str | None, Form(max_length=200, description=ROUND_HELP)] = None,
                round_name: Annotated[str | None, Form(max_length=200, description=ROUND_NAME_HELP)] = None,
                ) -> Response:
    from api.blobs import sha256

    check_kind(kind)
    ref = round_ref(round, round_name, where="body")
    if not who.is_reviewer:
        unit = who.unit  # a submitter reports for its own unit only
    data = read_upload(file, svc.settings)
    digest = sha256(data)
    with svc.sessions() as s:
        round_row = store.get_round(s, ref) if ref is not None else None
        existing = store.find_report(s, digest, round_row.id if round_row else None)
        if existing is not None:
            return _stored_before(svc, existing, who)
    result = svc.analyzer.analyze(AnalysisRequest(data, upload_name(file), kind, unit, year))
    with svc.sessions.begin() as s:
        round_row = store.get_round(s, ref) if ref is not None else None
        existing = store.find_report(s, digest, round_row.id if round_row else None)
        if existing is not None:  # the same bytes arrived twice at once
            return _stored_before(svc, existing, who)
        report = store.add_report(s, result, round_row, who.token_id)
        svc.blobs.put(data, session=s)  # after the rows, in their transaction: a refused row leaves no file
        body = corrections.served(report, result)
    return Response(body, status_code=201, media_type="application/json")


def _stored_before(svc: Services, existing: Report, who: Principal) -> Response:
    """The same bytes again: their report (200) for a caller who may read it; for a submitter of another unit a 409
    that names neither the report nor its unit."""
    if not who.may_read_unit(existing.unit):
        raise AlreadySubmittedError("the same bytes are stored already")
    with svc.sessions() as s:
        body = corrections.served(existing, corrections.corrected(s, existing, svc.round_tools().config))
    return Response(body, status_code=200, media_type="application/json")


@router.get("/reports/{report_id}", response_class=JSONResponse,
            responses={200: {"model": ReportOut, "description": "Successful Response"}},
            summary="读取一份报告的预审结果")
def get_report(svc: ServicesDep, report_id: str, who: Who) -> Response:
    """The analysis as the reviewers corrected it (the machine's verdict beside an override: ``verdict.machine``)."""
    with svc.sessions() as s:
        report = store.get_report(s, report_id, who)
        result = corrections.corrected(s, report, svc.round_tools().config)
        return Response(corrections.served(report, result), media_type="application/json")


@router.get("/reports/{report_id}/letter.docx", summary="修改建议函或退回重写通知（Word）",
            response_class=Response, responses={200: {"content": {DOCX: {}}}})
def get_letter(svc: ServicesDep, report_id: str, who: Who) -> Response:
    """Built from the reviewer's saved draft when there is one (``PUT /reports/{id}/letter``), else from the
    corrected analysis. A report whose unit is not known gets a 409 ``UNIT_REQUIRED``."""
    from datetime import date

    from api.letters import download_name, letter_number, require_unit, saved_draft
    from nlp.report.word import letter_docx
    from nlp.report.word import letter_number as number_text

    with svc.sessions() as s:
        result = corrections.corrected(s, store.get_report(s, report_id, who), svc.round_tools().config)
        if result.verdict.decision in ("pass", "not_applicable"):
            raise NoLetterError(f"report {report_id}: {result.verdict.decision}")
        require_unit(result)
        saved = saved_draft(s, report_id, result.verdict.decision)
    kind = LETTERS[result.verdict.decision]
    head, today = svc.settings.letter_head(), date.today()
    number = letter_number(svc.sessions, report_id, result.verdict.decision, today.year)
    data = letter_docx(result, head, number_text(head.prefix, today.year, number), today, saved[0] if saved else None)
    return download(data, DOCX, download_name(kind, result, today), f"letter_{report_id}.docx")


@router.get("/reports/{report_id}/checkup.docx", summary="法治体检单（Word）",
            response_class=Response, responses={200: {"content": {DOCX: {}}}})
def get_checkup(svc: ServicesDep, report_id: str, who: Who) -> Response:
    from datetime import date

    from api.letters import download_name, letter_number
    from nlp.checklist.build import unit_checklist
    from nlp.doc import ChecklistItem
    from nlp.report.word import checkup_docx
    from nlp.report.word import letter_number as number_text

    with svc.sessions() as s:
        report = store.get_report(s, report_id, who)
        result = corrections.corrected(s, report, svc.round_tools().config)
        round_name = store.get_round(s, report.round_id).name if report.round_id else None
        items = [item for item in (ChecklistItem.model_validate_json(row.item_json)
                                   for row in store.report_issue_rows(s, report.id)) if not item.dismissed]
    checklist = unit_checklist(result, round_name).model_copy(update={"items": tuple(items)})
    head, today = svc.settings.letter_head(), date.today()
    number = letter_number(svc.sessions, report_id, "checkup", today.year)
    data = checkup_docx(checklist, head, number_text(head.prefix, today.year, number), today)
    return download(data, DOCX, download_name("法治体检单", result, today), f"checkup_{report_id}.docx")
