"""A real server process, talked to over HTTP with httpx; killed (-9) mid-round and restarted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from api.tables import JobFile, Report

ROOT = Path(__file__).resolve().parents[2]
PRERVIEW = [sys.executable, "-m", "nlp.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {**os.environ, "PREREVIEW_DATA_DIR": str(data_dir), "PREREVIEW_ANALYSIS_MODE": "process"}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def token(self, *args: str) -> str:
        out = subprocess.run([*PRERVIEW, "token", "create", *args], env=self.env, cwd=ROOT, capture_output=True,
                             check=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    def start(self) -> None:
        self.proc = subprocess.Popen([*PRERVIEW, "serve", "--port", str(self.port)], env=self.env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, "server exited"
            time.sleep(0.3)
        raise AssertionError("server not ready in 180 s")

    def kill(self) -> None:
        """kill -9 the server and its analysis child (the whole process group)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    srv = Server(tmp_path / "data")
    yield srv
    srv.stop()


def _reports(n: int) -> list[tuple[str, bytes]]:
    from nlp.corpus import default_corpus_dir
    from nlp.corpus.generate import GeneratorConfig, generate
    from nlp.corpus.writer import load_pools

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
