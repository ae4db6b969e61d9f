"""The rectification lifecycle: 未启动 → 整改中 → 已完成待验收 → 已销号, with 退回重改 and 回头看.

Every change returns a new item with one more history entry (who, when, from, to, note); a change the
lifecycle does not allow raises InvalidTransitionError naming the allowed next states.
"""

from __future__ import annotations

from datetime import UTC, datetime

from nlp.doc import ChecklistItem, StatusChange
from nlp.errors import PrereviewError

# fmt: off
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "未启动":       ("整改中",),
    "整改中":       ("已完成待验收",),
    "已完成待验收": ("已销号", "退回重改"),
    "退回重改":     ("整改中",),
    "已销号":       (),
}
FOLLOWUPS = ("巩固", "反弹", "虚假整改")
# fmt: on


class InvalidTransitionError(PrereviewError):
    code = "INVALID_TRANSITION"
    http_status = 409


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def change_status(item: ChecklistItem, to: str, by: str, note: str = "", at: str | None = None) -> ChecklistItem:
    """Move ``item`` to status ``to``; 已销号 and 退回重改 need a note (the acceptance opinion)."""
    allowed = TRANSITIONS.get(item.status, ())
    if to not in allowed:
        raise InvalidTransitionError(
            f"cannot move from {item.status} to {to}; allowed: {', '.join(allowed) or 'none (closed; use a follow-up)'}")
    if to in ("已销号", "退回重改") and not note.strip():
        raise InvalidTransitionError(f"moving to {to} needs an acceptance note")
    when = at or _now()
    update: dict[str, object] = {"status": to, "history": (*item.history, StatusChange(
        at=when, by=by, from_status=item.status, to_status=to, note=note))}
    if to in ("已销号", "退回重改"):
        update.update(acceptance_note=note, acceptance_date=when[:10])
    return item.model_copy(update=update)


def record_followup(item: ChecklistItem, result: str, by: str, note: str = "", at: str | None = None) -> ChecklistItem:
    """回头看 on a closed item: 巩固 keeps it closed; 反弹 or 虚假整改 reopens it (整改中)."""
    if result not in FOLLOWUPS:
        raise InvalidTransitionError(f"unknown follow-up result {result!r}; expected one of {', '.join(FOLLOWUPS)}")
    if item.status != "已销号":
        raise InvalidTransitionError(f"a follow-up (回头看) needs a closed item, this one is {item.status}")
    to = "已销号" if result == "巩固" else "整改中"
    when = at or _now()
    change = StatusChange(at=when, by=by, from_status=item.status, to_status=to, note=f"回头看：{result}。{note}".strip())
    return item.model_copy(update={"status": to, "followup": result, "history": (*item.history, change)})
