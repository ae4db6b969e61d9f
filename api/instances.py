"""Service instances sharing one database: who is alive, and whether they see one file store.

Each instance has an id (``PREREVIEW_INSTANCE_ID``, or the host name and a random suffix) and a row in
``instances`` whose ``seen_at`` its heartbeat renews together with the leases of the files it works on. With the
``folder`` file store it also writes a marker (a random nonce) under ``files/.instances/<id>``; an instance that
cannot read a live peer's marker does not share the peer's folder, and ``/readyz`` answers ``STORE_NOT_SHARED``.

On SQLite every instance runs on one host, so liveness is also a lock file: an instance holds an exclusive
``flock`` on ``<data>/.instances/<id>.lock`` while it lives, and the kernel drops it when the process dies (even by
``kill -9``). A claim whose owner's lock is free is recovered at once, without waiting for its lease.
"""

from __future__ import annotations

import fcntl
import logging
import secrets
import socket
import time
from pathlib import Path
from typing import IO

from sqlalchemy import delete, select, update
from sqlalchemy.orm import sessionmaker

from api.blobs import BlobStore
from api.store import now
from api.tables import Instance, JobFile

logger = logging.getLogger(__name__)
FORGET_AFTER_S = 7 * 24 * 3600  # rows of instances gone this long are deleted at start-up
STORE_NOT_SHARED = "STORE_NOT_SHARED"


def new_instance_id(configured: str = "") -> str:
    return configured or f"{socket.gethostname()[:40]}-{secrets.token_hex(4)}"


def register(sessions: sessionmaker, instance_id: str, folder: BlobStore | None) -> None:  # type: ignore[type-arg]
    """Record this instance (and write its marker in a ``folder`` store); forget instances long gone."""
    nonce = secrets.token_hex(16) if folder is not None else None
    if folder is not None and nonce is not None:
        folder.write_marker(instance_id, nonce)
    t = time.time()
    with sessions.begin() as s:
        s.execute(delete(Instance).where(Instance.seen_at < t - FORGET_AFTER_S))
        row = s.get(Instance, instance_id)
        if row is None:
            s.add(Instance(id=instance_id, host=socket.gethostname()[:200], started_at=now(), seen_at=t, marker=nonce))
        else:
            row.host, row.started_at, row.seen_at, row.marker = socket.gethostname()[:200], now(), t, nonce


def beat(sessions: sessionmaker, instance_id: str, lease_s: float) -> int:  # type: ignore[type-arg]
    """Renew this instance's leases and heartbeat; returns how many files it holds."""
    t = time.time()
    with sessions.begin() as s:
        n = s.execute(update(JobFile).where(JobFile.owner == instance_id, JobFile.status == "running")
                      .values(lease_until=t + lease_s)).rowcount
        s.execute(update(Instance).where(Instance.id == instance_id).values(seen_at=t))
    return int(n or 0)


def unregister(sessions: sessionmaker, instance_id: str, folder: BlobStore | None) -> None:  # type: ignore[type-arg]
    with sessions.begin() as s:
        s.execute(delete(Instance).where(Instance.id == instance_id))
    if folder is not None:
        folder.drop_marker(instance_id)


def unshared_peers(sessions: sessionmaker, instance_id: str, folder: BlobStore | None,  # type: ignore[type-arg]
                   lease_s: float) -> list[str]:
    """Live instances whose marker this instance cannot read in its file folder (none with the database store)."""
    if folder is None:
        return []
    with sessions() as s:
        peers = s.execute(select(Instance.id, Instance.marker).where(Instance.id != instance_id,
                                                                      Instance.seen_at >= time.time() - lease_s)).all()
    return [peer for peer, marker in peers if marker is not None and folder.read_marker(peer) != marker]


class LocalLiveness:
    """Lock files under ``root``: held by each live instance on this host (SQLite deployments)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._held: IO[bytes] | None = None

    def hold(self, instance_id: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._held = (self.root / f"{instance_id}.lock").open("a+b")
        fcntl.flock(self._held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live twin with the same id fails here

    def release(self) -> None:
        if self._held is not None:
            Path(self._held.name).unlink(missing_ok=True)  # a clean stop leaves no lock file behind
            self._held.close()
            self._held = None

    def dead(self, owner: str) -> bool:
        """True when ``owner``'s lock file exists and nobody holds it (the process is gone)."""
        path = self.root / f"{owner}.lock"
        if not path.exists():
            return False
        with path.open("a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(fh, fcntl.LOCK_UN)
        return True
