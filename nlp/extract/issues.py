"""Problem sentences → checklist issues: one per enumerated item, continuations folded in, lead-ins dropped.

A sentence that lists several problems inline is split into one issue per listed problem, each with its own
part of the sentence as evidence: “还存在一些不足，主要是：学法不深，执法不严，监督不力。” (a lead-in and its list
in one sentence) and “部分干部存在学习不系统、意识不强、能力不足等问题。” (a list of bare problems, with no figure or
named thing that would make the sentence one concrete problem with its details).
"""

from __future__ import annotations

import hashlib
import re

from nlp.doc import Document, Indicator, Issue, Sentence, Span
from nlp.extract.clauses import ANNOUNCES, clause_spans, states_problem, visibility
from nlp.extract.cues import CONTINUATION, has_anchor, is_lead_in
from nlp.segment.enumeration import ENUMERATOR, ITEM_START, strip_enumerator

_MAX_GAP = 2  # a continuation must follow its issue within this many sentences
# “……，主要是：A，B，C。”: the marker, its colon, then the list
_INLINE_LIST = re.compile(r"(?:主要是|主要表现在|主要表现为|具体表现为|表现为|主要有|具体是)"
                          r"(?:以下几个方面|以下方面|以下几点)?[：:]")
# what a lead-in clause says before its list: the unit falls short somewhere
_SHORTFALL = re.compile(r"不足|问题|差距|短板|欠缺|薄弱|弱项|不够|存在")
# “存在A、B、C等问题。”
_LISTED = re.compile(r"存在(?P<items>[^，。；：]{4,}?)等(?:问题|不足|短板|情况|现象)")
_MIN_ITEM = 4  # characters: shorter pieces are not problems of their own
_FIGURE = re.compile(r"\d")


def issue_id(doc_id: str, start: int, end: int) -> str:
    """Stable id from the document and the evidence span."""
    return hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:12]


def checklist_line(text: str) -> str:
    """The issue as one checklist line: enumerator and trailing punctuation removed."""
    return strip_enumerator(text).rstrip("；。，、 ")


def group_problem_sentences(sentences: list[Sentence] | tuple[Sentence, ...],
                            listing: frozenset[int] = frozenset(),
                            elsewhere: frozenset[int] = frozenset()) -> list[list[Sentence]]:
    """Problem sentences grouped into issues (first sentence states it; continuations elaborate). A sentence in
    ``listing`` (a problems paragraph that lists problems clause by clause: ``nlp.segment.parts``) gives one issue
    per clause that states a problem; any other sentence is one issue with its details, unless it lists problems
    after a lead-in (“主要是：A，B，C”) or as “存在A、B等问题”. A sentence in ``elsewhere`` (the achievements or
    tasks part of a report that has a problems part) is an issue only when its wording states a problem."""
    groups: list[list[Sentence]] = []
    last_i = -10
    sentences = list(sentences)
    for k, sent in enumerate(sentences):
        if sent.label != "problem":
            continue
        items = listed_problems(sent)
        if items:
            groups += [[item] for item in items]
            last_i = sent.i
            continue
        if is_lead_in(sent.text) or _announces_items(sent, sentences[k + 1:k + 2]):
            continue
        if sent.i in elsewhere and not states_problem(sent.text):
            continue  # a task, an outlook or a heading of achievements the classifier took for a problem
        if sent.i in listing and ANNOUNCES.search(sent.text) and not ITEM_START.match(sent.text):
            continue  # “…还存在以下几方面的差距，仍需下大力气解决。”
        if sent.i in listing and not ITEM_START.match(sent.text) and not _FIGURE.search(sent.text):
            # clause by clause; a numbered item, or a sentence with figures, is one problem with its details
            items = [part for part in clause_items(sent) if states_problem(part.text)]
            if not items:
                continue  # a lead-in, a difficulty overcome, a measure naming a problem, a slogan
            groups += [[item] for item in items]
            last_i = sent.i
            continue
        continues = groups and sent.i - last_i <= _MAX_GAP and CONTINUATION.match(sent.text) and not ENUMERATOR.match(sent.text)
        if continues:
            groups[-1].append(sent)
        else:
            groups.append([sent])
        last_i = sent.i
    return groups


def listed_problems(sent: Sentence) -> list[Sentence]:
    """The problems a sentence lists inline, as parts of the sentence (same ``i``, their own offsets); empty
    when the sentence states one problem. Pieces shorter than four characters end the split (no list)."""
    text = sent.text
    spans: list[tuple[int, int]] = []
    head = _INLINE_LIST.search(text)
    if head and _SHORTFALL.search(text[:head.start()]) and not has_anchor(text[:head.start()]):
        spans = _pieces(text, head.end(), len(text), "，；;,")
    else:
        listed = _LISTED.search(text)
        if listed and not has_anchor(text):
            spans = _pieces(text, listed.start("items"), listed.end("items"), "、，")
    if len(spans) < 2 or any(b - a < _MIN_ITEM for a, b in spans):
        return []
    return [sent.model_copy(update={"start": sent.start + a, "end": sent.start + b, "text": text[a:b]}) for a, b in spans]


def clause_items(sent: Sentence) -> list[Sentence]:
    """The problem items a sentence states (``nlp.extract.clauses``), as parts of it with their own offsets."""
    return [sent.model_copy(update={"start": sent.start + a, "end": sent.start + b, "text": sent.text[a:b]})
            for a, b in clause_spans(sent.text)]


def _pieces(text: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of text[start:end] between separators, end punctuation left out."""
    out, a = [], start
    for k in range(start, end + 1):
        if k == end or text[k] in separators:
            b = k
            while b > a and text[b - 1] in "。；;，,、 ":
                b -= 1
            if b > a:
                out.append((a, b))
            a = k + 1
    return out


def _announces_items(sent: Sentence, following: list[Sentence]) -> bool:
    """A sentence without facts that is followed by 一是/（一）/1. items is the list's lead-in."""
    return bool(following) and bool(ITEM_START.match(following[0].text)) and not ITEM_START.match(sent.text) \
        and not has_anchor(sent.text)


def build_issues(doc: Document, groups: list[list[Sentence]], typed: list[tuple[str, bool, bool]],
                 listing: frozenset[int] = frozenset()) -> list[Issue]:
    """Issues from grouped sentences and their predicted (domain, hedged, vague). A clause of a listing paragraph
    (``listing``: ``nlp.segment.parts``) is explicit or latent by its wording (``nlp.extract.clauses``): the
    typer learned the numbered-item reports of our corpus, where a quantifier such as 部分 counts as a hedge."""
    issues = []
    for group, (domain, hedged, vague) in zip(groups, typed, strict=True):
        first, last = group[0], group[-1]
        evidence = tuple(Span(start=s.start, end=s.end, text=s.text) for s in group)
        seen, basis = ("latent", "hedged") if hedged else ("explicit", None)
        if first.i in listing and not ITEM_START.match(first.text) and not _FIGURE.search(first.text):
            # a clause of a list: typed by its own wording
            seen, basis = visibility(first.text)
        issues.append(Issue(id=issue_id(doc.id, first.start, last.end), text=checklist_line(first.text), domain=domain,
                            visibility=seen, latent_basis=basis, vague=vague, evidence=evidence,
                            sentences=tuple(s.i for s in group)))
    return issues


def indicator_issues(doc: Document, indicators: list[Indicator], issues: list[Issue],
                     sentences: list[Sentence] | tuple[Sentence, ...], domain: str = "reconsideration_litigation") -> list[Issue]:
    """A latent issue for each alerting indicator that the report neither states as a problem nor answers with a
    measure. A sentence that cites the breached figure itself (“全面落实出庭应诉制度，出庭应诉率77.8%”, which the
    classifier may take for a measure) answers nothing: only another measure sentence naming the indicator does."""
    out = []
    covered = {i for issue in issues for i in issue.sentences}
    by_i = {s.i: s for s in sentences}
    citing: dict[str, set[int | None]] = {}
    for ind in indicators:
        if ind.alert:
            citing.setdefault(ind.name, set()).add(ind.sentence)
    for ind in indicators:
        if not ind.alert or ind.sentence in covered:
            continue
        if any(ind.name[-3:] in e.text or ind.name in e.text for issue in issues for e in issue.evidence):
            continue  # the report already states it as a problem
        if any(s.label == "measure" and ind.name[-3:] in s.text and s.i not in citing[ind.name] for s in sentences):
            continue  # the report commits to a measure on it
        sent = by_i.get(ind.sentence) if ind.sentence is not None else None
        span = Span(start=ind.start, end=ind.end, text=doc.text[ind.start:ind.end])
        evidence = (Span(start=sent.start, end=sent.end, text=sent.text),) if sent else (span,)
        out.append(Issue(id=issue_id(doc.id, ind.start, ind.end), text=f"{ind.name}为{ind.value:g}%，超出预警线",
                         domain=INDICATOR_DOMAINS.get(ind.name, domain), visibility="latent", latent_basis="indicator",
                         vague=False, evidence=evidence, sentences=(ind.sentence,) if ind.sentence is not None else ()))
    return out


INDICATOR_DOMAINS = {
    "行政诉讼败诉率": "reconsideration_litigation", "行政机关负责人出庭应诉率": "reconsideration_litigation",
    "行政复议纠错率": "reconsideration_litigation", "规范性文件报备率": "normative_documents",
    "规范性文件报备及时率": "normative_documents", "重大行政决策合法性审查率": "major_decisions",
    "行政执法案卷评查合格率": "law_enforcement", "生效裁判履行率": "reconsideration_litigation",
}
