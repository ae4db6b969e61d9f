"""A report's text as HTML for the report page: one paragraph a line, sentences coloured by role, evidence marked.

Pure functions of an ``AnalysisResult``; every piece of text is escaped.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from nlp.doc import AnalysisResult, Reason, Span
from nlp.glossary import LABELS as LABEL_NAMES


@dataclass(frozen=True)
class Mark:
    """A highlighted range of the text and the keys of what points at it (``r0``: reason 0, ``q2``: issue 2's
    evidence, ``m2``: issue 2's measure)."""

    start: int
    end: int
    key: str


def split_evidence(reason: Reason, filename: str) -> tuple[list[Span], list[Span]]:
    """(spans in this document, spans in another file): a transcript quoted against the report names its file in
    ``document``, and its offsets point into that file, not into this text."""
    own = [e for e in reason.evidence if e.document is None or e.document == filename]
    return own, [e for e in reason.evidence if e not in own]


def evidence_marks(result: AnalysisResult) -> list[Mark]:
    marks = []
    for k, reason in enumerate(result.verdict.reasons):
        marks += [Mark(e.start, e.end, f"r{k}") for e in split_evidence(reason, result.document.filename)[0]]
    for k, issue in enumerate(result.issues):
        marks += [Mark(e.start, e.end, f"q{k}") for e in issue.evidence]
        if issue.measure is not None:
            marks.append(Mark(issue.measure.start, issue.measure.end, f"m{k}"))
    n = len(result.document.text)
    return [m for m in marks if 0 <= m.start < m.end <= n]


def render_text(result: AnalysisResult) -> Markup:
    """The document as HTML: one ``<p>`` per line, sentences as ``<span class="s r-<role>">``, evidence as
    ``<mark class="ev" data-ev="r0 q1">``; headings and the title styled. Every piece of text is escaped.

    Each run of text (a ``span``, within one line) carries ``data-o``, the offset of its first character in
    ``document.text``: a run holds ``text[o : o + len(run.textContent)]``, so a selection in the page maps back to
    offsets exactly (the reviewer's 添加为问题)."""
    doc = result.document
    text = doc.text
    n = len(text)
    sentences = sorted(result.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    marks = evidence_marks(result)
    headings = [(sec.start, sec.heading_end, sec.level) for sec in result.sections if sec.heading_end > sec.start]
    cuts = {0, n}
    for s in sentences:
        cuts.update((max(0, min(n, s.start)), max(0, min(n, s.end))))
    for m in marks:
        cuts.update((m.start, m.end))
    cuts.update(k for k, ch in enumerate(text) if ch == "\n")
    cuts.update(k + 1 for k, ch in enumerate(text) if ch == "\n")
    points = sorted(cuts)

    def sentence_at(pos: int) -> Any:
        j = bisect.bisect_right(starts, pos) - 1
        if j >= 0 and sentences[j].start <= pos < sentences[j].end:
            return sentences[j]
        return None

    out: list[str] = []
    line: list[str] = []
    line_start = 0
    run_sentence: Any = None
    run_open = False

    def close_run() -> None:
        nonlocal run_open
        if run_open:
            line.append("</span>")
            run_open = False

    def end_line(end: int) -> None:
        nonlocal line, line_start
        close_run()
        body = "".join(line)
        raw = text[line_start:end]
        if raw.strip():
            classes = ["ln"]
            level = next((lv for a, b, lv in headings if a <= line_start + (len(raw) - len(raw.lstrip())) < b), None)
            if doc.title and raw.strip() == doc.title.strip() and line_start < 200:
                classes.append("doc-title")
            elif level is not None and sentence_at(line_start) is None:
                classes.append(f"hd hd{min(level, 3)}")
            out.append(f'<p class="{" ".join(classes)}">{body}</p>')
        line = []
        line_start = end + 1

    for a, b in zip(points, points[1:], strict=False):
        if a >= b:
            continue
        piece = text[a:b]
        if piece == "\n":
            end_line(a)
            continue
        sent = sentence_at(a)
        if sent is not run_sentence or not run_open:
            close_run()
            run_sentence = sent
            if sent is not None:
                role = sent.label or "none"
                tip = f"第{sent.i + 1}句 · {LABEL_NAMES.get(role, '未标注')}"
                if sent.speaker:
                    tip += f" · 发言人 {sent.speaker}"
                if sent.score is not None:
                    tip += f"（置信度 {sent.score:.2f}）"
                line.append(f'<span class="s r-{escape(role)}" data-s="{sent.i}" data-o="{a}" title="{escape(tip)}">')
            else:
                line.append(f'<span class="x" data-o="{a}">')
            run_open = True
        keys = [m.key for m in marks if m.start <= a and b <= m.end]
        if keys:
            kinds = sorted({k[0] for k in keys})
            classes = " ".join(["ev", *(f"ev-{c}" for c in kinds)])
            line.append(f'<mark class="{classes}" data-ev="{" ".join(keys)}">{escape(piece)}</mark>')
        else:
            line.append(str(escape(piece)))
    end_line(n)
    return Markup("\n".join(out))
