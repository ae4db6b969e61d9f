"""One check per reason code. A check returns a Reason (with evidence) or None; ``CHECKS`` is the table.

A new code costs one function here, one message template, and one golden test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nlp.config import AnalysisConfig
from nlp.doc import Document, Issue, Metrics, Reason, Sentence, Span
from nlp.extract.cues import OBJECTIVE_CAUSE, PERSONAL_DUTY, PUBLICITY, SUBJECTIVE_CAUSE
from nlp.glossary import KINDS
from nlp.taxonomy import load_taxonomy

MAX_EVIDENCE = 5
MAX_STOCK = 40  # characters: longer than a stock phrase (“工作中还存在一些不足。”)


@dataclass(frozen=True)
class ReviewInput:
    """Everything a check may look at."""

    document: Document
    sentences: tuple[Sentence, ...]
    issues: tuple[Issue, ...]
    metrics: Metrics
    config: AnalysisConfig
    # round-level facts, known once the round's other documents are in (``nlp.round``):
    near_duplicate: tuple[str, float] | None = None  # (other document's name, similarity)
    contradictions: tuple[tuple[Span, Span], ...] = ()  # (claim in this report, statement in a transcript)

    @property
    def stated(self) -> list[Issue]:
        """Issues the report itself states (not omissions, not figures it leaves uncommented)."""
        return [i for i in self.issues if i.latent_basis not in ("omission", "indicator")]


def _span(s: Sentence) -> Span:
    return Span(start=s.start, end=s.end, text=s.text)


def check_no_problems(r: ReviewInput) -> Reason | None:
    """No stated problem, or only one stock sentence (“还存在一些不足”) standing in for a problem section."""
    stated = r.stated
    if r.document.kind not in r.config.verdict.require_problems:
        return None
    if len(stated) > 1 or (stated and not (stated[0].vague and sum(len(e.text) for e in stated[0].evidence) <= MAX_STOCK)):
        return None  # a long sentence listing several (if vague) problems is a thin problem part, not none
    achievements = [_span(s) for s in r.sentences if s.label == "achievement"][:2]
    return Reason(code="NO_PROBLEMS", message="报告通篇只讲成绩，未查摆任何具体问题，不符合报告须如实查摆问题的要求，请重新撰写。",
                  evidence=tuple(achievements))


def near_duplicate_reason(other: str, similarity: float) -> Reason:
    return Reason(code="NEAR_DUPLICATE",
                  message=f"报告与《{other}》高度雷同（相似度{similarity:.0%}），存在照搬照抄问题，请结合本单位实际重新撰写。")


CROSS_SOURCE_CONTRADICTION = "CROSS_SOURCE_CONTRADICTION"
MAX_QUOTED = 3  # contradictions quoted in the message; the evidence holds them all


def cross_source_contradiction_reason(pairs: Sequence[tuple[Span, Span]]) -> Reason:
    """A round-level reason, like a near-copy: claims of the report that the unit's interviews contradict. Each pair
    is (the claim in the report, the statement in a transcript, whose span names the transcript in ``document``);
    the evidence holds both spans of every pair."""
    quoted = "；".join(f"报告称“{_short(claim.text)}”，而谈话中反映“{_short(_words(said.text))}”（{said.document}）"
                      for claim, said in pairs[:MAX_QUOTED])
    more = f"等{len(pairs)}处" if len(pairs) > MAX_QUOTED else ""
    return Reason(code=CROSS_SOURCE_CONTRADICTION,
                  message=f"报告中的表述与谈话反映的情况不符：{quoted}{more}。请核实相关数据和情况，如实修改报告，并将相关问题列入查摆。",
                  evidence=tuple(span for pair in pairs for span in pair))


def _short(text: str, limit: int = 60) -> str:
    text = text.rstrip("。；;，")
    return text if len(text) <= limit else text[:limit] + "……"


def _words(text: str) -> str:
    """A transcript sentence without its turn marker (答：, 某某某（科长）：)."""
    return re.sub(r"^[^：:，。]{1,24}[：:]", "", text, count=1)


def check_near_duplicate(r: ReviewInput) -> Reason | None:
    return near_duplicate_reason(*r.near_duplicate) if r.near_duplicate else None


def check_cross_source_contradiction(r: ReviewInput) -> Reason | None:
    return cross_source_contradiction_reason(r.contradictions) if r.contradictions else None


def share_text(share: float) -> str:
    """A share as a reviewer reads it: ``12%``, and ``不足1%`` rather than ``0%`` for a tiny one (``0%`` for none)."""
    if 0 < share < 0.005:
        return "不足1%"
    return f"{share:.0%}"


def check_low_problem_share(r: ReviewInput) -> Reason | None:
    policy = r.config.verdict
    share = r.metrics.problem_share
    if share >= policy.min_problem_share - policy.share_margin:
        return None
    if r.document.kind not in policy.require_problem_share:
        return None
    problems = [_span(s) for s in r.sentences if s.label == "problem"][:MAX_EVIDENCE]
    return Reason(code="LOW_PROBLEM_SHARE",
                  message=f"{_problem_share_words(share)}，低于{policy.min_problem_share:.0%}的要求，存在“讲成绩多、讲问题少”的情况，请充实问题查摆内容。",
                  evidence=tuple(problems))


def _problem_share_words(share: float) -> str:
    """“仅占报告篇幅的12%”; a share that rounds to 0% is said in words (“不足1%”, or none at all), never as 0%."""
    if share <= 0:
        return "报告几乎没有查摆问题的篇幅"
    if share < 0.005:
        return "查摆问题部分占报告篇幅不足1%"
    return f"查摆问题部分仅占报告篇幅的{share_text(share)}"


def check_vague_problems(r: ReviewInput) -> Reason | None:
    stated = r.stated
    vague = [i for i in stated if i.vague]
    if not stated or len(vague) <= r.config.verdict.max_vague_share * len(stated):
        return None
    return Reason(code="VAGUE_PROBLEMS",
                  message=f"查摆的{len(stated)}个问题中有{len(vague)}个表述空泛，缺少具体事例、数据或责任单位，请逐条写实写具体。",
                  evidence=tuple(i.evidence[0] for i in vague[:MAX_EVIDENCE] if i.evidence))


def check_no_causes(r: ReviewInput) -> Reason | None:
    if r.document.kind not in r.config.verdict.require_causes or r.metrics.problems_total == 0:
        return None
    if r.metrics.causes_total > 0:
        return None
    return Reason(code="NO_CAUSES", message="报告查摆了问题，但没有分析问题产生的原因，请补充原因分析，特别是主观方面的原因。")


def check_objective_causes_only(r: ReviewInput) -> Reason | None:
    causes = [s for s in r.sentences if s.label == "cause"]
    if not causes:
        return None
    text = "".join(s.text for s in causes)
    if SUBJECTIVE_CAUSE.search(text) or not OBJECTIVE_CAUSE.search(text):
        return None
    return Reason(code="OBJECTIVE_CAUSES_ONLY",
                  message="原因分析只讲人员、经费、任务等客观因素，没有从思想认识、责任落实等主观方面剖析，请深入查找主观原因。",
                  evidence=tuple(_span(s) for s in causes[:MAX_EVIDENCE]))


def check_problems_without_measures(r: ReviewInput) -> Reason | None:
    if r.document.kind in r.config.verdict.measures_per_problem_skip:
        return None
    stated = r.stated
    unanswered = [i for i in stated if i.measure is None]
    if not stated or len(unanswered) <= r.config.verdict.max_unanswered_share * len(stated):
        return None
    return Reason(code="PROBLEMS_WITHOUT_MEASURES",
                  message=f"查摆的{len(stated)}个问题中有{len(unanswered)}个没有对应的整改措施，请逐项明确整改措施、责任人和完成时限。",
                  evidence=tuple(i.evidence[0] for i in unanswered[:MAX_EVIDENCE] if i.evidence))


def check_missing_required_topic(r: ReviewInput) -> Reason | None:
    required = {code for code, _ in r.config.required_topics.get(r.document.kind, ())}
    missing = [i for i in r.issues if i.latent_basis == "omission" and i.domain in required]
    if check_no_personal_duty(r) is not None:
        missing = [i for i in missing if i.domain != "leadership"]  # NO_PERSONAL_DUTY says it, more precisely
    if not missing:
        return None
    names = "、".join(load_taxonomy().name(i.domain) for i in missing)
    kind = KINDS.get(r.document.kind, "报告")
    return Reason(code="MISSING_REQUIRED_TOPIC", message=f"{kind}缺少必备内容：{names}，请按要求补充。")


def check_indicator_alert(r: ReviewInput) -> Reason | None:
    latent = [i for i in r.issues if i.latent_basis == "indicator"]
    if not latent:
        return None
    names = "、".join(dict.fromkeys(re.sub(r"为.*$", "", i.text) for i in latent))
    return Reason(code="INDICATOR_ALERT",
                  message=f"报告中{names}已超出预警线，但报告未将其作为问题查摆，请如实分析并提出整改措施。",
                  evidence=tuple(dict.fromkeys(e for i in latent for e in i.evidence[:1])))


BODY_LABELS = ("achievement", "problem", "cause", "measure")  # the body, as ``nlp.review.metrics`` counts it
MAX_QUOTED_EVIDENCE = 3


def publicity_share(sentences: Sequence[Sentence]) -> float:
    """Share of the body's characters in sentences about legal-publicity activity (``cues.PUBLICITY``)."""
    body = [s for s in sentences if s.label in BODY_LABELS]
    total = sum(s.end - s.start for s in body)
    return sum(s.end - s.start for s in body if PUBLICITY.search(s.text)) / total if total else 0.0


def check_reads_as_publicity(r: ReviewInput) -> Reason | None:
    """A 述法报告 mostly about 普法 activity (讲座, 宣传活动, 送法下乡…) instead of the leader's duties of leading
    rule-of-law work. The line is ``policy.max_publicity_share``."""
    policy = r.config.verdict
    if r.document.kind not in policy.publicity_kinds:
        return None
    share = publicity_share(r.sentences)
    if share <= policy.max_publicity_share:
        return None
    kind = KINDS.get(r.document.kind, "报告")
    quoted = [_span(s) for s in r.sentences if s.label in BODY_LABELS and PUBLICITY.search(s.text)]
    return Reason(code="READS_AS_PUBLICITY",
                  message=f"报告约{share_text(share)}的篇幅在介绍普法宣传、法治讲座等普法活动，写成了普法工作总结，"
                          f"未能反映主要负责人履行推进法治建设第一责任人职责的情况。{kind}应围绕本人研究部署、"
                          "依法决策、推进依法行政、解决法治建设重大问题等履职情况撰写，请重新组织内容。",
                  evidence=tuple(quoted[:MAX_QUOTED_EVIDENCE]))


_UNIT_LEADS = re.compile(r"党组|党委|领导小组|我局|本局|本单位|我单位|我委|本委|我办|全局|班子")


def check_no_personal_duty(r: ReviewInput) -> Reason | None:
    """A 述法报告 that only tells what the unit did (我局召开, 局党组研究) and never the leader's own part (本人主持,
    亲自部署, 带头, 我作为第一责任人). The evidence: a few sentences where the unit, not the leader, leads."""
    if r.document.kind not in r.config.verdict.require_personal_duty:
        return None
    if any(PERSONAL_DUTY.search(s.text) for s in r.sentences) or PERSONAL_DUTY.search(r.document.title or ""):
        return None
    unit_led = [_span(s) for s in r.sentences if s.label in BODY_LABELS and _UNIT_LEADS.search(s.text)]
    return Reason(code="NO_PERSONAL_DUTY",
                  message="报告只写了本单位开展了哪些工作，没有写出本人作为第一责任人亲自研究部署、主持推动、带头尊法学法守法用法的"
                          "具体履职情况，请以“本人”为主体，写明亲自抓了哪些事、解决了哪些问题。",
                  evidence=tuple(unit_led[:MAX_QUOTED_EVIDENCE]))


NOT_A_REPORT = "NOT_A_REPORT"


def check_not_a_report(r: ReviewInput) -> Reason | None:
    """A news item or any other text that is not a report of a reviewed kind: nothing to pre-review."""
    if r.document.kind not in r.config.verdict.not_reports:
        return None
    kind = KINDS.get(r.document.kind, "文件")
    heavy = "，且通篇只讲成绩、基本不讲问题" if r.metrics.achievement_heavy else ""
    return Reason(code=NOT_A_REPORT,
                  message=f"该文件经识别为{kind}{heavy}，不是述法报告、法治政府建设年度报告等需要预审的报告，未作预审；"
                          "如确属报告，请注明报告类型后重新提交。")


Check = Callable[[ReviewInput], Reason | None]
# Return-level checks come first: they decide alone.
RETURN_CHECKS: tuple[Check, ...] = (check_no_problems, check_near_duplicate)
REVISE_CHECKS: tuple[Check, ...] = (check_low_problem_share, check_vague_problems, check_no_causes,
                                    check_objective_causes_only, check_problems_without_measures,
                                    check_missing_required_topic, check_indicator_alert,
                                    check_cross_source_contradiction, check_reads_as_publicity,
                                    check_no_personal_duty)
