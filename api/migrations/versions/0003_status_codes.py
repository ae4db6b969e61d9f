"""Rectification statuses and follow-up results as English codes (they were stored as the Chinese words).

Rewrites ``issues.status``, ``issue_history.from_status``/``to_status`` and, inside ``issues.item_json``, ``status``,
``followup`` and each ``history[].from_status``/``to_status``; the downgrade writes the Chinese words back. Values
that are neither (already rewritten, or unknown) are left as they are, so running either direction twice is harmless.

Revision ID: 0002_status_codes
Revises: 0002 (job leases)
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlalchemy as sa
from alembic import op

revision = "0002_status_codes"
down_revision = "0002"
branch_labels = None
depends_on = None

# The words as stored before this revision, frozen here: a migration must not change when nlp.glossary does.
# fmt: off
STATUS_WORDS = {"未启动": "not_started", "整改中": "in_progress", "已完成待验收": "for_acceptance", "已销号": "closed",
                "退回重改": "reopened"}
FOLLOWUP_WORDS = {"巩固": "consolidated", "反弹": "rebounded", "虚假整改": "sham"}
# fmt: on
BATCH = 1000

issues = sa.table("issues", sa.column("id", sa.String), sa.column("status", sa.String),
                  sa.column("item_json", sa.Text))
history = sa.table("issue_history", sa.column("from_status", sa.String), sa.column("to_status", sa.String))


def _item(text: str, statuses: Mapping[str, str], followups: Mapping[str, str]) -> str | None:
    """``item_json`` with its codes rewritten; None when nothing changes."""
    item = json.loads(text)
    before = json.dumps(item, ensure_ascii=False)
    item["status"] = statuses.get(item.get("status"), item.get("status"))
    if item.get("followup") is not None:
        item["followup"] = followups.get(item["followup"], item["followup"])
    for change in item.get("history") or ():
        for key in ("from_status", "to_status"):
            if change.get(key) is not None:
                change[key] = statuses.get(change[key], change[key])
    if json.dumps(item, ensure_ascii=False) == before:
        return None
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))  # the compact form pydantic writes


def _rewrite(statuses: Mapping[str, str], followups: Mapping[str, str]) -> None:
    conn = op.get_bind()
    for old, new in statuses.items():
        conn.execute(issues.update().where(issues.c.status == old).values(status=new))
        conn.execute(history.update().where(history.c.from_status == old).values(from_status=new))
        conn.execute(history.update().where(history.c.to_status == old).values(to_status=new))
    last = ""
    while True:  # item_json, a batch of rows at a time (a round of 1,000 reports has ~50,000 rows)
        rows = conn.execute(sa.select(issues.c.id, issues.c.item_json).where(issues.c.id > last)
                            .order_by(issues.c.id).limit(BATCH)).all()
        if not rows:
            return
        for row_id, text in rows:
            changed = _item(text, statuses, followups)
            if changed is not None:
                conn.execute(issues.update().where(issues.c.id == row_id).values(item_json=changed))
        last = rows[-1][0]


def upgrade() -> None:
    _rewrite(STATUS_WORDS, FOLLOWUP_WORDS)


def downgrade() -> None:
    _rewrite({v: k for k, v in STATUS_WORDS.items()}, {v: k for k, v in FOLLOWUP_WORDS.items()})
