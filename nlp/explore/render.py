"""One report as HTML: sentences coloured by role, issue badges, reasons with their evidence highlighted."""

from __future__ import annotations

import html

from nlp.doc import AnalysisResult, Reason, Span
from nlp.glossary import DECISIONS, LABELS, SCOPE, VISIBILITY
from nlp.taxonomy import load_taxonomy

COLORS = {"achievement": "#e8f4ea", "problem": "#fde2e1", "cause": "#fff1d6", "measure": "#e1ecfb", "other": "#ffffff"}


def render_report_html(result: AnalysisResult) -> str:
    """A self-contained HTML fragment (no scripts, no external resources)."""
    doc = result.document
    # offsets of evidence in another file (a transcript quoted against the report) mean nothing in this text
    evidence = {(e.start, e.end) for r in result.verdict.reasons for e in r.evidence if _own(e, doc.filename)}
    tax = load_taxonomy()
    legend = " ".join(f'<span style="background:{COLORS[k]};padding:1px 6px;border-radius:3px">{LABELS[k]}</span>'
                      for k in ("achievement", "problem", "cause", "measure"))
    parts = [f"<h3>{html.escape(doc.title or doc.filename)}</h3>",
             f"<p>结论：<b>{DECISIONS[result.verdict.decision]}</b>　"
             f"问题占比 {result.metrics.problem_share:.0%}　{legend}</p>"]
    if result.verdict.reasons:
        parts.append("<ol>" + "".join(f"<li><code>{r.code}</code> {html.escape(r.message)}"
                                      f"{_quotes(r, doc.filename)}</li>" for r in result.verdict.reasons) + "</ol>")
    body = []
    for s in result.sentences:
        mark = "outline:2px solid #c0392b;" if (s.start, s.end) in evidence else ""
        body.append(f'<span title="{LABELS.get(s.label or "other", "")} {s.score or 0:.2f}" '
                    f'style="background:{COLORS.get(s.label or "other", "#fff")};{mark}">{html.escape(s.text)}</span>')
    parts.append('<div style="line-height:1.9">' + "".join(body) + "</div>")
    rows = []
    for i in result.issues:
        badges = [tax.name(i.domain), VISIBILITY[i.visibility]]
        badges += [SCOPE.get(i.scope or "", "")] + (["空泛"] if i.vague else [])
        tags = "".join(f'<span style="border:1px solid #999;border-radius:8px;padding:0 6px;margin-right:4px;'
                       f'font-size:85%">{html.escape(b)}</span>' for b in badges if b)
        rows.append(f"<li>{html.escape(i.text)} {tags}</li>")
    parts.append("<h4>问题清单</h4><ul>" + "".join(rows) + "</ul>")
    return "\n".join(parts)


def _own(span: Span, filename: str) -> bool:
    return span.document is None or span.document == filename


def _quotes(reason: Reason, filename: str) -> str:
    """The reason's evidence from other files, each quoted on its own line with the file's name."""
    return "".join(f'<div style="margin:2px 0 2px 1em;color:#555">“{html.escape(e.text)}”'
                   f'（{html.escape(e.document or "")}）</div>' for e in reason.evidence if not _own(e, filename))
