from __future__ import annotations

import pytest

from nlp.checklist.status import InvalidTransitionError, change_status, record_followup
from nlp.doc import ChecklistItem


def item() -> ChecklistItem:
    return ChecklistItem(number=1, issue_id="i1", document="r.docx", original="原文", text="问题", domain="law_enforcement",
                         domain_name="行政执法", visibility="explicit")


def test_full_lifecycle_keeps_every_change() -> None:
    x = change_status(item(), "in_progress", "张审核", at="2025-04-01T09:00:00+00:00")
    x = change_status(x, "for_acceptance", "李联络员", "已修订裁量基准")
    x = change_status(x, "reopened", "张审核", "佐证材料不全")
    assert x.acceptance_note == "佐证材料不全"
    x = change_status(x, "in_progress", "李联络员")
    x = change_status(x, "for_acceptance", "李联络员")
    x = change_status(x, "closed", "张审核", "材料齐全，同意销号")
    assert x.status == "closed" and [h.to_status for h in x.history] == [
        "in_progress", "for_acceptance", "reopened", "in_progress", "for_acceptance", "closed"]
    assert x.history[0].by == "张审核" and x.history[0].from_status == "not_started"


@pytest.mark.parametrize(("path", "bad"), [((), "closed"), (("in_progress",), "not_started"), (("in_progress", "for_acceptance", "closed"), "in_progress")])
def test_invalid_transitions_are_refused_with_the_allowed_states(path: tuple[str, ...], bad: str) -> None:
    x = item()
    for status in path:
        x = change_status(x, status, "u", "验收通过" if status == "closed" else "")
    with pytest.raises(InvalidTransitionError) as info:
        change_status(x, bad, "u", "n")
    assert info.value.code == "INVALID_TRANSITION" and "allowed" in str(info.value)


def test_closing_needs_a_note() -> None:
    x = change_status(change_status(item(), "in_progress", "u"), "for_acceptance", "u")
    with pytest.raises(InvalidTransitionError, match="note"):
        change_status(x, "closed", "u", "  ")


def test_followup_consolidates_or_reopens() -> None:
    closed = change_status(change_status(change_status(item(), "in_progress", "u"), "for_acceptance", "u"), "closed", "u", "同意")
    kept = record_followup(closed, "consolidated", "督察组")
    assert (kept.status, kept.followup) == ("closed", "consolidated")
    reopened = record_followup(closed, "sham", "督察组", "台账与实际不符")
    assert (reopened.status, reopened.followup) == ("in_progress", "sham")
    assert reopened.history[-1].note == "回头看：虚假整改。台账与实际不符"  # the note is for reviewers: Chinese
    with pytest.raises(InvalidTransitionError):
        record_followup(item(), "consolidated", "督察组")
    with pytest.raises(InvalidTransitionError):
        record_followup(closed, "很好", "督察组")
    with pytest.raises(InvalidTransitionError):  # the lifecycle takes codes; the API maps the old Chinese words
        change_status(item(), "整改中", "u")
