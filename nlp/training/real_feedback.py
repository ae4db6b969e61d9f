"""A reviewer simulated from a real round's gold (``benchmarks/feedback_loop.py``): the corrections a reviewer would
make to an analysis knowing only what the gold says, namely which passages state problems and whether each is
explicit or latent.

- a sentence holding a gold problem (its quote, word for word, overlaps the sentence) that the machine labelled
  otherwise → ``sentence`` correction to ``problem``. The round scorer's looser rule (a shared run of four
  characters covering half the quote) also takes in task sentences that echo a problem's words (a problem “某项
  能力还需提升” against the task “提升某项能力”): a reviewer would not call those problems;
- an issue matching no gold problem → ``issue`` dismissed as not a problem (非问题);
- an issue matching a gold problem with the other visibility → ``issue`` correction of its ``visibility``;
- a problem sentence that neither holds nor echoes a gold problem, outside a dismissed issue → ``sentence``
  correction to the role of the part it stands in (review → achievement, tasks → measure, causes → cause, else
  other): the gold says only that it states no problem, and a reviewer would pick the role the structure shows;
- a gold problem no issue matches → ``added_issue`` with its offsets in the document text.

Issues and gold problems match by the round scorer's rule (``nlp.training.real``); issues of missing required
content (``omission``) are left alone, as the scorer leaves them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from nlp.doc import AnalysisResult, Issue, Label, Sentence
from nlp.feedback import FeedbackExample, SentenceContext, Target
from nlp.glossary import DISMISS_REASONS
from nlp.segment.parts import read_parts
from nlp.training.adapt import PART_LABELS
from nlp.training.real import RealDocument, _hit, _norm, _overlap, gold_problem_sentences

SIMULATED_AT = "2026-01-01T00:00:00+00:00"
SIMULATED_BY = "simulated-reviewer"


def _issue_text(issue: Issue) -> str:
    return _norm(" ".join(e.text for e in issue.evidence) or issue.text)


def _machine(issue: Issue) -> dict[str, Any]:
    return {"text": issue.text, "domain": issue.domain, "visibility": issue.visibility, "vague": issue.vague}


def quote_spans(doc: RealDocument, text: str) -> list[tuple[int, int]]:
    """(start, end) of every place the document's text quotes one of its gold problems word for word."""
    out = []
    for p in doc.problems:
        start = text.find(p.quote)
        while p.quote and start >= 0:
            out.append((start, start + len(p.quote)))
            start = text.find(p.quote, start + 1)
    return out


def reviewer_corrections(doc: RealDocument, result: AnalysisResult) -> list[FeedbackExample]:
    """The corrections a reviewer who knows ``doc``'s gold makes to ``result`` (see the module's docstring)."""
    text = result.document.text
    parts, _ = read_parts(text, result.sections, result.sentences)
    part_of = {s.i: part for s, part in zip(result.sentences, parts, strict=True)}
    n = max(len(text), 1)
    out: list[FeedbackExample] = []

    def example(target: Target, what: str, key: str, **fields: Any) -> None:
        digest = hashlib.sha256(f"{result.document.id}|{target}|{key}".encode()).hexdigest()[:16]
        out.append(FeedbackExample(id=f"sim-{digest}", at=SIMULATED_AT, by=SIMULATED_BY, target=target,
                                   document=result.document.id, document_kind=str(result.document.kind),
                                   unit=doc.unit, text=what, **fields))

    def context(s: Sentence) -> SentenceContext:
        return SentenceContext(i=s.i, part=part_of[s.i], position=min(s.start / n, 1.0), speaker=s.speaker)

    by_i = {s.i: s for s in result.sentences}
    quotes = [(_norm(p.quote), p) for p in doc.problems]
    issues = [i for i in result.issues if i.latent_basis != "omission"]
    dismissed: set[int] = set()
    for issue in issues:
        t = _issue_text(issue)
        hits = [(_overlap(q, t), p) for q, p in quotes if _hit(q, t)]
        first = by_i.get(issue.sentences[0]) if issue.sentences else None
        where = {"issue_id": issue.id, "start": issue.evidence[0].start if issue.evidence else None,
                 "end": issue.evidence[-1].end if issue.evidence else None,
                 "context": context(first) if first else None, "machine": _machine(issue)}
        if not hits:
            dismissed |= set(issue.sentences)
            example(Target.ISSUE, issue.text, issue.id,
                    answer={"dismissed": True, "reason": DISMISS_REASONS[0]}, **where)
            continue
        best = max(hits, key=lambda h: h[0])[1]
        if issue.visibility != best.visibility:
            example(Target.ISSUE, issue.text, issue.id, answer={"visibility": best.visibility}, **where)
    spans = quote_spans(doc, text)
    for s, echo in zip(result.sentences, gold_problem_sentences(doc, result), strict=True):
        machine = {"label": s.label, "score": s.score}
        holds = any(a < s.end and s.start < b for a, b in spans)
        if holds and s.label != Label.PROBLEM:
            example(Target.SENTENCE, s.text, f"s{s.i}", context=context(s), start=s.start, end=s.end,
                    answer={"label": Label.PROBLEM.value}, machine=machine)
        elif not holds and not echo and s.label == Label.PROBLEM and s.i not in dismissed:
            role = PART_LABELS.get(part_of[s.i] or "", Label.OTHER.value)
            example(Target.SENTENCE, s.text, f"s{s.i}", context=context(s), start=s.start, end=s.end,
                    answer={"label": role}, machine=machine)
    found = [_issue_text(i) for i in issues]
    for k, (q, p) in enumerate(quotes):
        start = text.find(p.quote)
        if start < 0 or any(_hit(q, t) for t in found):
            continue
        end = start + len(p.quote)
        holder = next((s for s in result.sentences if s.start <= start < s.end), None)
        example(Target.ADDED_ISSUE, text[start:end], f"g{k}", start=start, end=end,
                context=context(holder) if holder else None,
                answer={"text": text[start:end], "visibility": p.visibility}, machine={})
    return out
