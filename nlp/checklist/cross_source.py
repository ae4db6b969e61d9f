"""What interviews say that the unit's report does not: contradicted claims and problems left out.

- A claim in the report (an absolute: 100%, 全覆盖, 全部…) that an interview sentence about the same thing limits
  or denies (只有, 没有, 不是, 超过了…) becomes a CLAIM_CONTRADICTED reason with both sides quoted.
- A problem an interviewee raises that no issue of the report resembles becomes a latent ``cross_source`` item on
  the unit's checklist, with the transcript as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nlp.classify.encoders import Encoder
from nlp.doc import AnalysisResult, ChecklistItem, Reason, Sentence, Span
from nlp.extract.indicators import ALIASES
from nlp.taxonomy import load_taxonomy

CLAIM = re.compile(r"100%|百分之百|全覆盖|全部|均已|均在|均按|无一|从未|零差错|实现了?全")
DENIAL = re.compile(r"只有|仅有|仅\d|没有|未能|未经|并未|不是|并非|超过了|超期|还有\d+|不准确|说实话|严格说|实际上|其实|代为|不全")
MIN_TOPIC = 0.45  # encoder similarity for “about the same thing”, before the shared-term bonus
MIN_NEW_PROBLEM = 0.6  # below this similarity to every report issue, an interview problem is new
_TERMS = [a for aliases in ALIASES.values() for a in aliases] + [c for d in load_taxonomy().domains for c in d.cues]


@dataclass(frozen=True)
class Contradiction:
    claim: Span  # in the report
    transcript: str  # the transcript's filename
    statement: Span  # in the transcript
    score: float


def _terms(text: str) -> set[str]:
    return {t for t in _TERMS if t in text} | {w for w in ("出庭", "合法性审查", "执法记录", "报备", "备案", "投诉", "办结",
                                                            "记录仪", "三项制度", "审核") if w in text}


def _speech(result: AnalysisResult) -> list[Sentence]:
    """What interviewees said: sentences of answers, not the interviewers' questions or the header."""
    return [s for s in result.sentences if s.speaker and s.speaker not in ("谈话人",) and not s.text.endswith("？")]


def find_contradictions(report: AnalysisResult, transcripts: list[AnalysisResult], encoder: Encoder) -> list[Contradiction]:
    claims = [s for s in report.sentences if s.label in ("achievement", "other") and CLAIM.search(s.text)]
    said = [(t.document.filename, s) for t in transcripts for s in _speech(t) if DENIAL.search(s.text)]
    if not claims or not said:
        return []
    sims = encoder.encode([c.text for c in claims]) @ encoder.encode([s.text for _, s in said]).T
    out = []
    for i, claim in enumerate(claims):
        terms = _terms(claim.text)
        scores = [float(sims[i, j]) + (0.15 if terms & _terms(s.text) else 0.0) for j, (_, s) in enumerate(said)]
        j = int(np.argmax(scores))
        if scores[j] >= MIN_TOPIC + 0.15 and terms & _terms(said[j][1].text):
            name, s = said[j]
            out.append(Contradiction(Span(start=claim.start, end=claim.end, text=claim.text), name,
                                     Span(start=s.start, end=s.end, text=s.text), round(scores[j], 3)))
    return out


def contradiction_reason(c: Contradiction) -> Reason:
    quote = c.statement.text if len(c.statement.text) <= 80 else c.statement.text[:80] + "……"
    return Reason(code="CLAIM_CONTRADICTED",
                  message=f"报告称“{c.claim.text[:60]}”，但谈话中反映“{quote}”（见{c.transcript}），请核实并如实修改。",
                  evidence=(c.claim,))


def new_problems(report: AnalysisResult, transcripts: list[AnalysisResult], encoder: Encoder) -> list[tuple[str, Sentence]]:
    """(transcript filename, sentence) of interview problems that no report issue resembles."""
    raised = [(t.document.filename, t, i) for t in transcripts for i in t.issues if i.latent_basis != "omission"]
    if not raised:
        return []
    stated = [i.text for i in report.issues if i.latent_basis not in ("omission", "indicator")]
    emb = encoder.encode([i.text for _, _, i in raised])
    best = (emb @ encoder.encode(stated).T).max(axis=1) if stated else np.zeros(len(raised))
    out = []
    for (name, t, issue), score in zip(raised, best, strict=True):
        if score < MIN_NEW_PROBLEM and issue.sentences:
            sent = next(s for s in t.sentences if s.i == issue.sentences[0])
            if sent.speaker != "谈话人":
                out.append((name, sent))
    return out


def cross_source_items(report: AnalysisResult, transcripts: list[AnalysisResult], encoder: Encoder,
                       round_name: str | None = None, start_number: int = 1) -> list[ChecklistItem]:
    """Checklist rows (隐性, 谈话反映) for the problems only the unit's interviews raise: leads to verify."""
    tax = load_taxonomy()
    by_name = {t.document.filename: t for t in transcripts}
    rows = []
    for k, (name, sent) in enumerate(new_problems(report, transcripts, encoder)):
        issue = next(i for i in by_name[name].issues if i.sentences and i.sentences[0] == sent.i)
        rows.append(ChecklistItem(
            number=start_number + k, issue_id=issue.id, round=round_name, source="interview",
            unit=report.document.unit, document=name, original=sent.text, start=sent.start, end=sent.end,
            text=issue.text, domain=issue.domain, domain_name=tax.name(issue.domain), visibility="latent",
            latent_basis="cross_source", vague=issue.vague, severity="高", responsible_unit=report.document.unit))
    return rows
