"""Review rounds: create and list them, submit many reports as a background job, follow the job, read the round's
summary and download its checklist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from api import store
from api.deps import XLSX, Reviewer, RoundId, ServicesDep, download, upload_name
from api.jobs import enqueue
from api.rounds import current_summary, lock_round
from api.schemas import JobOut, RoundIn, RoundOut, RoundPatch
from api.tables import Round
from api.uploads import Upload, round_uploads
from nlp.batch.outputs import safe_name
from nlp.checklist.build import renumber
from nlp.report.excel import write_checklist_xlsx
from nlp.round import RoundSummary

router = APIRouter(tags=["rounds"])


@router.post("/rounds", status_code=201, response_model=RoundOut, summary="新建预审批次（可指明同批单位的上一轮批次）")
def post_round(svc: ServicesDep, body: RoundIn, who: Reviewer) -> RoundOut:
    with svc.jobs.round_lock, svc.sessions.begin() as s:
        row = store.ensure_round(s, body.name.strip())
        if "previous_round" in body.model_fields_set:
            store.set_previous_round(s, row, body.previous_round)
        return _round_out(row)


@router.patch("/rounds/{round_id}", response_model=RoundOut, summary="设定或取消同批单位的上一轮批次（屡改屡犯比对）")
def patch_round(svc: ServicesDep, round_id: RoundId, body: RoundPatch, who: Reviewer) -> RoundOut:
    with svc.jobs.round_lock, svc.sessions.begin() as s:
        row = store.get_round(s, round_id)
        lock_round(s, row.id)
        store.set_previous_round(s, row, body.previous_round)
        return _round_out(row)


@router.get("/rounds", response_model=list[RoundOut], summary="全部批次")
def list_rounds(svc: ServicesDep, who: Reviewer) -> list[RoundOut]:
    with svc.sessions() as s:
        return [_round_out(x) for x in store.list_rounds(s)]


def _round_out(row: Round) -> RoundOut:
    return RoundOut(id=row.id, name=row.name, created_at=row.created_at, previous_round=row.previous_round_id)


@router.post("/rounds/{round_id}/reports", status_code=202, response_model=JobOut,
             summary="向批次提交多份报告或一个压缩包（后台处理）")
def post_round_reports(svc: ServicesDep, round_id: RoundId, who: Reviewer,
                       files: Annotated[list[UploadFile], File()]) -> JobOut:
    uploads: list[Upload] = []
    for f in files:  # an empty file fails alone (a failed file of the job), the others go on
        uploads += round_uploads(upload_name(f), f.file.read(svc.settings.max_upload_bytes + 1), svc.settings)
    with svc.sessions.begin() as s:
        round_row = store.get_round(s, round_id)
        job = enqueue(s, round_row, uploads, svc.blobs, who.token_id, store.new_id())
        s.flush()
        out = store.job_out(s, job)
    svc.jobs.notify()
    return JobOut(**out)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="批次任务进度")
def get_job(svc: ServicesDep, job_id: str, who: Reviewer) -> JobOut:
    with svc.sessions() as s:
        return JobOut(**store.job_out(s, store.get_job(s, job_id)))


@router.get("/rounds/{round_id}/summary", response_model=RoundSummary, summary="批次汇总：结论分布、共性问题及涉及单位")
def get_summary(svc: ServicesDep, round_id: RoundId, who: Reviewer) -> RoundSummary:
    with svc.jobs.round_lock, svc.sessions.begin() as s:
        return current_summary(s, store.get_round(s, round_id), svc.round_tools)


@router.get("/rounds/{round_id}/checklist.xlsx", summary="批次问题清单（Excel）",
            response_class=Response, responses={200: {"content": {XLSX: {}}}})
def get_round_checklist(svc: ServicesDep, round_id: RoundId, who: Reviewer) -> Response:
    with svc.jobs.round_lock, svc.sessions.begin() as s:
        row = store.get_round(s, round_id)
        summary = current_summary(s, row, svc.round_tools)
        items = renumber(store.round_checklist_items(s, row.id))
        results = [store.report_result(r) for r in store.round_reports(s, row.id)]
    data = write_checklist_xlsx([("个性问题清单", [i for i in items if i.scope != "common"]),
                                 ("共性问题明细", [i for i in items if i.scope == "common"])],
                                summary.common_problems, results)
    from datetime import date

    return download(data, XLSX, f"问题清单_{safe_name(row.name)}_{date.today():%Y%m%d}.xlsx",
                    f"checklist_round{round_id}_{date.today():%Y%m%d}.xlsx")
