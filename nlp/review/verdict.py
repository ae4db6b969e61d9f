"""pass / revise / return, from the checks; and the one place a verdict is built."""

from __future__ import annotations

from dataclasses import replace

from nlp.doc import Kind, MachineVerdict, Verdict, VerdictOverride
from nlp.review.reasons import CROSS_SOURCE_CONTRADICTION, RETURN_CHECKS, REVISE_CHECKS, ReviewInput, check_not_a_report

ROUND_RETURN_CODES = frozenset({"NEAR_DUPLICATE"})  # round-level reasons (``nlp.round``) that send a report back
ROUND_REVISE_CODES = frozenset({CROSS_SOURCE_CONTRADICTION})


def decide(review: ReviewInput) -> Verdict:
    """Return when a return check fires (no problems at all, a near-copy); revise on any other reason; else pass.

    Transcripts and inspectors' feedback are not reports under review: they always pass, with no reasons. A text
    of a kind the policy lists in ``not_reports`` (news, other) is not pre-reviewed: not_applicable, NOT_A_REPORT.
    Issues a reviewer dismissed (``Issue.dismissed``) are not looked at.
    """
    if any(i.dismissed for i in review.issues):
        review = replace(review, issues=tuple(i for i in review.issues if not i.dismissed))
    if review.document.kind in (Kind.TRANSCRIPT, Kind.FEEDBACK):
        return Verdict(decision="pass", reasons=())
    not_a_report = check_not_a_report(review)
    if not_a_report is not None:
        return Verdict(decision="not_applicable", reasons=(not_a_report,))
    returns = [r for r in (check(review) for check in RETURN_CHECKS) if r is not None]
    revises = [r for r in (check(review) for check in REVISE_CHECKS) if r is not None]
    if returns:
        return Verdict(decision="return", reasons=tuple(returns + revises))
    return Verdict(decision="revise" if revises else "pass", reasons=tuple(revises))


def decide_again(review: ReviewInput, previous: Verdict) -> Verdict:
    """``decide`` on a changed review input (a reviewer's corrections), keeping the round-level reasons of
    ``previous`` (a near-copy, contradictions with interviews), which only the round step can find: the
    corrections do not change them, and they weigh as they did in the round step.
    """
    fresh = decide(review)
    carried = tuple(r for r in previous.reasons if r.code in ROUND_RETURN_CODES | ROUND_REVISE_CODES
                    and r.code not in {x.code for x in fresh.reasons})
    if not carried or fresh.decision in ("not_applicable",) or review.document.kind in (Kind.TRANSCRIPT, Kind.FEEDBACK):
        return fresh
    reasons = fresh.reasons + carried
    if fresh.decision == "return" or any(r.code in ROUND_RETURN_CODES for r in carried):
        return Verdict(decision="return", reasons=reasons)
    return Verdict(decision="revise", reasons=reasons)


def overridden(verdict: Verdict, decision: str, reason: str, by: str = "", at: str = "") -> Verdict:
    """``verdict`` with a reviewer's ``decision`` put over it; the machine's decision and reasons stay beside it
    (``machine``), and the reasons a letter quotes stay the machine's."""
    machine = verdict.machine or MachineVerdict(decision=verdict.decision, reasons=verdict.reasons)
    return Verdict(decision=decision, reasons=verdict.reasons, machine=machine,  # type: ignore[arg-type]
                   override=VerdictOverride(decision=decision, reason=reason, by=by, at=at))  # type: ignore[arg-type]
