"""Request and response bodies of the JSON API (the OpenAPI document's schemas)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from nlp.doc import AnalysisResult, Decision, FollowUp, Kind, Label, Scope, Status, Visibility
from nlp.glossary import DISMISS_REASONS, FOLLOWUPS, STATUSES, code_for
from nlp.report.letter import LetterDraft, LetterParagraph

MAX_INT = 2**31 - 1  # offsets and indices fit a 32-bit integer: larger ones are a 422

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
    """A status change (or 回头看) in an issue's history."""

    kind: Literal["status"] = "status"
    at: str
    by: str
    from_status: Status | None
    to_status: Status
    note: str


class CorrectionHistoryOut(BaseModel):
    """A content correction in an issue's history (as ``GET …/corrections`` gives it): the fields a reviewer changed,
    before and after (``target`` ``issue``), or the problem a reviewer added (``added_issue``, ``before`` empty)."""

    kind: Literal["correction"] = "correction"
    at: str
    by: str
    correction_id: int
    target: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str = ""


IssueHistoryOut = Annotated[HistoryOut | CorrectionHistoryOut, Field(discriminator="kind")]


# -- reviewers' corrections -----------------------------------------------------------------------------------------

def _domain_code(value: str | None) -> str | None:
    from nlp.glossary import EXTRA_DOMAINS
    from nlp.taxonomy import load_taxonomy

    if value is not None and value not in (*load_taxonomy().codes, *EXTRA_DOMAINS):
        raise ValueError(f"not a domain code of the taxonomy: {value[:80]!r}")
    return value


DomainCode = Annotated[str | None, Field(None, max_length=64, description="领域代码（taxonomy）",
                                         examples=["law_enforcement"]), AfterValidator(_domain_code)]
DISMISS_HELP = "不是问题时设为 true（须填 reason，如：" + "、".join(DISMISS_REASONS) + "，或其他说明）；false 为恢复。"
ISSUE_FIELDS = ("text", "domain", "visibility", "scope", "problem_type", "group", "dismissed")


class IssuePatch(StatusIn):
    """A status change (``status`` / ``followup``), a content correction (the other fields), or both. Fields left
    out are not changed; ``scope``, ``problem_type`` and ``group`` may be set to null."""

    text: str | None = Field(None, min_length=1, max_length=2000)
    domain: DomainCode = None
    visibility: Visibility | None = None
    scope: Scope | None = None
    problem_type: str | None = Field(None, max_length=80, description="问题类型代码（problem_types），或 null")
    group: str | None = Field(None, max_length=80,
                              description="移入批次中的问题组（编号如 T-类型代码、G-问题编号）；null 为单独成组")
    dismissed: bool | None = Field(None, description=DISMISS_HELP)
    reason: str = Field("", max_length=500, description="排除理由")

    @model_validator(mode="after")
    def _check(self) -> IssuePatch:
        from nlp.problem_types import load_problem_types

        if self.dismissed and not self.reason.strip():
            raise ValueError("dismissing an issue needs a reason")
        if self.problem_type is not None and self.problem_type not in load_problem_types():
            raise ValueError(f"not a problem type code: {self.problem_type!r}")
        for name in ("text", "domain", "visibility", "dismissed"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self

    def corrections(self) -> dict[str, object]:
        """The content fields given, as a correction's ``after`` (``reason`` goes with ``dismissed``)."""
        after: dict[str, object] = {k: getattr(self, k) for k in ISSUE_FIELDS if k in self.model_fields_set}
        if "dismissed" in after:
            after["reason"] = self.reason.strip() if self.dismissed else None
        return {k: (v.value if hasattr(v, "value") else v) for k, v in after.items()}


class IssueIn(BaseModel):
    """A problem the machine missed: ``document.text[start:end]``."""

    start: int = Field(ge=0, le=MAX_INT)
    end: int = Field(ge=1, le=MAX_INT)
    domain: DomainCode = None
    visibility: Visibility | None = None
    note: str = Field("", max_length=5000)


class SentenceLabelIn(BaseModel):
    i: int = Field(ge=0, le=MAX_INT, description="句子编号（analysis.sentences[].i）")
    label: Label


class VerdictIn(BaseModel):
    decision: Decision
    reason: str = Field(min_length=1, max_length=2000, description="改判理由（必填）")


class ReportPatch(BaseModel):
    """Corrections of a report: its unit, kind or year, sentence roles, and the verdict (override)."""

    unit: str | None = Field(None, min_length=1, max_length=200)
    kind: Kind | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    sentences: list[SentenceLabelIn] = Field(default_factory=list, max_length=5000)
    verdict: VerdictIn | None = Field(None,
                                      description="改判预审结论；null 为撤销改判（结论回到按更正重新计算的机器结论）")
    note: str = Field("", max_length=5000)

    @model_validator(mode="after")
    def _check(self) -> ReportPatch:
        for name in ("unit", "kind", "year"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        if self.unit is not None and not self.unit.strip():
            raise ValueError("unit may not be blank")
        return self

    def verdict_correction(self) -> dict[str, object] | None:
        """The verdict correction's ``after``: the override, ``{"decision": None}`` for ``"verdict": null`` (a
        withdrawal), or None when ``verdict`` is left out."""
        if self.verdict is not None:
            return self.verdict.model_dump(mode="json")
        return {"decision": None} if "verdict" in self.model_fields_set else None

    def document(self) -> dict[str, object]:
        out = {k: getattr(self, k) for k in ("unit", "kind", "year") if getattr(self, k) is not None}
        if "unit" in out:
            out["unit"] = str(out["unit"]).strip()
        return {k: (v.value if hasattr(v, "value") else v) for k, v in out.items()}


class CorrectionOut(BaseModel):
    id: int
    at: str
    by: str
    target: str
    issue_id: str | None = None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str = ""


LetterIn = LetterDraft  # PUT /reports/{id}/letter: title, recipient, paragraphs


class LetterOut(BaseModel):
    decision: Decision
    title: str
    number: str | None = None
    recipient: str | None = None
    paragraphs: list[LetterParagraph]
    edited: bool
    edited_by: str | None = None
    edited_at: str | None = None
