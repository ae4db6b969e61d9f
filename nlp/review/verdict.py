"""pass / revise / return, from the checks."""

from __future__ import annotations

from nlp.doc import Kind, Verdict
from nlp.review.reasons import RETURN_CHECKS, REVISE_CHECKS, ReviewInput, check_not_a_report


def decide(review: ReviewInput) -> Verdict:
    """Return when a return check fires (no problems at all, a near-copy); revise on any other reason; else pass.

    Transcripts and inspectors' feedback are not reports under review: they always pass, with no reasons. A text
    of a kind the policy lists in ``not_reports`` (news, other) is not pre-reviewed: not_applicable, NOT_A_REPORT.
    """
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
