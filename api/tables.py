"""The service's tables (SQLAlchemy 2). Results are kept whole as JSON; the columns are what we filter on.

The schema itself is created by the Alembic migrations in ``api/migrations``; a test checks they agree.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Token(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token; the token is never stored
    role: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[str] = mapped_column(String(32))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Round(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    dirty: Mapped[bool] = mapped_column(Boolean, default=True)  # reports changed since the round step last ran
    summary_json: Mapped[str | None] = mapped_column(Text)
    # the same units' earlier round, whose problems recur (屡改屡犯); None when not compared
    previous_round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", name="fk_rounds_previous_round"))


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("sha256", "round_key", name="uq_reports_sha_round"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    round_key: Mapped[int] = mapped_column(Integer, default=0)  # round id, or 0: NULLs never collide in a unique key
    filename: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"))
    result_json: Mapped[str] = mapped_column(Text)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done
    created_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"))


class JobFile(Base):
    __tablename__ = "job_files"
    __table_args__ = (UniqueConstraint("job_id", "position", name="uq_job_files_position"),
                      Index("ix_job_files_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # queued, running, done, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(64))  # the instance working it (running only)
    lease_until: Mapped[float | None] = mapped_column(Float)  # epoch seconds; past it, any instance may take it over
    code: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id"))


class IssueRow(Base):
    __tablename__ = "issues"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # report id + ":" + the analysis's issue id
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    domain: Mapped[str] = mapped_column(String(64), index=True)
    visibility: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    number: Mapped[int] = mapped_column(Integer)
    item_json: Mapped[str] = mapped_column(Text)  # the ChecklistItem, history included
    updated_at: Mapped[str] = mapped_column(String(32))


class IssueHistory(Base):
    """The audit trail of status changes: who, when, from, to, note."""

    __tablename__ = "issue_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id"), index=True)
    at: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(String(200))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class Instance(Base):
    """A running service instance: its heartbeat, and the marker it wrote in the file folder (``folder`` store)."""

    __tablename__ = "instances"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[float] = mapped_column(Float)  # epoch seconds of the last heartbeat
    marker: Mapped[str | None] = mapped_column(String(64))  # a nonce written under files/.instances/<id>


class Blob(Base):
    """Uploaded bytes, content-addressed, when the file store is the database (``PREREVIEW_FILE_STORE``)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LetterNumber(Base):
    """A 文号 given: the year's number of one report's letter (``kind``: revise, return or checkup)."""

    __tablename__ = "letter_numbers"
    __table_args__ = (UniqueConstraint("report_id", "kind", "year", name="uq_letter_numbers_letter"),)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))


class CorrectionRow(Base):
    """A reviewer's correction of a report's analysis (``nlp.review.corrections``): appended, never changed, so the
    table is the audit trail too (who, when, before, after). ``target`` is an ``nlp.feedback.Target`` code."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    issue_id: Mapped[str | None] = mapped_column(String(80), index=True)  # the checklist row's id (``issues.id``)
    target: Mapped[str] = mapped_column(String(16))
    at: Mapped[str] = mapped_column(String(32), index=True)
    by: Mapped[str] = mapped_column(String(200))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"))
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


class LetterDraftRow(Base):
    """A reviewer's draft of a report's letter (``nlp.report.letter.LetterDraft``): appended, the newest counts."""

    __tablename__ = "letter_drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    at: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(String(200))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"))
    draft_json: Mapped[str] = mapped_column(Text)
