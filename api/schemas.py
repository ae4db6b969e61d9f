"""Request and response bodies of the JSON API (the OpenAPI document's schemas)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nlp.doc import AnalysisResult


class ErrorBody(BaseModel):
    code: str = Field(examples=["CORRUPT_FILE"])
    message: str = Field(examples=["文件已损坏或不完整，无法读取，请重新导出后上传。"])


class ReportOut(BaseModel):
    id: str
    round: int | None = None
    analysis: AnalysisResult


class RoundIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["2026年度述法报告预审"])


class RoundOut(BaseModel):
    id: int
    name: str
    created_at: str


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
    status: str | None = Field(None, examples=["整改中"], description="未启动/整改中/已完成待验收/已销号/退回重改")
    followup: str | None = Field(None, description="回头看结果（巩固/反弹/虚假整改），仅对已销号问题")
    note: str = Field("", max_length=5000)


class HistoryOut(BaseModel):
    at: str
    by: str
    from_status: str | None
    to_status: str
    note: str
