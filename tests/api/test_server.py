"""A real server process, talked to over HTTP with httpx; killed (-9) mid-round and restarted."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from api.tables import JobFile, Report
from tests.api.server import Server


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    srv = Server(tmp_path / "data", tmp_path / "server.log")
    yield srv
    srv.stop()


def _reports(n: int) -> list[tuple[str, bytes]]:
    from nlp.training.corpus import default_corpus_dir
    from nlp.training.corpus.generate import GeneratorConfig, generate
    from nlp.training.corpus.writer import load_pools

    records = generate(GeneratorConfig(n=n, seed=3, units=n, noise_rate=0.0, target_chars=3000),
                       load_pools(default_corpus_dir()))
    return [(f"{k:02d}_{r['unit']}.txt", r["text"].encode("utf-8")) for k, r in enumerate(records)]


@pytest.mark.slow
def test_real_server_upload_and_a_round_that_survives_kill_9(server: Server) -> None:
    token = server.token("--role", "reviewer", "--label", "审核员")
    assert token.startswith("pr_")
    h = {"Authorization": f"Bearer {token}"}
    server.start()
    with httpx.Client(base_url=server.url, headers=h, timeout=120) as client:
        one = client.post("/api/v1/reports", files={"file": ("one.txt", _reports(1)[0][1])})
        assert one.status_code == 201 and one.json()["analysis"]["verdict"]["decision"] in ("pass", "revise", "return")
        assert httpx.get(f"{server.url}/api/v1/issues").status_code == 401
        rid = client.post("/api/v1/rounds", json={"name": "断电续跑批次"}).json()["id"]
        files = _reports(16)
        job = client.post(f"/api/v1/rounds/{rid}/reports", files=[("files", f) for f in files]).json()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            state = client.get(f"/api/v1/jobs/{job['id']}").json()
            if state["done"] >= 2:
                break
            time.sleep(0.05)
    assert 2 <= state["done"] < len(files), state  # the kill lands mid-round
    server.kill()

    server.start()  # a restart resumes the job
    with httpx.Client(base_url=server.url, headers=h, timeout=120) as client:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            state = client.get(f"/api/v1/jobs/{job['id']}").json()
            if state["status"] == "done":
                break
            time.sleep(0.3)
        assert state["status"] == "done" and state["done"] == len(files) and state["failed"] == 0
        summary = client.get(f"/api/v1/rounds/{rid}/summary").json()
        assert summary["reports"] == len(files)
    engine = create_engine(f"sqlite:///{server.data_dir / 'prereview.db'}")
    with engine.connect() as conn:
        stored = conn.execute(select(Report.filename, func.count()).where(Report.round_id == rid)
                              .group_by(Report.filename)).all()
        attempts = conn.execute(select(func.max(JobFile.attempts))).scalar()
    engine.dispose()
    assert sorted(name for name, _ in stored) == sorted(name for name, _ in files)  # none lost
    assert all(n == 1 for _, n in stored)  # none stored twice
    assert attempts in (1, 2)  # the file in flight at the kill ran again, once
