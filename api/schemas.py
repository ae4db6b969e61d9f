"""Request and response bodies of the JSON API (the OpenAPI document's schemas)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from nlp.doc import AnalysisResult, FollowUp, Status
from nlp.glossary import FOLLOWUPS, STATUSES, code_for

# Codes in, codes out. Until the next release a status or follow-up may still come as the Chinese words the API
# used before the codes (整改中, 巩固 …); they are mapped to their codes (README, "Status codes").
StatusCode = Annotated[Status, BeforeValidator(partial(code_for, STATUSES))]
FollowUpCode = Annotated[FollowUp, BeforeValidator(partial(code_for, FOLLOWUPS))]
STATUS_HELP = "整改状态：" + "、".join(f"{code}（{words}）" for code, words in STATUSES.items())
FOLLOWUP_HELP = "回头看结果，仅对已销号（closed）问题：" + "、".join(
    f"{code}（{words}）" for code, words in FOLLOWUPS.items())


class ErrorBody(BaseModel):
    code: str = Field(examples=["CORRUPT_FILE"])
    message: str = Field(examples=["文件已损坏或不完整，无法读取，请重新导出后上传。"])


class ReportOut(BaseModel):
    id: str
    round: int | None = None
    analysis: AnalysisResult


class RoundIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["2026年度述法报告预审"])
    previous_round: int | None = Field(None, ge=1, le=2**31 - 1, examples=[1],
                                       description="同批单位上一轮批次的id：据以标出各单位屡改屡犯的问题")


class RoundPatch(BaseModel):
    previous_round: int | None = Field(ge=1, le=2**31 - 1, examples=[1],
                                       description="同批单位上一轮批次的id；null：不再与上一轮比对")


class RoundOut(BaseModel):
    id: int
    name: str
    created_at: str
    previous_round: int | None = None


class JobFileOut(BaseModel):
    name: str
    status: str
    code: str | None = None
    message: str | None = None
    report_id: str | None = None


class JobOut(BaseModel):
    id: str
    round_id: int
    status: str
    created_at: str
    finished_at: str | None = None
    total: int
    done: int
    failed: int
    progress: float
    files: list[JobFileOut]


class StatusIn(BaseModel):
    status: StatusCode | None = Field(None, examples=["in_progress"], description=STATUS_HELP)
    followup: FollowUpCode | None = Field(None, examples=["consolidated"], description=FOLLOWUP_HELP)
    note: str = Field("", max_length=5000)


class HistoryOut(BaseModel):
    at: str
    by: str
    from_status: Status | None
    to_status: Status
    note: str
