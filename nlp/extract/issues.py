"""Problem sentences → checklist issues: one per enumerated item, continuations folded in, lead-ins dropped."""

from __future__ import annotations

import hashlib
import re

from nlp.doc import Document, Indicator, Issue, Sentence, Span
from nlp.extract.cues import CONTINUATION, has_anchor, is_lead_in

_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|"
                   r"其[一二三四五六七八九十][，、是]|(?:首先|其次|再次|最后|此外|另外|同时)[，、]?)\s*")
_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|"
                   r"其[一二三四五六七八九十][，、是])")
_MAX_GAP = 2  # a continuation must follow its issue within this many sentences


def issue_id(doc_id: str, start: int, end: int) -> str:
    """Stable id from the document and the evidence span."""
    return hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:12]


def checklist_line(text: str) -> str:
    """The issue as one checklist line: enumerator and trailing punctuation removed."""
    return _ENUM.sub("", text, count=1).rstrip("；。，、 ")


def group_problem_sentences(sentences: list[Sentence] | tuple[Sentence, ...]) -> list[list[Sentence]]:
    """Problem sentences grouped into issues (first sentence states it; continuations elaborate)."""
    groups: list[list[Sentence]] = []
    last_i = -10
    sentences = list(sentences)
    for k, sent in enumerate(sentences):
        if sent.label != "problem" or is_lead_in(sent.text) or _announces_items(sent, sentences[k + 1:k + 2]):
            continue
        continues = groups and sent.i - last_i <= _MAX_GAP and CONTINUATION.match(sent.text) and not _ENUM.match(sent.text)
        if continues:
            groups[-1].append(sent)
        else:
            groups.append([sent])
        last_i = sent.i
    return groups


def _announces_items(sent: Sentence, following: list[Sentence]) -> bool:
    """A sentence without facts that is followed by 一是/（一）/1. items is the list's lead-in."""
    return bool(following) and bool(_ITEM.match(following[0].text)) and not _ITEM.match(sent.text) \
        and not has_anchor(sent.text)


def build_issues(doc: Document, groups: list[list[Sentence]], typed: list[tuple[str, bool, bool]]) -> list[Issue]:
    """Issues from grouped sentences and their predicted (domain, hedged, vague)."""
    issues = []
    for group, (domain, hedged, vague) in zip(groups, typed, strict=True):
        first, last = group[0], group[-1]
        evidence = tuple(Span(start=s.start, end=s.end, text=s.text) for s in group)
        issues.append(Issue(id=issue_id(doc.id, first.start, last.end), text=checklist_line(first.text), domain=domain,
                            visibility="latent" if hedged else "explicit", latent_basis="hedged" if hedged else None,
                            vague=vague, evidence=evidence, sentences=tuple(s.i for s in group)))
    return issues


def indicator_issues(doc: Document, indicators: list[Indicator], issues: list[Issue],
                     sentences: list[Sentence] | tuple[Sentence, ...], domain: str = "reconsideration_litigation") -> list[Issue]:
    """A latent issue for each alerting indicator that no stated problem already addresses."""
    out = []
    covered = {i for issue in issues for i in issue.sentences}
    by_i = {s.i: s for s in sentences}
    for ind in indicators:
        if not ind.alert or ind.sentence in covered:
            continue
        if any(ind.name[-3:] in e.text or ind.name in e.text for issue in issues for e in issue.evidence):
            continue  # the report already states it as a problem
        if any(s.label == "measure" and ind.name[-3:] in s.text for s in sentences):
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
