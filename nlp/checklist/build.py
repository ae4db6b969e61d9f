"""Analysis results → checklist rows: per unit (法治体检单) and per round (共性 / 个性问题清单)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.cluster.rounds import ProblemGroup
from nlp.doc import AnalysisResult, ChecklistItem, CommonProblem, Issue, ItemSource, Kind, UnitChecklist
from nlp.taxonomy import load_taxonomy

_DEADLINE = re.compile(r"(?:20\d\d年)?\d{1,2}月(?:底|末|中旬|上旬|下旬)?(?:以)?前|(?:20\d\d年)?年底(?:以)?前|年内|立行立改|长期坚持|"
                       r"(?:20\d\d年)?第[一二三四]季度(?:末)?(?:以)?前|(?:20\d\d年)?上半年|(?:20\d\d年)?下半年")
_TARGET = re.compile(r"(?:实现|达到|确保|提高到|压降到|控制在)[^，。；]{2,30}")
_OWNER = re.compile(r"由([\u4e00-\u9fff]{2,15}?)(?:牵头|负责|会同)")
MAX_STRENGTHS = 5


def severity(issue: Issue) -> str:
    """高: a breached indicator or a problem raised elsewhere; 低: vague or omitted; 中: the rest."""
    if issue.latent_basis in ("indicator", "cross_source"):
        return "高"
    if issue.vague or issue.latent_basis == "omission":
        return "低"
    return "中"


def _source(issue: Issue, kind: str) -> str:
    if issue.latent_basis in ("indicator", "omission"):
        return issue.latent_basis
    return {Kind.TRANSCRIPT: ItemSource.INTERVIEW, Kind.FEEDBACK: ItemSource.FEEDBACK}.get(kind, ItemSource.SELF_REPORT)


def unit_items(result: AnalysisResult, round_name: str | None = None,
               scopes: dict[str, tuple[str | None, str]] | None = None, start_number: int = 1) -> list[ChecklistItem]:
    """One checklist row per issue of one analysed document; a problem the document states twice in the same words
    (a paragraph repeated, say) is one row, at its first place."""
    tax = load_taxonomy()
    doc = result.document
    rows = []
    seen: set[str] = set()
    for issue in result.issues:
        if _same_words(issue.text) in seen:
            continue
        seen.add(_same_words(issue.text))
        first = issue.evidence[0] if issue.evidence else None
        measure = issue.measure.text if issue.measure else None
        scope, group = (scopes or {}).get(issue.id, (issue.scope, None))
        owner = _OWNER.search(measure) if measure else None
        deadline = _DEADLINE.search(measure) if measure else None
        target = _TARGET.search(measure) if measure else None
        rows.append(ChecklistItem(
            number=start_number + len(rows), issue_id=issue.id, round=round_name, source=_source(issue, doc.kind),
            unit=doc.unit, document=doc.filename, original=" ".join(e.text for e in issue.evidence) or issue.text,
            start=first.start if first else None, end=first.end if first else None,
            page=doc.page_of(first.start) if first else None, text=issue.text, domain=issue.domain,
            domain_name=tax.name(issue.domain), visibility=issue.visibility, latent_basis=issue.latent_basis,
            scope=scope, common_group=group if scope == "common" else None, vague=issue.vague,
            severity=severity(issue), responsible_unit=owner.group(1) if owner else doc.unit, measure=measure,
            target=target.group(0) if target else None,
            deadline=deadline.group(0) if deadline else ("限期整改" if measure else None),
            recurring=issue.recurring,
        ))
    return rows


def _same_words(text: str) -> str:
    """The text as compared for repeats: without spaces and the closing punctuation."""
    return "".join(text.split()).rstrip("。；;，,")


def unit_checklist(result: AnalysisResult, round_name: str | None = None,
                   scopes: dict[str, tuple[str | None, str]] | None = None) -> UnitChecklist:
    """The 法治体检单 of the document's unit."""
    alerting = {i.sentence for i in result.metrics.indicators if i.alert}  # a breached figure is no strength
    strengths = [s.text for s in sorted((s for s in result.sentences if s.label == "achievement" and s.i not in alerting),
                                        key=lambda s: -(s.score or 0))][:MAX_STRENGTHS]
    return UnitChecklist(unit=result.document.unit or "", round=round_name, title=result.document.title,
                         document=result.document.filename, decision=result.verdict.decision,
                         reasons=result.verdict.reasons, strengths=tuple(strengths),
                         items=tuple(unit_items(result, round_name, scopes)))


def common_problems(groups: Iterable[ProblemGroup], only_common: bool = True) -> list[CommonProblem]:
    """The round's 共性问题清单: groups whose scope is common (every group when not ``only_common``)."""
    tax = load_taxonomy()
    return [CommonProblem(id=g.id, text=g.representative, domain=g.domain, domain_name=tax.name(g.domain),
                          units=g.units, members=g.members, scope=g.scope, problem_type=g.problem_type)
            for g in groups if g.scope == "common" or not only_common]


def renumber(items: Iterable[ChecklistItem]) -> list[ChecklistItem]:
    return [item.model_copy(update={"number": k}) for k, item in enumerate(items, start=1)]
