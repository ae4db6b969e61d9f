"""Round jobs: a persistent queue of files in the database, worked by threads inside each service instance.

A file is claimed with one conditional UPDATE (``queued``, or ``running`` with an expired lease → ``running``
with this instance as owner and a lease), atomic on SQLite (one writer at a time) and on PostgreSQL (the row is
locked and the WHERE re-checked), so no two workers or instances take the same file. A heartbeat thread renews
the owner's leases while it works; when an instance dies, its files are taken over by any instance once their
lease has expired (on SQLite at once: see ``api.instances.LocalLiveness``). Start-up recovers only its own or
expired claims, never a live instance's.

A file's report, its checklist rows and its ``done`` mark are written in one transaction that first checks that
the file is still this instance's: a file taken over meanwhile is stored once, by whoever finishes first. Writes
that touch a round (a file's report, the round step) lock the round's row first, so two instances never run the
round step on one round at the same time.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.analyzer import Analyzer, Request
from api.blobs import Blobs, sha256
from api.errors import AnalyzerFailedError
from api.instances import LocalLiveness, beat
from api.rounds import Tools, lock_round, refresh_round
from api.store import add_report, find_report, now
from api.tables import Job, JobFile, Round
from nlp.errors import PrereviewError

logger = logging.getLogger(__name__)
POLL_S = 1.0
MAX_ATTEMPTS = 3  # a file whose worker died this often fails (ANALYZER_FAILED) instead of killing a fourth


def claimable(t: float) -> Any:
    """Files a worker may take at time ``t``: queued, or running under an expired lease (or none)."""
    return or_(JobFile.status == "queued",
               (JobFile.status == "running") & or_(JobFile.lease_until.is_(None), JobFile.lease_until < t))


def resume(sessions: sessionmaker, instance_id: str, liveness: LocalLiveness | None = None) -> int:  # type: ignore[type-arg]
    """At start-up: put back in the queue the files this instance held before a restart, those whose lease
    expired and (SQLite) those of dead local instances; a live instance's files stay its own. Returns how many."""
    t = time.time()
    with sessions() as s:
        owners = set(s.scalars(select(JobFile.owner).where(JobFile.status == "running").distinct()))
    gone = [o for o in owners if o is not None and liveness is not None and liveness.dead(o)]
    with sessions.begin() as s:
        n = s.execute(update(JobFile).where(JobFile.status == "running",
                                            or_(JobFile.owner.is_(None), JobFile.owner.in_([instance_id, *gone]),
                                                JobFile.lease_until.is_(None), JobFile.lease_until < t))
                      .values(status="queued", owner=None, lease_until=None)).rowcount
    if n:
        logger.info("instance %s: %d file(s) back in the queue", instance_id, n)
    return int(n or 0)


class JobRunner:
    def __init__(self, sessions: sessionmaker, analyzer: Analyzer, blobs: Blobs, tools: Tools,  # type: ignore[type-arg]
                 workers: int = 1, instance_id: str = "local", lease_s: float = 360.0,
                 liveness: LocalLiveness | None = None) -> None:
        self.sessions = sessions
        self.analyzer = analyzer
        self.blobs = blobs
        self.tools = tools
        self.workers = workers
        self.instance_id = instance_id
        self.lease_s = lease_s
        self.liveness = liveness
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.round_lock = threading.Lock()

    def start(self) -> None:
        resume(self.sessions, self.instance_id, self.liveness)
        loops = [(self._loop, f"prereview-job-{k}") for k in range(self.workers)]
        for target, name in [(self._heartbeat, "prereview-heartbeat"), *loops]:
            t = threading.Thread(target=target, name=name, daemon=True)
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

    def _heartbeat(self) -> None:
        """Renew this instance's leases every third of a lease, so one missed beat loses nothing."""
        while not self._stop.wait(self.lease_s / 3):
            try:
                beat(self.sessions, self.instance_id, self.lease_s)
            except Exception:  # noqa: BLE001 - a database hiccup: the next beat renews the leases
                logger.warning("instance %s: heartbeat failed", self.instance_id, exc_info=True)

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
        """Claim and analyse one file; finish its job when it was the last. False when idle."""
        claimed = self._claim()
        if claimed is None:
            return self._finish_stale()
        file_id, job_id, round_id = claimed
        with self.sessions() as s:
            f = s.get(JobFile, file_id)
            submitted_by = s.get(Job, job_id).submitted_by
            name, sha, kind, unit, year = f.name, f.sha256, f.kind, f.unit, f.year
        try:
            result, error = self.analyzer.analyze(Request(self.blobs.get(sha), name, kind, unit, year)), None
        except PrereviewError as err:
            result, error = None, err
        except Exception:
            self._release(file_id)  # back in the queue, for another try (MAX_ATTEMPTS in all)
            raise
        with self.sessions.begin() as s:
            lock_round(s, round_id)
            mine = s.execute(update(JobFile).where(JobFile.id == file_id, JobFile.status == "running",
                                                   JobFile.owner == self.instance_id)
                             .values(owner=None, lease_until=None)).rowcount
            if not mine:  # our lease ran out and another instance took the file over: its result counts
                logger.warning("instance %s: file %d was taken over; result dropped", self.instance_id, file_id)
                return True
            f = s.get(JobFile, file_id)
            if error is not None:
                logger.info("file %d failed: %s (%s)", file_id, error.code, error.detail)  # the English detail: logs only
                f.status, f.code, f.message = "failed", error.code, error.reviewer_message
                s.flush()
                self.blobs.discard(sha, s)  # a failed file leaves no bytes behind, unless a report or file needs them
            else:
                round_row = s.get(Round, round_id)
                report = find_report(s, sha, round_id) or add_report(s, result, round_row, submitted_by)
                f.status, f.report_id = "done", report.id
                f.name = result.document.filename  # a transcript named after its interviewee: the masked name
        self._finish_if_last(job_id, round_id)
        return True

    def _claim(self) -> tuple[int, str, int] | None:
        """Take one file: (file id, job id, round id), or None when there is none to take."""
        t = time.time()
        if self.sessions.kw["bind"].dialect.name == "postgresql":
            return self._claim_skip_locked(t)
        with self.sessions() as s:
            candidates = s.execute(select(JobFile.id, JobFile.job_id, Job.round_id, JobFile.attempts)
                                   .join(Job, Job.id == JobFile.job_id).where(claimable(t))
                                   .order_by(JobFile.id).limit(8)).all()
        for file_id, job_id, round_id, attempts in candidates:
            with self.sessions.begin() as s:
                if attempts >= MAX_ATTEMPTS:
                    self._give_up(s, file_id, t)
                    continue
                n = s.execute(update(JobFile).where(JobFile.id == file_id, claimable(t))
                              .values(status="running", owner=self.instance_id, lease_until=t + self.lease_s,
                                      attempts=JobFile.attempts + 1)).rowcount
                if n:
                    s.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(status="running"))
                    return file_id, job_id, round_id
        return None

    def _claim_skip_locked(self, t: float) -> tuple[int, str, int] | None:
        """PostgreSQL: one statement, ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)``, so
        instances polling together neither wait for nor retry on each other's rows."""
        while True:
            with self.sessions.begin() as s:
                pick = (select(JobFile.id).where(claimable(t)).order_by(JobFile.id).limit(1)
                        .with_for_update(skip_locked=True).scalar_subquery())
                row = s.execute(update(JobFile).where(JobFile.id == pick)
                                .values(status="running", owner=self.instance_id, lease_until=t + self.lease_s,
                                        attempts=JobFile.attempts + 1)
                                .returning(JobFile.id, JobFile.job_id, JobFile.attempts)).first()
                if row is None:
                    return None
                file_id, job_id, attempts = row
                if attempts > MAX_ATTEMPTS:
                    self._give_up(s, file_id, None)
                    continue
                s.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(status="running"))
                return file_id, job_id, s.scalar(select(Job.round_id).where(Job.id == job_id))

    def _release(self, file_id: int) -> None:
        with self.sessions.begin() as s:
            s.execute(update(JobFile).where(JobFile.id == file_id, JobFile.owner == self.instance_id,
                                            JobFile.status == "running")
                      .values(status="queued", owner=None, lease_until=None))

    def _give_up(self, s: Session, file_id: int, t: float | None) -> None:
        """Fail a file whose workers died on it MAX_ATTEMPTS times (``t``: unless claimed meanwhile; None: ours)."""
        err = AnalyzerFailedError(f"the worker analysing it stopped {MAX_ATTEMPTS} times")
        sha = s.execute(update(JobFile).where(JobFile.id == file_id,
                                              claimable(t) if t is not None else JobFile.owner == self.instance_id)
                        .values(status="failed", owner=None, lease_until=None, code=err.code,
                                message=err.reviewer_message).returning(JobFile.sha256)).scalar()
        if sha is not None:
            self.blobs.discard(sha, s)

    def _finish_stale(self) -> bool:
        """Jobs whose files are all through but whose round step did not run (a crash in between)."""
        with self.sessions() as s:
            open_jobs = s.execute(select(Job.id, Job.round_id).where(Job.status.in_(("queued", "running")))).all()
        for job_id, round_id in open_jobs:
            self._finish_if_last(job_id, round_id)
        return False

    def _finish_if_last(self, job_id: str, round_id: int) -> None:
        with self.round_lock, self.sessions.begin() as s:
            lock_round(s, round_id)  # the round's row: one round step at a time, across instances too
            left = s.scalar(select(JobFile.id).where(JobFile.job_id == job_id,
                                                     JobFile.status.in_(("queued", "running"))).limit(1))
            job = s.get(Job, job_id)
            if left is not None or job.status == "done":
                return
            refresh_round(s, s.get(Round, round_id), self.tools)
            job.status, job.finished_at = "done", now()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """For tests and the demo seed: True once no job is queued or running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.sessions() as s:
                busy = s.scalar(select(Job.id).where(Job.status.in_(("queued", "running"))).limit(1))
            if busy is None:
                return True
            time.sleep(0.1)
        return False


def enqueue(s: Session, round_row: Round, files: list[Any], blobs: Blobs, submitted_by: int | None,
            job_id: str) -> Job:
    """A job for ``files`` (name, data, unit, kind, year, and an ``error`` when refused on arrival): blobs stored
    first, then the rows, in the caller's transaction."""
    job = Job(id=job_id, round_id=round_row.id, status="queued", created_at=now(), submitted_by=submitted_by)
    s.add(job)
    for k, f in enumerate(files):
        error = getattr(f, "error", None)
        if error is not None:  # refused on arrival (an empty file): a failed file of the job, nothing stored
            s.add(JobFile(job_id=job_id, position=k, name=f.name, sha256=sha256(f.data), unit=f.unit, kind=f.kind,
                          year=f.year, status="failed", attempts=0, code=error.code,
                          message=error.reviewer_message))
            continue
        digest = blobs.put(f.data, session=s)
        s.add(JobFile(job_id=job_id, position=k, name=f.name, sha256=digest, unit=f.unit, kind=f.kind, year=f.year,
                      status="queued", attempts=0))
    return job


def liveness_for(url: str, data_dir: Path) -> LocalLiveness | None:
    """Lock-file liveness for SQLite (all instances on one host); PostgreSQL instances rely on leases."""
    return LocalLiveness(data_dir / ".instances") if url.startswith("sqlite") else None
