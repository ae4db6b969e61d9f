"""What interviews say that the unit's report does not: contradicted claims and problems left out.

- **Contradiction.** A report sentence that claims something checkable (a count, 全部, 全覆盖, 100%, 均已…) and an
  interviewee's sentence that denies or limits it (有3件没有…, 只有1件, 不准确, 达不到; not a confirmation such as
  “7件都按时报了，没有超期的”), aligned by topic, not by position: meaning (encoder) of the two sentences and of
  their claim/failing clauses, words they share (weighted by rarity), the inspector's question the statement
  answers, and the counts (the statement repeats the claimed total, or its exception fits under it). Each claim
  and each statement is used once, best pairs first. It becomes a CROSS_SOURCE_CONTRADICTION reason with both
  spans as evidence (the statement's span names its transcript), and the claim's indicator is marked in alert
  (both applied by the round step, ``nlp.round``, which decides the verdict).
- **Omission.** A problem an interviewee raises that no sentence of the unit's report (problems, causes,
  measures, other; not achievements) says, by meaning or by wording, becomes a latent ``cross_source`` item on
  the unit's checklist with the transcript as evidence.

Weights and thresholds were set on generated rounds with seeds 7, 11, 13 and 17 (``nlp/training/corpus/
generate_transcripts.py``); ``prereview evaluate`` reports seed 29.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.checklist.claims import (
    UNIVERSAL,
    TopicOverlap,
    bigrams,
    claim_figures,
    claim_focus,
    confirms,
    counted,
    counts,
    limits,
    populations,
    said,
    stance,
    statement_focus,
)
from nlp.classify.encoders import Encoder
from nlp.config import CrossSourcePolicy
from nlp.doc import NON_REPORT_KINDS, AnalysisResult, ChecklistItem, Indicator, Kind, Metrics, Sentence, Span
from nlp.extract.issues import INDICATOR_DOMAINS, checklist_line
from nlp.taxonomy import load_taxonomy

_ITEMS = frozenset("件个项份")  # counters that count the same kind of thing
_EXPLAINS = re.compile(r"^(?:主要是|这是|是)?(?:由于|因为)|原因|根子|之所以|究其|所致|归根")


@dataclass(frozen=True)
class Contradiction:
    claim: Span  # in the report
    transcript: str  # the transcript's filename
    statement: Span  # in the transcript
    score: float
    claim_sentence: int  # the report sentence's index
    indicators: tuple[str, ...] = ()  # the indicators the claim cites


@dataclass(frozen=True)
class _Said:
    """One interviewee sentence, the words of it, and the inspector's question it answers."""

    transcript: AnalysisResult
    sentence: Sentence
    text: str
    question: str


def is_asking(speaker: str | None) -> bool:
    """The inspectors' side: 谈话人/主持人 and named speakers the header lists as such."""
    if speaker is None:
        return False
    return speaker in ("谈话人", "主持人") or bool(re.search(r"（(?:谈话人|主持人)|督察", speaker))


def interviewee_speech(transcript: AnalysisResult) -> list[_Said]:
    """What interviewees said (not questions, not the header), each with the last question before it."""
    out, question, asked = [], "", False
    for s in transcript.sentences:
        if s.speaker is None:
            continue
        if is_asking(s.speaker):
            question = (question if asked else "") + said(s.text)
            asked = True
            continue
        asked = False
        if not s.text.endswith(("？", "?")):
            out.append(_Said(transcript, s, said(s.text), question))
    return out


def report_claims(report: AnalysisResult) -> list[Sentence]:
    """Checkable claims: achievement or neutral sentences with a universal word or a count."""
    return [s for s in report.sentences if s.label in ("achievement", "other")
            and (UNIVERSAL.search(s.text) or claim_figures(s.text))]


def _same_thing(a: str, b: str) -> bool:
    """Two counted nouns that may name the same thing: either unknown, or sharing a character (案子/案件)."""
    return not a or not b or bool(set(a) & set(b))


def _counts(statement: str, claim: str) -> tuple[bool, bool]:
    """(same total, other things): the statement repeats the claim's count of the same thing (这9件文件里…); or the
    population its exception is drawn from (N…里/中) is something the claim never names (3项决策里… against a
    claim about contracts) or another total of the same counter (184名执法人员中… against 263名)."""
    spoken, claimed = counted(statement), counted(claim)
    same = any(n == m and cu == cv and _same_thing(a, b) for n, cu, a in spoken for m, cv, b in claimed)
    other = False
    for n, cu, noun in populations(statement):
        totals = [m for m, cv, what in claimed if cv == cu and _same_thing(noun, what)]
        other |= bool(noun and not set(noun) & set(claim)) or bool(totals and n not in totals)
    return same, not same and other


def _fits(statement: str, claim: str) -> bool:
    """The statement's exception or limit counts fewer of the same thing than the claim's total."""
    totals = claim_figures(claim)
    return any(k < n and (cu == cu2 or {cu, cu2} <= _ITEMS) for k, cu in counts(statement) for n, cu2 in totals)


def _undercuts(statement: str, claim: str) -> bool:
    """A limit on a bare count: 专题学法6次 against 只有2次 (the same counter, fewer)."""
    totals = claim_figures(claim)
    return any(k < n and cu == cu2 for k, cu in limits(statement) for n, cu2 in totals)


def _admissible(claim: str, statement: str) -> bool:
    """A denial that can contradict this claim: not a confirmation, not an explanation (原因是…); a universal claim
    falls to any exception, a bare count only to a limit below it or an outright 不准确."""
    if confirms(statement, claim) or _EXPLAINS.search(statement):
        return False
    if UNIVERSAL.search(claim):
        return True
    return _undercuts(statement, claim) or bool(re.search(r"不准确|不属实|没有那么多", statement))


@dataclass(frozen=True)
class _Pair:
    """A claim and a denial that may contradict it, with what aligns them."""

    claim: Sentence
    said: _Said
    meaning: float  # encoder similarity of the two sentences
    focus: float  # … of the claim's clauses and the failing's clauses
    shared: float  # weight of the rare words they share
    question: float  # similarity of the claim to the question the statement answers, above 0.3
    same_total: bool  # the statement repeats the claim's count of the same thing
    fits: bool  # the statement's exception counts fewer of the same thing
    elsewhere: bool  # the statement counts other things, or its own total of them

    @property
    def score(self) -> float:
        return (0.45 * self.meaning + 0.55 * self.focus + 0.02 * min(self.shared, 10.0) + 0.4 * self.question
                + 0.1 * self.same_total + 0.05 * self.fits - 0.15 * self.elsewhere)


def candidate_pairs(report: AnalysisResult, transcripts: Sequence[AnalysisResult], encoder: Encoder) -> list[_Pair]:
    """Every admissible (claim, denial) pair of one report and the unit's transcripts."""
    claims = report_claims(report)
    speech = [x for t in transcripts for x in interviewee_speech(t)]
    denials = [x for x in speech if stance(x.text) == "deny"]
    if not claims or not denials:
        return []
    claim_texts = [c.text for c in claims]
    # word rarity is judged among everything the report and the interviewees say
    words = TopicOverlap([s.text for s in report.sentences] + [x.text for x in speech] + [x.question for x in denials])
    row_of = {s.i: k for k, s in enumerate(report.sentences)}
    col_of = {id(x): len(report.sentences) + k for k, x in enumerate(speech)}
    base_q = len(report.sentences) + len(speech)
    claim_vectors = encoder.encode(claim_texts)
    meaning = claim_vectors @ encoder.encode([x.text for x in denials]).T
    focus = (encoder.encode([claim_focus(c) for c in claim_texts])
             @ encoder.encode([statement_focus(x.text) for x in denials]).T)
    asked = [k for k, x in enumerate(denials) if x.question]
    question = np.zeros_like(meaning)
    if asked:
        question[:, asked] = claim_vectors @ encoder.encode([denials[k].question for k in asked]).T
    pairs = []
    for i, claim in enumerate(claims):
        for j, x in enumerate(denials):
            if not _admissible(claim.text, x.text):
                continue
            on_topic = x.question and words.shared(row_of[claim.i], base_q + j) > 0
            same, elsewhere = _counts(x.text, claim.text)
            pairs.append(_Pair(claim, x, float(meaning[i, j]), float(focus[i, j]),
                               words.shared(row_of[claim.i], col_of[id(x)]),
                               max(0.0, float(question[i, j]) - 0.3) if on_topic else 0.0,
                               same, _fits(x.text, claim.text), elsewhere))
    return pairs


def select(pairs: Sequence[_Pair], report: AnalysisResult, min_score: float | None = None,
           policy: CrossSourcePolicy | None = None) -> list[Contradiction]:
    """Best-scoring pairs first, each claim and each statement used once; from ``policy.min_contradiction``."""
    min_score = (policy or CrossSourcePolicy()).min_contradiction if min_score is None else min_score
    used_claims: set[int] = set()
    used_statements: set[tuple[str, int]] = set()
    out = []
    for pair in sorted(pairs, key=lambda p: (-p.score, p.claim.i, p.said.sentence.start)):
        name = pair.said.transcript.document.filename
        key = (name, pair.said.sentence.i)
        if pair.score < min_score or pair.claim.i in used_claims or key in used_statements:
            continue
        used_claims.add(pair.claim.i)
        used_statements.add(key)
        claim, sent = pair.claim, pair.said.sentence
        cited = tuple(dict.fromkeys(ind.name for ind in report.metrics.indicators if ind.sentence == claim.i))
        out.append(Contradiction(Span(start=claim.start, end=claim.end, text=claim.text), name,
                                 Span(start=sent.start, end=sent.end, text=sent.text), round(pair.score, 3), claim.i,
                                 cited))
    return sorted(out, key=lambda c: c.claim.start)


def find_contradictions(report: AnalysisResult, transcripts: Sequence[AnalysisResult], encoder: Encoder,
                        policy: CrossSourcePolicy | None = None) -> list[Contradiction]:
    """Report claims that interviewees deny, best-aligned pairs first, each claim and statement used once."""
    return select(candidate_pairs(report, transcripts, encoder), report, policy=policy)


def contradiction_pairs(contradictions: Sequence[Contradiction]) -> tuple[tuple[Span, Span], ...]:
    """(claim, statement) of each contradiction, the statement's span naming its transcript: the round-level fact
    the CROSS_SOURCE_CONTRADICTION check (``nlp.review.reasons``) reads."""
    return tuple((c.claim, c.statement.model_copy(update={"document": c.transcript})) for c in contradictions)


def alert_denied(metrics: Metrics, contradictions: Sequence[Contradiction]) -> Metrics:
    """``metrics`` with the indicators of denied claims in alert (the same object when none is)."""
    denied = {c.claim_sentence for c in contradictions}
    if not any(ind.sentence in denied and not ind.alert for ind in metrics.indicators):
        return metrics
    indicators: tuple[Indicator, ...] = tuple(
        ind.model_copy(update={"alert": True}) if ind.sentence in denied else ind for ind in metrics.indicators)
    return metrics.model_copy(update={"indicators": indicators})


def new_problems(report: AnalysisResult | Sequence[AnalysisResult], transcripts: Sequence[AnalysisResult],
                 encoder: Encoder, policy: CrossSourcePolicy | None = None) -> list[tuple[str, Sentence]]:
    """(transcript filename, sentence) of problems interviewees raise that the unit's report(s) do not state."""
    policy = policy or CrossSourcePolicy()
    reports = [report] if isinstance(report, AnalysisResult) else list(report)
    raised = [x for t in transcripts for x in raised_problems(t)]
    if not raised:
        return []
    stated = [s.text for r in reports for s in r.sentences if s.label != "achievement"]
    if stated:
        best = (encoder.encode([x.text for x in raised]) @ encoder.encode(stated).T).max(axis=1)
        grams = [bigrams(s) for s in stated]
    else:
        best, grams = np.zeros(len(raised)), []
    out = []
    for x, score in zip(raised, best, strict=True):
        own = bigrams(x.text)
        wording = max((len(own & g) / max(len(own), 1) for g in grams), default=0.0)
        if score < policy.min_stated_similarity and wording < policy.min_stated_wording:
            out.append((x.transcript.document.filename, x.sentence))
    return out


def raised_problems(transcript: AnalysisResult) -> list[_Said]:
    """Problems interviewees raise: the first sentence of each issue the transcript's analysis found, unless it
    affirms (“都按时报了，没有超期的”); and sentences the classifier left as other that state a failing
    (an exception, a limit, a negation) without explaining one (原因, 之所以 …)."""
    speech = interviewee_speech(transcript)
    firsts = {i.sentences[0] for i in transcript.issues if i.sentences and i.latent_basis != "omission"}
    out = []
    for x in speech:
        kind = stance(x.text)
        if x.sentence.i in firsts:
            keep = kind != "affirm"
        else:
            keep = x.sentence.label == "other" and kind in ("deny", "negate") and not _EXPLAINS.search(x.text)
        if keep:
            out.append(x)
    return out


def cross_source_items(report: AnalysisResult | Sequence[AnalysisResult], transcripts: Sequence[AnalysisResult],
                       encoder: Encoder, round_name: str | None = None, start_number: int = 1,
                       contradictions: Sequence[Sequence[Contradiction]] | None = None,
                       policy: CrossSourcePolicy | None = None) -> list[ChecklistItem]:
    """The unit's checklist rows (隐性, 谈话反映): problems only its interviews raise (evidence in the transcript)
    and report claims the interviews contradict (evidence in the report, the interview quoted).
    ``contradictions[k]``: those of report k, when already found (the round step finds them once)."""
    reports = [report] if isinstance(report, AnalysisResult) else list(report)
    if not reports:
        return []
    tax = load_taxonomy()
    unit = reports[-1].document.unit
    by_name = {t.document.filename: t for t in transcripts}
    if contradictions is None:
        contradictions = [find_contradictions(rep, transcripts, encoder, policy) for rep in reports]
    found = [(rep, c) for rep, cs in zip(reports, contradictions, strict=True) for c in cs]
    denials = {(c.transcript, c.statement.start) for _, c in found}  # quoted on their claim's row below
    rows = []
    for name, sent in new_problems(reports, transcripts, encoder, policy):
        if (name, sent.start) in denials:
            continue
        issue = next((i for i in by_name[name].issues if i.sentences and i.sentences[0] == sent.i), None)
        if issue is None:  # a failing the classifier left as other: the row stands on the sentence itself
            domain = _cue_domain(sent.text)
            issue_id = f"{by_name[name].document.id[:8]}-t{sent.start}"
            text, vague = checklist_line(said(sent.text)), False
        else:
            domain, issue_id, text, vague = issue.domain, issue.id, issue.text, issue.vague
        rows.append(ChecklistItem(
            number=start_number + len(rows), issue_id=issue_id, round=round_name, source="interview", unit=unit,
            document=name, original=sent.text, start=sent.start, end=sent.end, text=text, domain=domain,
            domain_name=tax.name(domain), visibility="latent", latent_basis="cross_source", vague=vague,
            severity="高", responsible_unit=unit))
    for rep, c in found:
        domain = _domain(c, by_name[c.transcript])
        rows.append(ChecklistItem(
            number=start_number + len(rows), issue_id=f"{rep.document.id[:8]}-x{c.claim.start}", round=round_name,
            source="interview", unit=unit, document=rep.document.filename, original=c.claim.text,
            start=c.claim.start, end=c.claim.end, page=rep.document.page_of(c.claim.start),
            text=f"报告所称“{checklist_line(c.claim.text)}”与谈话反映不符：{checklist_line(said(c.statement.text))}（{c.transcript}）",
            domain=domain, domain_name=tax.name(domain), visibility="latent", latent_basis="cross_source",
            severity="高", responsible_unit=unit))
    return rows


def _domain(c: Contradiction, transcript: AnalysisResult) -> str:
    """The typed domain of the interview's issue on the statement, else of the claim's indicator, else by cue words."""
    for issue in transcript.issues:
        if any(e.start <= c.statement.start < e.end for e in issue.evidence):
            return issue.domain
    for name in c.indicators:
        if name in INDICATOR_DOMAINS:
            return INDICATOR_DOMAINS[name]
    return _cue_domain(c.claim.text + c.statement.text)


def _cue_domain(text: str) -> str:
    """The domain whose cue words the text mentions most (enforcement oversight when none)."""
    hits = [(sum(cue in text for cue in (*d.cues, *d.subs)), d.code) for d in load_taxonomy().domains]
    best = max(hits)
    return best[1] if best[0] else "enforcement_oversight"


UNMATCHED_WARNING = ("本批次中没有同一单位（{unit}）的报告，谈话记录已单独分析，未与报告交叉比对；"
                     "如属某单位，请在 manifest.csv 中注明单位。")
NO_UNIT_WARNING = "未能识别谈话记录所属单位，谈话记录已单独分析，未与报告交叉比对；请在 manifest.csv 中注明单位。"


def unit_sources(results: Sequence[AnalysisResult]) -> dict[str | None, tuple[list[int], list[int]]]:
    """unit → (indices of its reports under review, indices of its transcripts), in round order."""
    out: dict[str | None, tuple[list[int], list[int]]] = {}
    for k, r in enumerate(results):
        reports, talks = out.setdefault(r.document.unit, ([], []))
        if r.document.kind == Kind.TRANSCRIPT:
            talks.append(k)
        elif r.document.kind not in NON_REPORT_KINDS:
            reports.append(k)
    return out


def unmatched_warning(unit: str | None) -> str:
    """Why a transcript was not checked against a report: its unit is unknown, or has no report in the round."""
    return NO_UNIT_WARNING if unit is None else UNMATCHED_WARNING.format(unit=unit)
