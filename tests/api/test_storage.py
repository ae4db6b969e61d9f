"""Storage on SQLite always, and on a real PostgreSQL when PREREVIEW_TEST_POSTGRES_URL is set (.ci/run sets it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect, text

from api.blobs import BlobStore
from api.db import make_engine, migrate, session_factory
from api.store import add_report, change_issue, ensure_round, find_report, histories, list_issues
from api.tables import Base, IssueRow
from api.tokens import Principal, create_token, principal_for
from nlp.checklist.status import InvalidTransitionError
from tests.api.conftest import BACKENDS, empty_database


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated database."""
    with empty_database(request.param, tmp_path) as eng:
        migrate(eng)
        yield eng


def _result(unit: str = "甲县司法局", extra: str = ""):  # type: ignore[no-untyped-def]
    from api.analyzer import InlineAnalyzer, Request
    from tests.builders import make_txt

    return InlineAnalyzer().analyze(Request(make_txt() + extra.encode(), "r.txt", unit=unit))


def test_migrations_create_exactly_the_tables_the_models_describe(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"tokens", "rounds", "reports", "jobs", "job_files", "issues", "issue_history"} <= set(
        inspect(engine).get_table_names())
    migrate(engine)  # a second run is a no-op


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    eng.dispose()


def test_reports_issues_history_and_tokens_survive_a_new_engine(engine) -> None:
    sessions = session_factory(engine)
    with sessions() as s:
        token = create_token(s, "reviewer", label="审核员甲")
    with pytest.raises(Exception, match="needs --unit"):
        with sessions() as s:
            create_token(s, "submitter")
    result = _result()
    with sessions.begin() as s:
        round_row = ensure_round(s, "第一批")
        report = add_report(s, result, round_row, None)
        report_id, round_id = report.id, round_row.id
    engine.dispose()  # as after a restart: everything comes back from the database
    with sessions() as s:
        who = principal_for(s, token)
        assert who is not None and who.role == "reviewer" and principal_for(s, token + "x") is None
        assert find_report(s, result.document.id, round_id).id == report_id
        assert find_report(s, result.document.id, None) is None  # the same file outside the round is another report
        issues = list_issues(s, round_ref=round_id)
        assert len(issues) == len(result.issues) and all(i["unit"] == "甲县司法局" for i in issues)
    who = Principal(1, "reviewer", None, "审核员甲")
    with sessions.begin() as s:
        row = change_issue(s, s.get(IssueRow, issues[0]["id"]), who, "in_progress", None, "开始整改")
    with sessions.begin() as s, pytest.raises(InvalidTransitionError):
        change_issue(s, s.get(IssueRow, issues[0]["id"]), who, "not_started", None, "")
    with sessions() as s:
        assert [h.to_status for h in histories(s, [row.id])[row.id]] == ["in_progress"]
        assert list_issues(s, status="in_progress")[0]["id"] == issues[0]["id"]


def test_the_same_bytes_in_one_round_are_refused_by_the_database(engine) -> None:
    from sqlalchemy.exc import IntegrityError

    sessions = session_factory(engine)
    result = _result(extra="重复")
    with sessions.begin() as s:
        add_report(s, result, ensure_round(s, "唯一性"), None)
    with pytest.raises(IntegrityError), sessions.begin() as s:
        add_report(s, result, ensure_round(s, "唯一性"), None)


def test_blobs_are_content_addressed_and_written_once(tmp_path) -> None:
    blobs = BlobStore(tmp_path)
    digest = blobs.put("报告正文".encode())
    assert blobs.put("报告正文".encode()) == digest
    assert blobs.get(digest) == "报告正文".encode()
    assert blobs.path(digest).parent.name == digest[:2]
    assert not list(tmp_path.rglob(".tmp-*"))


def test_the_store_reads_for_pages_and_rounds(engine) -> None:
    from api import store
    from api.tables import Job

    sessions = session_factory(engine)
    a, b = _result("甲县司法局", "甲"), _result("乙县司法局", "乙")
    with sessions.begin() as s:
        first, second = ensure_round(s, "第一批"), ensure_round(s, "第二批")
        ra = add_report(s, a, first, None)
        rb = add_report(s, b, first, None)
        loose = add_report(s, _result("丙县司法局", "丙"), None, None)
        s.add(Job(id="job1", round_id=first.id, status="running", created_at=store.now()))
        ids = {"first": first.id, "second": second.id, "a": ra.id, "b": rb.id, "loose": loose.id}
    with sessions() as s:
        reviewer = principal_for(s, create_token(s, "reviewer", label="审核员甲"))
    assert reviewer is not None
    with sessions() as s:
        assert [r.name for r in store.list_rounds(s)] == ["第一批", "第二批"]
        assert [r.name for r in store.list_rounds(s, newest_first=True)] == ["第二批", "第一批"]
        decisions = store.round_decision_counts(s)
        assert set(decisions) == {ids["first"]} and sum(decisions[ids["first"]].values()) == 2
        assert sorted(r.unit for r in store.round_reports(s, ids["first"])) == ["乙县司法局", "甲县司法局"]
        assert store.round_open_job(s, ids["first"]) == "job1" and store.round_open_job(s, ids["second"]) is None
        issues = len(a.issues) + len(b.issues)
        assert store.round_open_issues(s, ids["first"]) == issues and store.round_open_issues(s, ids["second"]) == 0
        assert len(store.round_checklist_items(s, ids["first"])) == issues
        assert [r.id for r in store.recent_reports(s, reviewer, 2)] == [ids["loose"], ids["b"]]
        own = store.recent_reports(s, Principal(2, "submitter", "甲县司法局", "甲"), 50)
        assert [r.id for r in own] == [ids["a"]]
        assert store.recent_reports(s, Principal(3, "submitter", None, "无单位"), 50) == []
        assert set(store.reports_by_id(s, {ids["a"], "nope"})) == {ids["a"]}
        rows = store.report_issue_rows(s, ids["a"])
        assert [r.number for r in rows] == sorted(r.number for r in rows) and len(rows) == len(a.issues)
        units = store.issue_units(s)
        assert len(units) == len(set(units)) and "甲县司法局" in units  # distinct, in the database's collation
        assert set(units) <= {"甲县司法局", "乙县司法局", "丙县司法局"}
        assert store.get_job(s, "job1").round_id == ids["first"]
        with pytest.raises(Exception, match="job nope"):
            store.get_job(s, "nope")
    changed, *others = [r.id for r in rows]
    with sessions.begin() as s:
        change_issue(s, s.get(IssueRow, changed), reviewer, "in_progress", None, "开始")
    with sessions() as s:
        history = store.histories(s, [changed, *others])
        assert [h.to_status for h in history[changed]] == ["in_progress"]
        assert set(history) == {changed, *others} and not any(history[k] for k in others)
