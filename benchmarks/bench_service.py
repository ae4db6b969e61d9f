"""Upload-and-analyse latency through the real service, and its memory after warm-up.

Targets (issue #6): a 6,000-character DOCX, p50 <= 200 ms and p95 <= 400 ms on the reference machine;
service memory after warm-up <= 1 GB (the server process plus its analysis child).
Run by hand: ``.venv/bin/python benchmarks/bench_service.py [--n 60]``. Starts its own server on a free
port with a temporary data folder and SQLite, exactly as ``prereview serve`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.training.corpus.render import docx_bytes  # noqa: E402


def reports(n: int) -> list[bytes]:
    docs = [json.loads(x)["text"] for x in (ROOT / "corpora" / "annotated" / "documents.jsonl").open(encoding="utf-8")]
    out = []
    for k in range(n):  # hand-written reports joined to about 6,000 characters, each file distinct
        text = "\n".join(docs[(2 * k) % len(docs):(2 * k) % len(docs) + 3])[:6000]
        out.append(docx_bytes([("p", line) for line in text.split("\n")] + [("p", f"（编号{k}）")]))
    return out


def rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data_dir = Path(tempfile.mkdtemp(prefix="bench-service-"))
    env = {**os.environ, "PREREVIEW_DATA_DIR": str(data_dir)}
    cli = [sys.executable, "-m", "api.cli"]
    token = subprocess.run([*cli, "token", "create", "--role", "reviewer"], env=env, cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    t0 = time.perf_counter()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        ready_s = time.perf_counter() - t0
        files = reports(args.n + 3)
        times = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            for k, data in enumerate(files):
                t = time.perf_counter()
                res = client.post("/api/v1/reports", files={"file": (f"r{k}.docx", data)})
                elapsed = (time.perf_counter() - t) * 1000
                assert res.status_code == 201, res.text[:300]
                if k >= 3:  # the first uploads warm the caches
                    times.append(elapsed)
            memory = rss_mb(server.pid)
        times.sort()
        load = os.getloadavg()[0]
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
              f"load average {load:.1f}")
        print(f"{'measure':<40}{'value':>10}{'target':>12}")
        print(f"{'start-up until ready (s)':<40}{ready_s:>10.1f}{'':>12}")
        print(f"{'uploads timed':<40}{len(times):>10}{'':>12}")
        p50, p95 = statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]
        print(f"{'p50 upload-and-analyse (ms)':<40}{p50:>10.1f}{'<= 200':>12}")
        print(f"{'p95 upload-and-analyse (ms)':<40}{p95:>10.1f}{'<= 400':>12}")
        print(f"{'max (ms)':<40}{times[-1]:>10.1f}{'':>12}")
        print(f"{'memory after warm-up, server + child (MB)':<40}{memory:>10.0f}{'<= 1024':>12}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
