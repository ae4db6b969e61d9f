"""Round jobs: a persistent queue of files in the database, worked by threads inside the service.

A file is claimed with a conditional UPDATE (queued → running), so several workers or service processes
never take the same file. Its report, its checklist rows and its ``done`` mark are written in one
transaction: a crash before the commit leaves the file ``running``, and ``resume()`` at start-up puts it
back in the queue, so after a restart no file is lost and none is stored twice.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from api.analyzer import Analyzer, Request
from api.blobs import BlobStore
from api.rounds import Tools, refresh_round
from api.store import add_report, find_report, now
from api.tables import Job, JobFile, Round
from nlp.errors import PrereviewError

logger = logging.getLogger(__name__)
POLL_S = 1.0


def resume(sessions: sessionmaker) -> int:  # type: ignore[type-arg]
    """Put files a dead process was working on back in the queue; returns how many."""
    with sessions.begin() as s:
        n = s.execute(update(JobFile).where(JobFile.status == "running").values(status="queued")).rowcount
        s.execute(update(Job).where(Job.status == "running").values(status="queued"))
    return int(n or 0)


class JobRunner:
    def __init__(self, sessions: sessionmaker, analyzer: Analyzer, blobs: BlobStore, tools: Tools,  # type: ignore[type-arg]
                 workers: int = 1) -> None:
        self.sessions = sessions
        self.analyzer = analyzer
        self.blobs = blobs
        self.tools = tools
        self.workers = workers
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.round_lock = threading.Lock()

    def start(self) -> None:
        resume(self.sessions)
        for k in range(self.workers):
            t = threading.Thread(target=self._loop, name=f"prereview-job-{k}", daemon=True)
            t.start()
            self._threads.append(t)
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(10)

    def notify(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.work_one()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                logger.exception("job worker error")
                worked = False
            if not worked:
                self._wake.wait(POLL_S)
                self._wake.clear()

    def work_one(self) -> bool:
        """Claim and analyse one queued file; finish its job when it was the last. False when idle."""
        claimed = self._claim()
        if claimed is None:
            return self._finish_stale()
        file_id, job_id = claimed
        with self.sessions() as s:
            f = s.get(JobFile, file_id)
            job = s.get(Job, job_id)
            round_row = s.get(Round, job.round_id)
            request = Request(self.blobs.get(f.sha256), f.name, f.kind, f.unit, f.year)
            submitted_by = job.submitted_by
        try:
            result = self.analyzer.analyze(request)
            error = None
        except PrereviewError as err:
            result, error = None, err
        with self.sessions.begin() as s:
            f = s.get(JobFile, file_id)
            if f.status != "running":  # another process finished it meanwhile
                return True
            if error is not None:
                f.status, f.code, f.message = "failed", error.code, f"{error.message_zh}（{error.detail}）"
            else:
                round_row = s.get(Round, round_row.id)
                existing = find_report(s, f.sha256, round_row.id)
                report = existing or add_report(s, result, round_row, submitted_by)
                f.status, f.report_id = "done", report.id
                f.name = result.document.filename  # a transcript named after its interviewee: the masked name
        self._finish_if_last(job_id)
        return True

    def _claim(self) -> tuple[int, str] | None:
        with self.sessions() as s:
            candidates = s.execute(select(JobFile.id, JobFile.job_id).where(JobFile.status == "queued")
                                   .order_by(JobFile.id).limit(8)).all()
        for file_id, job_id in candidates:
            with self.sessions.begin() as s:
                n = s.execute(update(JobFile).where(JobFile.id == file_id, JobFile.status == "queued")
                              .values(status="running", attempts=JobFile.attempts + 1)).rowcount
                if n:
                    s.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(status="running"))
                    return file_id, job_id
        return None

    def _finish_stale(self) -> bool:
        """Jobs whose files are all through but whose round step did not run (a crash in between)."""
        with self.sessions() as s:
            open_jobs = list(s.scalars(select(Job.id).where(Job.status.in_(("queued", "running")))))
        for job_id in open_jobs:
            self._finish_if_last(job_id)
        return False

    def _finish_if_last(self, job_id: str) -> None:
        with self.round_lock, self.sessions.begin() as s:
            left = s.scalar(select(JobFile.id).where(JobFile.job_id == job_id,
                                                     JobFile.status.in_(("queued", "running"))).limit(1))
            job = s.get(Job, job_id)
            if left is not None or job.status == "done":
                return
            refresh_round(s, s.get(Round, job.round_id), self.tools)
            job.status, job.finished_at = "done", now()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """For tests and the demo seed: True once no job is queued or running."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.sessions() as s:
                busy = s.scalar(select(Job.id).where(Job.status.in_(("queued", "running"))).limit(1))
            if busy is None:
                return True
            time.sleep(0.1)
        return False


def enqueue(s: Session, round_row: Round, files: list[Any], blobs: BlobStore, submitted_by: int | None,
            job_id: str) -> Job:
    """A job for ``files`` (name, data, unit, kind, year): blobs stored first, then the rows, in the caller's
    transaction."""
    job = Job(id=job_id, round_id=round_row.id, status="queued", created_at=now(), submitted_by=submitted_by)
    s.add(job)
    for k, f in enumerate(files):
        digest = blobs.put(f.data)
        s.add(JobFile(job_id=job_id, position=k, name=f.name, sha256=digest, unit=f.unit, kind=f.kind, year=f.year,
                      status="queued", attempts=0))
    return job
