"""The 文号 of the service's letters and 体检单: a per-year counter in the ``letter_numbers`` table, and the names
of the downloads (``修改建议函_望海市司法局_2024年度述法报告_20261207.docx``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from api.store import now
from api.tables import LetterNumber
from nlp.doc import AnalysisResult
from nlp.glossary import KINDS

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
