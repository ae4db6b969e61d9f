"""Several real service processes on one PostgreSQL database (PREREVIEW_TEST_POSTGRES_URL; skipped without it):
start-up together on an empty database, kill -9 of one while it analyses, a restart of both mid-round, and data
folders the instances do not share."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from api.tables import Job, JobFile, Report
from tests.api.server import Server
from tests.api.test_server import _reports

POSTGRES = os.environ.get("PREREVIEW_TEST_POSTGRES_URL")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not POSTGRES, reason="PREREVIEW_TEST_POSTGRES_URL not set (.ci/run sets it)")]
LEASE_S = 4.0
ERRORS = re.compile(r"Traceback|UniqueViolation|IntegrityError| ERROR |ERROR:")


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh, empty database of our own on the test server."""
    name = f"prereview_multi_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1),  # type: ignore[union-attr]
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES.rsplit("/", 1)[0] + "/" + name  # type: ignore[union-attr]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _instances(tmp_path: Path, url: str, n: int = 2, shared: bool = True, **env: str) -> list[Server]:
    return [Server(tmp_path / ("data" if shared else f"data{k}"), tmp_path / f"server{k}.log", "inline",
                   PREREVIEW_DATABASE_URL=url, PREREVIEW_INSTANCE_ID=f"node-{k}",
                   PREREVIEW_LEASE_SECONDS=str(LEASE_S), **env) for k in range(n)]


@pytest.fixture
def cleanup() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for srv in started:
        srv.stop()


def _engine(url: str) -> Engine:
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _wait(client: httpx.Client, job_id: str, until: str = "done", at_least: int = 0, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/api/v1/jobs/{job_id}").json()
        if (until == "done" and state["status"] == "done") or (until == "progress" and state["done"] >= at_least):
            return state  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} not {until} in {timeout} s: {state}")


def _no_file_twice(url: str, round_id: int, files: int) -> list[int]:
    eng = _engine(url)
    with eng.connect() as conn:
        per_name = conn.execute(select(Report.filename, func.count()).where(Report.round_id == round_id)
                                .group_by(Report.filename)).all()
        attempts = list(conn.scalars(select(JobFile.attempts).join(Job, Job.id == JobFile.job_id)
                                     .where(Job.round_id == round_id)))
        running = conn.scalar(select(func.count()).select_from(JobFile).where(JobFile.status == "running"))
    eng.dispose()
    assert len(per_name) == files and all(n == 1 for _, n in per_name)  # none lost, none stored twice
    assert running == 0
    return attempts


def test_instances_started_together_on_an_empty_database_all_come_up(tmp_path, database, cleanup) -> None:
    servers = _instances(tmp_path, database, 3)
    cleanup.extend(servers)
    for srv in servers:
        srv.launch()
    for srv in servers:
        assert srv.wait(ready=True).json()["store"] is True


def test_kill_9_mid_round_then_both_restarted_together(tmp_path, database, cleanup) -> None:
    a, b = _instances(tmp_path, database)
    cleanup.extend([a, b])
    h = {"Authorization": f"Bearer {a.token('--role', 'reviewer')}"}
    a.launch(), b.launch()
    a.wait(), b.wait()
    files = _reports(16)
    with httpx.Client(base_url=a.url, headers=h, timeout=120) as client:
        rid = client.post("/api/v1/rounds", json={"name": "两台服务器"}).json()["id"]
        job = client.post(f"/api/v1/rounds/{rid}/reports", files=[("files", f) for f in files]).json()
        _wait(client, job["id"], "progress", 2)
    eng = _engine(database)
    with eng.connect() as conn:  # a file node-0 is analysing right now
        deadline = time.monotonic() + 60
        while not conn.scalar(select(JobFile.id).where(JobFile.owner == "node-0", JobFile.status == "running")):
            assert time.monotonic() < deadline
            time.sleep(0.01)
            conn.rollback()
    a.kill()
    killed_at = time.monotonic()
    with eng.connect() as conn:  # an analysis takes ~50 ms: the file may have been finished before the kill landed
        in_flight = conn.scalar(select(func.count()).select_from(JobFile).where(
            JobFile.owner == "node-0", JobFile.status == "running"))
    with httpx.Client(base_url=b.url, headers=h, timeout=120) as client:
        state = _wait(client, job["id"], timeout=LEASE_S + 120)
        assert state["done"] == len(files) and state["failed"] == 0
    with eng.connect() as conn:  # what was in flight is taken over once the lease ran out (plus a poll), not later
        assert conn.scalar(select(func.count()).select_from(JobFile).where(JobFile.attempts > 1)) == in_flight
    assert in_flight <= 1 and time.monotonic() - killed_at < LEASE_S + 120
    assert sorted(_no_file_twice(database, rid, len(files))).count(2) == in_flight

    a.start()  # both up again; a second round, then both restarted together mid-round
    with httpx.Client(base_url=a.url, headers=h, timeout=120) as client:
        rid2 = client.post("/api/v1/rounds", json={"name": "同时重启"}).json()["id"]
        job2 = client.post(f"/api/v1/rounds/{rid2}/reports", files=[("files", f) for f in files]).json()
        _wait(client, job2["id"], "progress", 2)
    a.stop(), b.stop()
    a.launch(), b.launch()
    a.wait(), b.wait()
    with httpx.Client(base_url=b.url, headers=h, timeout=120) as client:
        state = _wait(client, job2["id"])
        assert state["done"] == len(files) and state["failed"] == 0
    assert max(_no_file_twice(database, rid2, len(files))) == 1  # nothing was analysed twice
    eng.dispose()
    for srv in (a, b):
        assert not ERRORS.search(srv.log.read_text(errors="replace")), srv.log.read_text(errors="replace")[-3000:]


def test_unshared_data_folders_are_reported_and_nothing_stays_running(tmp_path, database, cleanup) -> None:
    a, b = _instances(tmp_path, database, shared=False, PREREVIEW_FILE_STORE="folder")
    cleanup.extend([a, b])
    h = {"Authorization": f"Bearer {a.token('--role', 'reviewer')}"}
    a.launch(), b.launch()
    for srv in (a, b):
        answer = srv.wait(ready=False)
        deadline = time.monotonic() + 30
        while answer.status_code != 503 and time.monotonic() < deadline:  # until the other one has registered
            time.sleep(0.3)
            answer = srv.wait(ready=False)
        assert answer.status_code == 503 and answer.json()["code"] == "STORE_NOT_SHARED", answer.json()
    files = _reports(6)
    with httpx.Client(base_url=a.url, headers=h, timeout=120) as client:
        rid = client.post("/api/v1/rounds", json={"name": "未共享目录"}).json()["id"]
        job = client.post(f"/api/v1/rounds/{rid}/reports", files=[("files", f) for f in files]).json()
        state = _wait(client, job["id"])
    assert state["done"] + state["failed"] == len(files)
    assert {f["code"] for f in state["files"] if f["status"] == "failed"} <= {"FILE_MISSING"}
    eng = _engine(database)
    with eng.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(JobFile).where(JobFile.status == "running")) == 0
    eng.dispose()
