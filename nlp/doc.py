"""The one data model: a normalized text and frozen views onto it.

Field names follow ``shared/contracts/analysis.schema.json``. All offsets are character offsets into
``Document.text``. Stages never mutate these objects; they return copies (``model_copy(update=...)``).
"""

from __future__ import annotations

import bisect
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

# The vocabularies: English codes (what JSON, the database and the code carry); Chinese words for them live in
# ``nlp.glossary``. Each is a ``StrEnum``, so a member equals and serializes as its code.


class Kind(StrEnum):
    """The kind of document (``shared/contracts/analysis.schema.json`` → ``document.kind``)."""

    SHUFA_REPORT = "shufa_report"
    ANNUAL_REPORT = "annual_report"
    SELF_REPORT = "self_report"
    RECTIFICATION_REPORT = "rectification_report"
    WORK_REPORT = "work_report"
    FEEDBACK = "feedback"
    NEWS = "news"
    TRANSCRIPT = "transcript"
    OTHER = "other"


NON_REPORT_KINDS: frozenset[Kind] = frozenset({Kind.TRANSCRIPT, Kind.FEEDBACK, Kind.NEWS})
"""Kinds that are not reports under review: no verdict checks, no checklist of their own in a round."""


class Label(StrEnum):
    """A sentence's role."""

    ACHIEVEMENT = "achievement"
    PROBLEM = "problem"
    CAUSE = "cause"
    MEASURE = "measure"
    OTHER = "other"


class SectionRole(StrEnum):
    """What a section of a report is about."""

    ACHIEVEMENTS = "achievements"
    PROBLEMS = "problems"
    CAUSES = "causes"
    MEASURES = "measures"
    OTHER = "other"


class Decision(StrEnum):
    """The pre-review verdict."""

    PASS = "pass"
    REVISE = "revise"
    RETURN = "return"
    NOT_APPLICABLE = "not_applicable"  # the contract's: not a report of a kind that is reviewed (NOT_A_REPORT)


class ItemSource(StrEnum):
    """Where a checklist item comes from."""

    SELF_REPORT = "self_report"
    INTERVIEW = "interview"
    FEEDBACK = "feedback"
    INDICATOR = "indicator"
    OMISSION = "omission"


class Visibility(StrEnum):
    EXPLICIT = "explicit"
    LATENT = "latent"


class LatentBasis(StrEnum):
    """Why a latent issue is one."""

    HEDGED = "hedged"
    INDICATOR = "indicator"
    OMISSION = "omission"
    CROSS_SOURCE = "cross_source"


class Scope(StrEnum):
    """A problem shared by several units in a round (common) or one unit's own (specific)."""

    COMMON = "common"
    SPECIFIC = "specific"


class Status(StrEnum):
    """Where a checklist item stands in rectification (``nlp.checklist.status`` has the lifecycle)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    FOR_ACCEPTANCE = "for_acceptance"  # done by the unit, awaiting the reviewers' acceptance
    CLOSED = "closed"  # accepted: the item is struck off (销号)
    REOPENED = "reopened"  # acceptance failed: sent back to be redone


class FollowUp(StrEnum):
    """The result of a follow-up check (回头看) on a closed item."""

    CONSOLIDATED = "consolidated"
    REBOUNDED = "rebounded"
    SHAM = "sham"  # the rectification was only on paper


Script = Literal["simplified", "traditional", "mixed"]
KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
LABELS: tuple[str, ...] = tuple(x.value for x in Label)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True)  # fields hold the plain codes

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: object) -> object:
        """Computed fields (``Document.chars``, ``CommonProblem.title`` …) are derived: accepted on input, as a saved
        result carries them, and recomputed."""
        derived = cls.model_computed_fields
        if derived and isinstance(data, dict) and data.keys() & derived.keys():
            data = {k: v for k, v in data.items() if k not in derived}
        return data


class Span(_Frozen):
    """A piece of ``Document.text``: ``text == document.text[start:end]``. ``document`` names another file when the
    span lies in it (a transcript quoted as evidence against a report); it is left out of the JSON when unset."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    document: str | None = Field(default=None, exclude_if=lambda v: v is None)

    @model_validator(mode="after")
    def _check_length(self) -> Span:
        if self.end < self.start or self.end - self.start != len(self.text):
            raise ValueError(f"span [{self.start}, {self.end}) does not match its text of length {len(self.text)}")
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``text[start:end]``."""
        return cls(start=start, end=end, text=text[start:end])


class Document(_Frozen):
    """A parsed file: normalized text plus what is known about it.

    ``page_starts[k]`` is the offset in ``text`` where page ``k + 1`` begins (PDF only; empty otherwise).
    """

    id: str
    filename: str
    kind: Kind = Kind.OTHER
    unit: str | None = None
    title: str | None = None
    year: int | None = None
    pages: int | None = None
    script: Script = "simplified"
    text: str
    warnings: tuple[str, ...] = ()
    media_type: str = "text/plain"
    page_starts: tuple[int, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def chars(self) -> int:
        return len(self.text)

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None when the source had no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)


class Section(_Frozen):
    """A heading and the text it governs, ``[start, end)``; ``parent`` indexes the enclosing section."""

    title: str
    level: int = Field(ge=1)
    start: int
    end: int
    heading_end: int
    role: SectionRole | None = None
    parent: int | None = None


class Sentence(_Frozen):
    """One body sentence. ``label`` and ``score`` are None until a classifier sets them."""

    i: int
    start: int
    end: int
    text: str
    section: int | None = None
    speaker: str | None = None
    label: Label | None = None
    score: float | None = None


class ParsedDocument(_Frozen):
    """What ``prereview parse`` prints: the document, its sections and its (unlabelled) sentences."""

    document: Document
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()


class Indicator(_Frozen):
    """A figure the report cites, matched to the taxonomy's indicator list."""

    name: str
    value: float
    unit: str | None = "%"
    start: int
    end: int
    alert: bool
    sentence: int | None = None


class Recurrence(_Frozen):
    """A problem the same unit already reported in an earlier round (屡改屡犯): the earlier round's name, its wording
    there, and the problem type both share (None when the wordings matched, for an issue no type fits)."""

    round: str | None = None
    text: str
    problem_type: str | None = None


def _unset(value: object) -> bool:
    return value is None


class Issue(_Frozen):
    """One checklist item: a problem the report states, implies, or leaves out."""

    id: str
    text: str
    domain: str
    visibility: Visibility
    latent_basis: LatentBasis | None = None
    scope: Scope | None = None
    vague: bool
    evidence: tuple[Span, ...] = ()
    measure: Span | None = None
    sentences: tuple[int, ...] = ()
    group: str | None = None  # the round's problem group (set by the round step; None outside a round)
    problem_type: str | None = None  # a fine-grained problem type, when one fits
    # the same unit's problem of an earlier round that this one repeats (set by the round step given one)
    recurring: Recurrence | None = Field(default=None, exclude_if=_unset)
    # a reviewer's corrections (``nlp.review.corrections``), left out of the JSON while unset, so that an
    # analysis nobody corrected serialises as it always did:
    dismissed: bool = Field(default=False, exclude_if=lambda v: not v)  # not a problem: kept, but not counted
    dismissed_reason: str | None = Field(default=None, exclude_if=lambda v: v is None)
    origin: Literal["machine", "reviewer"] = Field(default="machine", exclude_if=lambda v: v == "machine")
    # a reviewer put the issue in ``group`` (its type's group when they gave its type): the round step groups it there
    moved: bool = Field(default=False, exclude_if=lambda v: not v)


class Metrics(_Frozen):
    problem_share: float
    achievement_share: float
    measure_share: float
    problems_total: int
    problems_vague: int
    problems_with_measure: int
    causes_total: int = 0
    achievement_heavy: bool = False
    indicators: tuple[Indicator, ...] = ()


class Reason(_Frozen):
    """Why a report is sent back: a stable code, a sentence to paste into a letter, and the evidence."""

    code: str
    message: str
    evidence: tuple[Span, ...] = ()


class MachineVerdict(_Frozen):
    """The machine's own decision, kept beside a reviewer's override."""

    decision: Decision
    reasons: tuple[Reason, ...] = ()


class VerdictOverride(_Frozen):
    """A reviewer's decision over the machine's: who, when and why."""

    decision: Decision
    reason: str
    by: str = ""
    at: str = ""


class Verdict(_Frozen):
    """``decision`` is the one that counts: the reviewer's when ``override`` is set, and then ``machine`` holds
    what the machine decided (both left out of the JSON when unset)."""

    decision: Decision
    reasons: tuple[Reason, ...] = ()
    machine: MachineVerdict | None = Field(default=None, exclude_if=lambda v: v is None)
    override: VerdictOverride | None = Field(default=None, exclude_if=lambda v: v is None)


class AnalysisResult(_Frozen):
    """The pre-review of one document: the contract of ``prereview analyze --format json`` and the API."""

    schema_version: Literal["1"] = "1"
    document: Document
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...]
    metrics: Metrics
    verdict: Verdict
    issues: tuple[Issue, ...]


class StatusChange(_Frozen):
    """One entry of an item's history: who changed what, when, and why."""

    at: str
    by: str
    from_status: Status | None
    to_status: Status
    note: str = ""


class ChecklistItem(_Frozen):
    """One row of the problem archive (问题清单), with the fields of shared/docs/domain.md."""

    number: int
    issue_id: str
    round: str | None = None
    source: ItemSource = ItemSource.SELF_REPORT
    unit: str | None = None
    document: str
    original: str
    start: int | None = None
    end: int | None = None
    page: int | None = None
    text: str
    domain: str
    domain_name: str
    visibility: Visibility
    latent_basis: LatentBasis | None = None
    scope: Scope | None = None
    common_group: str | None = None
    vague: bool = False
    severity: Literal["高", "中", "低"] = "中"
    responsible_unit: str | None = None
    responsible_person: str | None = None
    measure: str | None = None
    target: str | None = None
    deadline: str | None = None
    status: Status = Status.NOT_STARTED
    acceptance_note: str | None = None
    acceptance_date: str | None = None
    followup: FollowUp | None = None
    history: tuple[StatusChange, ...] = ()
    recurring: Recurrence | None = Field(default=None, exclude_if=_unset)  # as on its issue
    # set by a reviewer's corrections (``nlp.review.corrections``), left out of the JSON while unset:
    problem_type: str | None = Field(default=None, exclude_if=lambda v: v is None)
    dismissed: bool = Field(default=False, exclude_if=lambda v: not v)
    dismissed_reason: str | None = Field(default=None, exclude_if=lambda v: v is None)
    origin: Literal["machine", "reviewer"] = Field(default="machine", exclude_if=lambda v: v == "machine")


class UnitChecklist(_Frozen):
    """The 法治体检单 of one unit: strengths, problems, verdict. ``unit`` is empty when not known; ``title`` is the
    document's own title."""

    unit: str
    round: str | None = None
    document: str
    title: str | None = None
    decision: Decision
    reasons: tuple[Reason, ...] = ()
    strengths: tuple[str, ...] = ()
    items: tuple[ChecklistItem, ...] = ()


class CommonProblem(_Frozen):
    """A problem group of a round: its title (one member's line today), domain, scope, member issue ids and the
    units (names) that have it. The round's 共性问题清单 lists the groups whose scope is common."""

    id: str
    text: str
    domain: str
    domain_name: str
    units: tuple[str, ...]
    members: tuple[str, ...]
    scope: Scope | None = Scope.COMMON
    problem_type: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def title(self) -> str:
        return self.text

    @computed_field  # type: ignore[prop-decorator]
    @property
    def issues(self) -> int:
        return len(self.members)
