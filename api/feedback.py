"""Every correction as a labelled example (``nlp.feedback.FeedbackExample``): ``GET /api/v1/feedback`` and
``prereview feedback export`` write these lines.

Each example carries the reviewer's answer and the machine's, read from the stored machine analysis
(``reports.result_json``), and, for a sentence, where it stands (its part of the report and its position).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.corrections import analysis_issue_id, as_correction
from api.tables import CorrectionRow, Report
from nlp.config import AnalysisConfig
from nlp.doc import AnalysisResult
from nlp.feedback import FeedbackExample, SentenceContext, Target
from nlp.review.corrections import apply_corrections
from nlp.segment.parts import sentence_parts

BATCH = 500


def since_utc(text: str | None) -> str | None:
    """``since`` (an ISO time; UTC when it names no zone) as the stored times are written: UTC, microseconds. None
    for no text; ValueError when it is no ISO time."""
    if not text or not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip())
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError as err:
        raise ValueError(str(err)) from None
    return when.isoformat(timespec="microseconds")


def feedback_examples(session: Session, config: AnalysisConfig, since: str | None = None) -> Iterator[FeedbackExample]:
    """One example per correction made at or after ``since`` (an ISO time in UTC, as ``store.now`` writes them),
    oldest first; a report's analysis is read once for all its corrections."""
    q = select(CorrectionRow).order_by(CorrectionRow.report_id, CorrectionRow.id)
    if since:
        q = q.where(CorrectionRow.at >= since)
    rows = list(session.scalars(q))
    out: list[FeedbackExample] = []
    for k in range(0, len(rows), BATCH):
        chunk = rows[k:k + BATCH]
        reports = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_({c.report_id for c in chunk})))}
        current: tuple[str, AnalysisResult, AnalysisResult, list[str | None]] | None = None
        for row in chunk:
            if current is None or current[0] != row.report_id:
                current = _report_state(session, reports[row.report_id], config)
            out.append(example(row, reports[row.report_id], *current[1:]))
    yield from sorted(out, key=lambda e: (e.at, e.id))


def _report_state(session: Session, report: Report, config: AnalysisConfig
                  ) -> tuple[str, AnalysisResult, AnalysisResult, list[str | None]]:
    machine = AnalysisResult.model_validate_json(report.result_json)
    every = session.scalars(select(CorrectionRow).where(CorrectionRow.report_id == report.id)
                            .order_by(CorrectionRow.id))
    fixed = apply_corrections(machine, [as_correction(r) for r in every], config)
    parts = sentence_parts(machine.document.text, machine.sections, machine.sentences)
    return report.id, machine, fixed, parts


def example(row: CorrectionRow, report: Report, machine: AnalysisResult, fixed: AnalysisResult,
            parts: list[str | None]) -> FeedbackExample:
    """The labelled example of one correction."""
    after: dict[str, Any] = json.loads(row.after_json)
    doc = machine.document
    base = {"id": f"{report.id}:{row.id}", "at": row.at, "by": row.by, "target": row.target, "report_id": report.id,
            "document": doc.id, "document_kind": fixed.document.kind, "unit": fixed.document.unit,
            "issue_id": row.issue_id, "text": doc.title or doc.filename}
    if row.target == Target.SENTENCE:
        k = next(k for k, s in enumerate(machine.sentences) if s.i == after["i"])
        s = machine.sentences[k]
        context = SentenceContext(i=s.i, part=parts[k] if k < len(parts) else None,
                                  position=min(1.0, s.start / max(1, len(doc.text))), speaker=s.speaker)
        return FeedbackExample(**base | {"text": s.text, "start": s.start, "end": s.end, "context": context,
                                         "answer": {"label": after["label"]},
                                         "machine": {"label": s.label, "score": s.score}})
    if row.target == Target.ISSUE:
        wanted = analysis_issue_id(report.id, row.issue_id)
        issue = next((i for i in machine.issues if i.id == wanted), None)
        shown = issue or next((i for i in fixed.issues if i.id == wanted), None)
        first = shown.evidence[0] if shown and shown.evidence else None
        mine = {k: getattr(issue, k) for k in after if k != "reason" and issue is not None and hasattr(issue, k)}
        if issue is not None and "dismissed" in after:
            mine["dismissed"] = False
        return FeedbackExample(**base | {"text": shown.text if shown else "", "start": first and first.start,
                                         "end": first and first.end, "answer": after, "machine": mine})
    if row.target == Target.ADDED_ISSUE:
        answer = {k: after[k] for k in ("text", "domain", "visibility") if k in after}
        return FeedbackExample(**base | {"text": doc.text[after["start"]:after["end"]], "start": after["start"],
                                         "end": after["end"], "answer": answer, "machine": {}})
    if row.target == Target.VERDICT:
        v = machine.verdict
        return FeedbackExample(**base | {"answer": after, "machine": {"decision": v.decision,
                                                                      "reasons": [r.code for r in v.reasons]}})
    return FeedbackExample(**base | {"answer": after, "machine": {k: getattr(doc, k) for k in after}})
