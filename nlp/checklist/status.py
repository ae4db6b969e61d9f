"""The rectification lifecycle: not_started → in_progress → for_acceptance → closed, with reopened and follow-ups.

In the reviewers' words (``nlp.glossary.STATUSES``): 未启动 → 整改中 → 已完成待验收 → 已销号, with 退回重改 when
acceptance fails and 回头看 (``FollowUp``) on a closed item.

Every change returns a new item with one more history entry (who, when, from, to, note); a change the
lifecycle does not allow raises InvalidTransitionError naming the allowed next states.
"""

from __future__ import annotations

from datetime import UTC, datetime

from nlp.doc import ChecklistItem, FollowUp, Status, StatusChange
from nlp.errors import PrereviewError
from nlp.glossary import FOLLOWUPS as FOLLOWUP_WORDS

# fmt: off
TRANSITIONS: dict[str, tuple[Status, ...]] = {
    Status.NOT_STARTED:    (Status.IN_PROGRESS,),
    Status.IN_PROGRESS:    (Status.FOR_ACCEPTANCE,),
    Status.FOR_ACCEPTANCE: (Status.CLOSED, Status.REOPENED),
    Status.REOPENED:       (Status.IN_PROGRESS,),
    Status.CLOSED:         (),
}
FOLLOWUPS: tuple[FollowUp, ...] = tuple(FollowUp)
NEEDS_NOTE = (Status.CLOSED, Status.REOPENED)  # the acceptance opinion
# fmt: on


class InvalidTransitionError(PrereviewError):
    code = "INVALID_TRANSITION"
    http_status = 409


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def change_status(item: ChecklistItem, to: str, by: str, note: str = "", at: str | None = None) -> ChecklistItem:
    """Move ``item`` to status ``to``; closed and reopened need a note (the acceptance opinion)."""
    allowed = TRANSITIONS.get(item.status, ())
    if to not in allowed:
        raise InvalidTransitionError(
            f"cannot move from {item.status} to {to}; allowed: {', '.join(allowed) or 'none (closed; use a follow-up)'}")
    if to in NEEDS_NOTE and not note.strip():
        raise InvalidTransitionError(f"moving to {to} needs an acceptance note")
    to = Status(to)
    when = at or _now()
    update: dict[str, object] = {"status": to, "history": (*item.history, StatusChange(
        at=when, by=by, from_status=item.status, to_status=to, note=note))}
    if to in NEEDS_NOTE:
        update.update(acceptance_note=note, acceptance_date=when[:10])
    return item.model_copy(update=update)


def record_followup(item: ChecklistItem, result: str, by: str, note: str = "", at: str | None = None) -> ChecklistItem:
    """回头看 on a closed item: consolidated keeps it closed; rebounded or sham puts it back in progress."""
    if result not in FOLLOWUPS:
        raise InvalidTransitionError(f"unknown follow-up result {result!r}; expected one of {', '.join(FOLLOWUPS)}")
    if item.status != Status.CLOSED:
        raise InvalidTransitionError(f"a follow-up (回头看) needs a closed item, this one is {item.status}")
    to = Status.CLOSED if result == FollowUp.CONSOLIDATED else Status.IN_PROGRESS
    when = at or _now()
    words = FOLLOWUP_WORDS[result]  # the note is read by reviewers
    change = StatusChange(at=when, by=by, from_status=item.status, to_status=to,
                          note=f"回头看：{words}。{note}".strip())
    return item.model_copy(update={"status": to, "followup": result, "history": (*item.history, change)})
