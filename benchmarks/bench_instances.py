"""A round of N reports through the real service: one instance, two instances on one PostgreSQL, and one instance
sending analysis to a local Dask scheduler (``PREREVIEW_DASK_SCHEDULER``); plus the queue's own cost per file.

Run by hand: ``.venv/bin/python benchmarks/bench_instances.py --database postgresql://postgres@127.0.0.1/test``
(``--n 200``; ``--configs one,two,dask,queue``). Each configuration gets a fresh database of its own, dropped after;
instances run ``prereview serve`` with an analysis child each (``PREREVIEW_ANALYSIS_MODE=process``) and one job
worker; the time is from the upload's answer to the job's ``done`` (round step included).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api.server import Server, free_port  # noqa: E402
from tests.api.test_server import _reports  # noqa: E402


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    name = f"prereview_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def dask_cluster(workers: int) -> Iterator[str]:
    bin_dir = Path(sys.executable).parent
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"env": env, "cwd": ROOT, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], **quiet)]
    time.sleep(3)
    procs.append(subprocess.Popen([str(bin_dir / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--nworkers",
                                   str(workers), "--nthreads", "1", "--no-dashboard"], **quiet))
    try:
        yield f"tcp://127.0.0.1:{port}"
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(30)


def run_round(url: str, instances: int, files: list[tuple[str, bytes]], workdir: Path, **env: str) -> float:
    servers = [Server(workdir / f"data{k}", workdir / f"server{k}.log", "process", PREREVIEW_DATABASE_URL=url,
                      **env) for k in range(instances)]
    try:
        headers = {"Authorization": f"Bearer {servers[0].token('--role', 'reviewer')}"}
        for srv in servers:
            srv.launch()
        for srv in servers:
            srv.wait()
        with httpx.Client(base_url=servers[0].url, headers=headers, timeout=600) as client:
            rid = client.post("/api/v1/rounds", json={"name": "基准"}).json()["id"]
            job = client.post(f"/api/v1/rounds/{rid}/reports", files=[("files", f) for f in files]).json()
            started = time.monotonic()
            while (state := client.get(f"/api/v1/jobs/{job['id']}").json())["status"] != "done":
                time.sleep(0.2)
            seconds = time.monotonic() - started
        assert state["done"] == len(files), state
        return seconds
    finally:
        for srv in servers:
            srv.stop()


def queue_cost(url: str, n: int) -> float:
    """Milliseconds per file for claim + finish mark alone (no analysis), one worker."""
    from sqlalchemy import update

    from api.db import make_engine, migrate, session_factory
    from api.jobs import JobRunner
    from api.tables import Job, JobFile, Round

    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        s.add(Round(id=1, name="q", created_at="", dirty=False))
        s.flush()
        s.add(Job(id="j", round_id=1, status="queued", created_at=""))
        s.flush()
        s.add_all(JobFile(job_id="j", position=k, name=f"{k}", sha256="0" * 64, status="queued", attempts=0)
                  for k in range(n))
    runner = JobRunner(sessions, None, None, lambda: None, instance_id="bench")  # type: ignore[arg-type]
    started = time.monotonic()
    while (claimed := runner._claim()) is not None:
        with sessions.begin() as s:
            s.execute(update(JobFile).where(JobFile.id == claimed[0], JobFile.owner == "bench")
                      .values(status="done", owner=None, lease_until=None))
    ms = (time.monotonic() - started) * 1000 / n
    engine.dispose()
    return ms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", required=True, help="an admin URL of a PostgreSQL server (databases are made)")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--configs", default="one,two,dask,queue")
    args = ap.parse_args()
    configs = args.configs.split(",")
    files = _reports(args.n) if {"one", "two", "dask"} & set(configs) else []
    print(f"{platform.node()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {args.n} reports")
    for config in configs:
        with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database) as url:
            if config == "queue":
                for name, db in (("PostgreSQL", url), ("SQLite", f"sqlite:///{tmp}/q.db")):
                    print(f"queue, {name}: {queue_cost(db, 2000):.2f} ms a file (claim + finish mark)")
                continue
            if config == "dask":
                with dask_cluster(2) as scheduler:
                    seconds = run_round(url, 1, files, Path(tmp), PREREVIEW_DASK_SCHEDULER=scheduler,
                                        PREREVIEW_JOB_WORKERS="2")
            else:
                seconds = run_round(url, 1 if config == "one" else 2, files, Path(tmp))
        print(f"{config}: {seconds:.1f} s, {args.n / seconds:.1f} reports/s (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
