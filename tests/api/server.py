"""A real ``prereview serve`` process for the tests that talk to one over HTTP (server, browser)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def prereview_command() -> list[str]:
    """``python -m api.cli``: the ``prereview`` command of this checkout (an installed script may be another's)."""
    return [sys.executable, "-m", "api.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One data folder; ``start`` waits for /readyz, ``kill`` is kill -9 of the whole process group."""

    def __init__(self, data_dir: Path, log: Path, analysis_mode: str = "process", **env: str) -> None:
        """``env``: more settings, e.g. ``PREREVIEW_DATABASE_URL`` for instances sharing one database."""
        self.data_dir = data_dir
        self.env = {**os.environ, "PREREVIEW_DATA_DIR": str(data_dir), "PREREVIEW_ANALYSIS_MODE": analysis_mode,
                    **env}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def token(self, *args: str) -> str:
        out = subprocess.run([*prereview_command(), "token", "create", *args], env=self.env, cwd=ROOT,
                             capture_output=True, check=True, text=True)
        return out.stdout.strip().splitlines()[-1]

    def start(self) -> None:
        self.launch()
        self.wait(ready=True)

    def launch(self) -> None:
        """Start the process without waiting (several instances start together)."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([*prereview_command(), "serve", "--port", str(self.port)], env=self.env,
                                         cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, ready: bool = True) -> httpx.Response:
        """Until /readyz answers 200 (``ready``) or answers at all; returns the answer."""
        assert self.proc is not None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{self.url}/readyz", timeout=2, trust_env=False)
                if answer.status_code == 200 or not ready:
                    return answer
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, f"server exited:\n{self.log.read_text(errors='replace')[-3000:]}"
            time.sleep(0.3)
        raise AssertionError("server not ready in 180 s")

    def kill(self) -> None:
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
                self.proc.wait(10)
