"""The 文号 of the service's letters and 体检单: a per-year counter in the ``letter_numbers`` table, and the names
of the downloads (``修改建议函_望海市司法局_2024年度述法报告_20261207.docx``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.store import now
from api.tables import LetterDraftRow, LetterNumber
from api.tokens import Principal
from nlp.doc import AnalysisResult
from nlp.glossary import KINDS
from nlp.report.letter import LetterDraft, letter_draft
from nlp.report.word import LetterHead
from nlp.report.word import letter_number as letter_number_text

ATTEMPTS = 20  # another instance may take the same next number at once: the primary key refuses one, which retries


def letter_number(sessions: sessionmaker, report_id: str, kind: str, year: int) -> int:  # type: ignore[type-arg]
    """The number of ``report_id``'s ``kind`` letter in ``year``: the one it was given, else the year's next."""
    for _ in range(ATTEMPTS):
        with sessions() as s:
            row = s.scalar(select(LetterNumber.number).where(
                LetterNumber.report_id == report_id, LetterNumber.kind == kind, LetterNumber.year == year))
            if row is not None:
                return int(row)
            number = (s.scalar(select(func.max(LetterNumber.number)).where(LetterNumber.year == year)) or 0) + 1
            s.add(LetterNumber(year=year, number=number, report_id=report_id, kind=kind, created_at=now()))
            try:
                s.commit()
                return number
            except IntegrityError:
                s.rollback()
    raise RuntimeError(f"no letter number for report {report_id} after {ATTEMPTS} attempts")


def _clean(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' or ch.isspace() else ch for ch in text).strip("._")


def download_name(what: str, result: AnalysisResult, today: date, suffix: str = ".docx") -> str:
    """``修改建议函_望海市司法局_2024年度述法报告_20261207.docx``: the parts that are known, in that order."""
    doc = result.document
    kind = KINDS.get(doc.kind, "") if doc.kind != "other" else "报告"
    parts = [what, doc.unit or "", f"{doc.year}年度{kind}" if doc.year else kind, today.strftime("%Y%m%d")]
    return "_".join(_clean(p) for p in parts if _clean(p)) + suffix


# -- the letter's words: the machine's, or a reviewer's draft -------------------------------------------------------

UNKNOWN_UNIT = "未识别"  # the placeholder pages and summaries print for a unit not found: never a letter's addressee


def require_unit(result: AnalysisResult) -> None:
    """A letter goes to a unit: refuse (409 ``UNIT_REQUIRED``) a report whose unit is not known."""
    from api.errors import UnitRequiredError

    unit = (result.document.unit or "").strip()
    if not unit or UNKNOWN_UNIT in unit:
        raise UnitRequiredError("the report's unit is not known: set it first (PATCH /api/v1/reports/{id})")


def saved_draft(session: Session, report_id: str, decision: str) -> tuple[LetterDraft, LetterDraftRow] | None:
    """The newest draft a reviewer saved for the letter of ``decision`` (a draft of the other letter is not it)."""
    for row in session.scalars(select(LetterDraftRow).where(LetterDraftRow.report_id == report_id)
                               .order_by(LetterDraftRow.id.desc())):
        saved = json.loads(row.draft_json)
        if saved.get("decision") == decision:
            return LetterDraft.model_validate(saved["draft"]), row
    return None


def save_draft(session: Session, report_id: str, decision: str, draft: LetterDraft, who: Principal) -> LetterDraftRow:
    row = LetterDraftRow(report_id=report_id, at=now(), by=who.name, token_id=who.token_id,
                         draft_json=json.dumps({"decision": decision, "draft": draft.model_dump()}, ensure_ascii=False))
    session.add(row)
    return row


def given_number(session: Session, report_id: str, kind: str) -> int | None:
    """The 文号 number the letter was given already (the .docx gives one), else None: reading never takes one."""
    return session.scalar(select(LetterNumber.number).where(LetterNumber.report_id == report_id,
                                                            LetterNumber.kind == kind)
                          .order_by(LetterNumber.year.desc()).limit(1))


def letter_out(result: AnalysisResult, session: Session, report_id: str, head: LetterHead) -> dict[str, Any]:
    """``{title, number, recipient, paragraphs, edited, edited_by, edited_at, decision}``: the letter to edit."""
    decision = result.verdict.decision
    saved = saved_draft(session, report_id, decision)
    draft = saved[0] if saved else letter_draft(result, head.deadline_days)
    number = given_number(session, report_id, decision)
    year = session.scalar(select(LetterNumber.year).where(LetterNumber.report_id == report_id,
                                                          LetterNumber.kind == decision)
                          .order_by(LetterNumber.year.desc()).limit(1))
    return {"decision": decision, "title": draft.title,
            "number": letter_number_text(head.prefix, year, number) if number and year else None,
            "recipient": draft.recipient, "paragraphs": [p.model_dump() for p in draft.paragraphs],
            "edited": saved is not None, "edited_by": saved[1].by if saved else None,
            "edited_at": saved[1].at if saved else None}
