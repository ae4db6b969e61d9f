"""The job queue shared by several instances, on SQLite and (with PREREVIEW_TEST_POSTGRES_URL) PostgreSQL: claims
are atomic, leases expire and are taken over, a late result is dropped, start-up leaves live claims alone."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from api.analyzer import InlineAnalyzer, Request
from api.blobs import BlobStore, DatabaseBlobStore
from api.db import migrate, session_factory
from api.instances import beat, register, unshared_peers
from api.jobs import JobRunner, enqueue, resume
from api.store import ensure_round, new_id
from api.tables import Job, JobFile, Report
from api.uploads import Upload
from tests.api.conftest import BACKENDS, POSTGRES
from tests.api.test_storage import engine  # noqa: F401 - the SQLite / PostgreSQL fixture


class Counting:
    """An analyzer that counts what it analyses and can be held at a gate."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.inner = InlineAnalyzer()
        self.seen: Counter[str] = Counter()
        self.gate = gate
        self._lock = threading.Lock()

    ready = True

    def analyze(self, request: Request):  # type: ignore[no-untyped-def]
        with self._lock:
            self.seen[request.filename] += 1
        if self.gate is not None:
            assert self.gate.wait(30)
        return self.inner.analyze(request)

    def close(self) -> None:
        pass


def _files(n: int) -> list[Upload]:
    from tests.builders import make_txt

    return [Upload(f"r{k}.txt", make_txt() + f"第{k}份".encode(), f"单位{k}") for k in range(n)]


def _queue(sessions, blobs, n: int) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with sessions.begin() as s:
        round_row = ensure_round(s, f"批次{new_id()[:6]}")
        job = enqueue(s, round_row, _files(n), blobs, None, new_id())
        return job.id, round_row.id


def _runner(sessions, blobs, analyzer, name: str, lease_s: float = 60.0) -> JobRunner:  # type: ignore[no-untyped-def]
    return JobRunner(sessions, analyzer, blobs, lambda: _round_models(), 1, name, lease_s)


def _round_models():  # type: ignore[no-untyped-def]
    from nlp.bundle import round_models

    return round_models(None, None)


def test_two_instances_take_each_file_once(engine) -> None:  # noqa: F811
    sessions = session_factory(engine)
    blobs = DatabaseBlobStore(engine)
    job_id, round_id = _queue(sessions, blobs, 8)
    analyzer = Counting()
    runners = [_runner(sessions, blobs, analyzer, name) for name in ("a", "b")]

    def drain(runner: JobRunner) -> None:
        while runner.work_one():
            pass

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(drain, runners))
    assert sorted(analyzer.seen) == [f"r{k}.txt" for k in range(8)] and set(analyzer.seen.values()) == {1}
    with sessions() as s:
        assert s.get(Job, job_id).status == "done"
        assert s.scalar(select(func.count()).select_from(Report).where(Report.round_id == round_id)) == 8
        assert set(s.scalars(select(JobFile.owner))) == {None}


def test_an_expired_lease_is_taken_over_and_the_late_result_dropped(engine) -> None:  # noqa: F811
    sessions = session_factory(engine)
    blobs = DatabaseBlobStore(engine)
    job_id, round_id = _queue(sessions, blobs, 1)
    gate = threading.Event()
    slow = _runner(sessions, blobs, Counting(gate), "slow", lease_s=0.5)  # no heartbeat: as if it hung
    late = threading.Thread(target=slow.work_one)
    late.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not slow.analyzer.seen:  # type: ignore[attr-defined]
        time.sleep(0.02)
    other = _runner(sessions, blobs, Counting(), "other")
    assert other._claim() is None  # the lease still holds
    time.sleep(0.6)
    assert other.work_one()  # taken over and finished
    gate.set()
    late.join(30)
    with sessions() as s:
        f = s.scalars(select(JobFile).where(JobFile.job_id == job_id)).one()
        assert (f.status, f.attempts, f.owner) == ("done", 2, None)
        assert s.scalar(select(func.count()).select_from(Report).where(Report.round_id == round_id)) == 1
        assert s.get(Job, job_id).status == "done"


def test_start_up_recovers_its_own_and_expired_claims_only(engine) -> None:  # noqa: F811
    sessions = session_factory(engine)
    blobs = DatabaseBlobStore(engine)
    _queue(sessions, blobs, 2)
    live = _runner(sessions, blobs, Counting(), "live")
    gone = _runner(sessions, blobs, Counting(), "gone", lease_s=0.01)
    assert live._claim() is not None and gone._claim() is not None
    time.sleep(0.05)
    assert resume(sessions, "new") == 1  # the expired one
    with sessions() as s:
        assert [(f.owner, f.status) for f in s.scalars(select(JobFile).order_by(JobFile.id))] == [
            ("live", "running"), (None, "queued")]
    before = time.time()
    assert beat(sessions, "live", 30.0) == 1
    with sessions() as s:
        assert s.scalar(select(JobFile.lease_until).where(JobFile.owner == "live")) >= before + 29
    assert resume(sessions, "live") == 1  # a restart under the same id takes its file back at once


def test_missing_bytes_fail_with_a_code_and_nothing_stays_running(tmp_path, engine) -> None:  # noqa: F811
    sessions = session_factory(engine)
    blobs = BlobStore(tmp_path / "files")
    job_id, _ = _queue(sessions, blobs, 2)
    for path in (tmp_path / "files").rglob("*"):
        if path.is_file():
            path.unlink()
    runner = _runner(sessions, blobs, Counting(), "a")
    while runner.work_one():
        pass
    with sessions() as s:
        assert {(f.status, f.code) for f in s.scalars(select(JobFile))} == {("failed", "FILE_MISSING")}
        assert s.get(Job, job_id).status == "done"


def test_instances_check_that_they_see_one_file_folder(tmp_path, engine) -> None:  # noqa: F811
    sessions = session_factory(engine)
    shared, own = BlobStore(tmp_path / "shared"), BlobStore(tmp_path / "own")
    register(sessions, "a", shared)
    register(sessions, "b", shared)
    assert unshared_peers(sessions, "a", shared, 60) == [] and unshared_peers(sessions, "b", shared, 60) == []
    register(sessions, "c", own)
    assert unshared_peers(sessions, "a", shared, 60) == ["c"] and unshared_peers(sessions, "c", own, 60) == ["a", "b"]
    assert unshared_peers(sessions, "c", None, 60) == []  # the database store needs no shared folder


def test_database_blobs_round_trip(engine) -> None:  # noqa: F811
    from api.errors import FileMissingError

    blobs = DatabaseBlobStore(engine)
    digest = blobs.put(b"\x00abc")
    assert blobs.put(b"\x00abc") == digest and blobs.get(digest) == b"\x00abc"
    with session_factory(engine).begin() as s:
        assert blobs.put(b"\x00abc", session=s) == digest  # no conflict inside a transaction either
    with pytest.raises(FileMissingError):
        blobs.get("0" * 64)


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_started_together_on_an_empty_database_all_succeed(backend: str, tmp_path) -> None:
    import uuid

    from sqlalchemy import create_engine, inspect, text

    from api.db import make_engine

    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        schema = f"t_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))  # type: ignore[union-attr]
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    engines = [make_engine(url) for _ in range(4)]  # one per instance, as separate processes would have
    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(migrate, engines))
        assert "job_files" in inspect(engines[0]).get_table_names()
    finally:
        for eng in engines:
            eng.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def test_a_file_its_workers_died_on_three_times_fails_with_a_code(engine) -> None:  # noqa: F811
    from sqlalchemy import update

    sessions = session_factory(engine)
    blobs = DatabaseBlobStore(engine)
    job_id, _ = _queue(sessions, blobs, 1)
    with sessions.begin() as s:
        s.execute(update(JobFile).values(status="running", owner="dead", lease_until=0.0, attempts=3))
    analyzer = Counting()
    runner = _runner(sessions, blobs, analyzer, "a")
    while runner.work_one():
        pass
    runner._finish_stale()
    with sessions() as s:
        assert [(f.status, f.code) for f in s.scalars(select(JobFile))] == [("failed", "ANALYZER_FAILED")]
        assert s.get(Job, job_id).status == "done" and not analyzer.seen
