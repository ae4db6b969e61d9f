"""Migrations that rewrite stored data, on SQLite always and on PostgreSQL when PREREVIEW_TEST_POSTGRES_URL is set.

A database is brought to an old revision, filled the way that revision's service wrote it, then upgraded (and
downgraded again).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text

from api.db import MIGRATIONS
from nlp.doc import ChecklistItem
from tests.api.conftest import BACKENDS, empty_database


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty database (no revision yet)."""
    with empty_database(request.param, tmp_path) as eng:
        yield eng


def _to(engine: Engine, revision: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _old_item(number: int, status: str, followup: str | None, history: list[tuple[str | None, str, str]]) -> str:
    """A checklist item as the service stored it before the status codes (compact JSON, Chinese words)."""
    item = {"number": number, "issue_id": f"i{number}", "round": "2025年度评议", "source": "self_report",
            "unit": "甲县司法局", "document": "r.docx", "original": "执法不规范", "text": "执法不规范",
            "domain": "law_enforcement", "domain_name": "行政执法", "visibility": "explicit", "status": status,
            "followup": followup, "history": [{"at": f"2025-04-0{k + 1}T09:00:00+00:00", "by": "张审核",
                                               "from_status": a, "to_status": b, "note": note}
                                              for k, (a, b, note) in enumerate(history)]}
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


# an item reopened by a 回头看 (反弹), one closed and kept (巩固), one never touched
OLD_ROWS = {
    "r1:i1": ("整改中", _old_item(1, "整改中", "反弹", [
        (None, "整改中", ""), ("整改中", "已完成待验收", "已提交"), ("已完成待验收", "退回重改", "材料不全"),
        ("退回重改", "整改中", ""), ("整改中", "已完成待验收", ""), ("已完成待验收", "已销号", "验收合格"),
        ("已销号", "整改中", "回头看：反弹。")])),
    "r1:i2": ("已销号", _old_item(2, "已销号", "巩固", [("未启动", "整改中", ""), ("整改中", "已完成待验收", ""),
                                                     ("已完成待验收", "已销号", "同意"), ("已销号", "已销号", "回头看：巩固。")])),
    "r1:i3": ("未启动", _old_item(3, "未启动", None, [])),
}


def _fill_old(conn: Connection) -> None:
    conn.execute(text("INSERT INTO reports (id, sha256, round_key, filename, kind, decision, created_at, result_json) "
                      "VALUES ('r1', :sha, 0, 'r.docx', 'shufa_report', 'revise', '2025-04-01', '{}')"),
                 {"sha": "0" * 64})
    for row_id, (status, item) in OLD_ROWS.items():
        conn.execute(text("INSERT INTO issues (id, report_id, unit, domain, visibility, status, number, item_json, "
                          "updated_at) VALUES (:id, 'r1', '甲县司法局', 'law_enforcement', 'explicit', :status, 1, "
                          ":item, '2025-04-07')"), {"id": row_id, "status": status, "item": item})
        for change in json.loads(item)["history"]:
            conn.execute(text("INSERT INTO issue_history (issue_id, at, by, from_status, to_status, note) "
                              "VALUES (:id, :at, :by, :from_status, :to_status, :note)"), {"id": row_id, **change})


def _stored(conn: Connection) -> dict[str, tuple[str, str, list[tuple[str | None, str]]]]:
    rows = conn.execute(text("SELECT id, status, item_json FROM issues ORDER BY id")).all()
    changes = conn.execute(text("SELECT issue_id, from_status, to_status FROM issue_history ORDER BY id")).all()
    return {row_id: (status, item, [(a, b) for i, a, b in changes if i == row_id]) for row_id, status, item in rows}


def test_status_codes_upgrade_rewrites_the_chinese_words_and_downgrade_restores_them(engine: Engine) -> None:
    _to(engine, "0001")
    with engine.begin() as conn:
        _fill_old(conn)
        before = _stored(conn)
    _to(engine, "head")
    with engine.connect() as conn:
        after = _stored(conn)
    reopened, kept, untouched = (ChecklistItem.model_validate_json(after[k][1]) for k in ("r1:i1", "r1:i2", "r1:i3"))
    assert (after["r1:i1"][0], reopened.status, reopened.followup) == ("in_progress", "in_progress", "rebounded")
    assert [(h.from_status, h.to_status) for h in reopened.history] == [
        (None, "in_progress"), ("in_progress", "for_acceptance"), ("for_acceptance", "reopened"),
        ("reopened", "in_progress"), ("in_progress", "for_acceptance"), ("for_acceptance", "closed"),
        ("closed", "in_progress")]
    assert reopened.history[-1].note == "回头看：反弹。"  # notes are reviewers' words and stay as written
    assert after["r1:i1"][2] == [(h.from_status, h.to_status) for h in reopened.history]  # the audit table too
    assert (after["r1:i2"][0], kept.status, kept.followup) == ("closed", "closed", "consolidated")
    assert (after["r1:i3"][0], untouched.status, untouched.history) == ("not_started", "not_started", ())
    assert json.loads(after["r1:i3"][1]) == json.loads(before["r1:i3"][1]) | {"status": "not_started"}

    _to(engine, "0001", down=True)
    with engine.connect() as conn:
        assert _stored(conn) == before  # byte for byte
    _to(engine, "head")
    _to(engine, "head")  # a second run is a no-op
    with engine.connect() as conn:
        assert _stored(conn) == after
