"""Fixtures for the service: an app on a temporary data folder (SQLite by default; ``backend_service`` also on
PostgreSQL when PREREVIEW_TEST_POSTGRES_URL is set), and tokens of each role."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from api.app import create_app
from api.settings import Settings
from api.tokens import create_token


@dataclass
class Service:
    client: TestClient
    app: object
    data_dir: Path
    reviewer: dict[str, str]
    submitter: dict[str, str]  # unit 甲县司法局
    other_submitter: dict[str, str]  # unit 乙县司法局

    @property
    def services(self):  # type: ignore[no-untyped-def]
        return self.app.state.services  # type: ignore[attr-defined]


def wait_job(client: TestClient, headers: dict[str, str], job_id: str, timeout: float = 120) -> dict:  # type: ignore[type-arg]
    """The round job once it has finished (its status ``done``); an AssertionError when it has not by ``timeout``."""
    deadline = time.monotonic() + timeout
    job: dict = {}  # type: ignore[type-arg]
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job.get("status") == "done", f"job {job_id} did not finish: {job}"
    return job


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


POSTGRES = os.environ.get("PREREVIEW_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="PREREVIEW_TEST_POSTGRES_URL not set (.ci/run sets it)"))]


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A database URL on a new schema of the test PostgreSQL (tests never touch other data), dropped afterwards."""
    assert POSTGRES
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        _drop_schema(admin, schema)
        admin.dispose()


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[Engine]:
    """An engine on an empty database (no revision yet): a SQLite file under ``folder``, or a PostgreSQL schema of
    its own."""
    from api.db import make_engine

    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'db' / 'prereview.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with postgres_schema() as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _drop_schema(admin: Engine, schema: str, tries: int = 5) -> None:
    """Drop the schema, again after a pause when a job thread of the stopped service still wrote to it (a
    deadlock): ``JobRunner.stop`` waits 10 s for a thread, a fuzzed round upload may take longer."""
    for k in range(tries):
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            return
        except OperationalError:
            if k == tries - 1:
                raise
            time.sleep(2)


@contextmanager
def running_service(data_dir: Path, database_url: str = "") -> Iterator[Service]:
    """A started app (models loaded, analyses inline) with a reviewer's and two submitters' tokens."""
    app = create_app(Settings(data_dir=data_dir, analysis_mode="inline", database_url=database_url))
    with TestClient(app) as client:
        with app.state.services.sessions() as s:
            tokens = (create_token(s, "reviewer", label="测试审核员"), create_token(s, "submitter", "甲县司法局"),
                      create_token(s, "submitter", "乙县司法局"))
        yield Service(client, app, data_dir, *(_bearer(t) for t in tokens))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One running app per test module (models load once) on SQLite."""
    with running_service(tmp_path_factory.mktemp("service")) as svc:
        yield svc


@pytest.fixture(scope="module", params=BACKENDS)
def backend_service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One running app per test module and backend: SQLite, and PostgreSQL (its ``database`` file store) when
    PREREVIEW_TEST_POSTGRES_URL is set."""
    with service_on(request.param, tmp_path_factory.mktemp(f"service-{request.param}")) as svc:
        yield svc


@contextmanager
def service_on(backend: str, data_dir: Path) -> Iterator[Service]:
    """A running app on ``backend`` ("sqlite", or "postgresql" in a schema of its own)."""
    if backend == "sqlite":
        with running_service(data_dir) as svc:
            yield svc
        return
    with postgres_schema() as url, running_service(data_dir, url) as svc:
        yield svc


@pytest.fixture(scope="session")
def sample_report() -> bytes:
    return (Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_report.txt").read_bytes()
