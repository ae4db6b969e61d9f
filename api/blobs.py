"""Uploaded files, content-addressed by sha256: in a folder (files/ab/abcdef…) or in the database's ``blobs`` table.

Several instances must see the same bytes. With the ``folder`` store the folder must be shared (NFS, a volume):
each instance writes a marker ``files/.instances/<instance id>`` at start-up and records its nonce in the
``instances`` table, and ``unshared_instances`` reads the others' markers back; ``/readyz`` fails with
``STORE_NOT_SHARED`` when one is missing. The ``database`` store (the default on PostgreSQL) needs no shared folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, exists, select
from sqlalchemy.orm import Session

from api.errors import FileMissingError
from api.tables import Blob, JobFile, Report

MARKERS = ".instances"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Blobs(Protocol):
    def put(self, data: bytes, session: Session | None = None) -> str: ...

    def get(self, digest: str) -> bytes: ...

    def discard(self, digest: str, session: Session) -> None: ...


def unused(digest: str) -> Any:
    """True (in SQL) when no report keeps ``digest`` and no queued or running job file still needs it."""
    return (~exists(select(Report.id).where(Report.sha256 == digest))
            & ~exists(select(JobFile.id).where(JobFile.sha256 == digest, JobFile.status.in_(("queued", "running")))))


class BlobStore:
    """The ``folder`` store."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes, session: Session | None = None) -> str:
        """Store ``data`` once (``session`` is for the database store); written to a temporary name then
        renamed, so a crash leaves no half file."""
        digest = sha256(data)
        target = self.path(digest)
        if target.exists():
            return digest
        _write_atomic(target, data)
        return digest

    def get(self, digest: str) -> bytes:
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError:
            raise FileMissingError(f"{digest[:12]}… is not under {self.root.resolve()}") from None

    def discard(self, digest: str, session: Session) -> None:
        """Delete the file of ``digest`` when nothing refers to it (a file that failed leaves nothing behind)."""
        if session.scalar(select(unused(digest))):
            self.path(digest).unlink(missing_ok=True)

    def write_marker(self, instance_id: str, nonce: str) -> None:
        _write_atomic(self.root / MARKERS / instance_id, nonce.encode())

    def read_marker(self, instance_id: str) -> str | None:
        try:
            return (self.root / MARKERS / instance_id).read_text()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def drop_marker(self, instance_id: str) -> None:
        (self.root / MARKERS / instance_id).unlink(missing_ok=True)


class DatabaseBlobStore:
    """The ``database`` store: one row per distinct file, written in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, data: bytes, session: Session | None = None) -> str:
        """Store ``data`` once, in the caller's transaction when ``session`` is given (a SQLite writer must not wait
        for itself), else in its own. The same bytes from another instance meanwhile are no conflict."""
        digest = sha256(data)
        if session is not None:
            self._insert(session, digest, data)
            return digest
        with self.engine.connect() as conn:
            if conn.scalar(select(Blob.sha256).where(Blob.sha256 == digest)) is not None:
                return digest
        with self.engine.begin() as conn:
            self._insert(conn, digest, data)
        return digest

    def _insert(self, conn: Session | Connection, digest: str, data: bytes) -> None:
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(Blob).values(sha256=digest, data=data).on_conflict_do_nothing(index_elements=["sha256"]))

    def discard(self, digest: str, session: Session) -> None:
        """Delete the row of ``digest`` when nothing refers to it, in the caller's transaction."""
        session.execute(delete(Blob).where(Blob.sha256 == digest, unused(digest)))

    def get(self, digest: str) -> bytes:
        with self.engine.connect() as conn:
            data = conn.scalar(select(Blob.data).where(Blob.sha256 == digest))
        if data is None:
            raise FileMissingError(f"{digest[:12]}… is not in the blobs table")
        return bytes(data)


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_blobs(kind: str, root: Path, engine: Engine) -> BlobStore | DatabaseBlobStore:
    """The store ``Settings.store_kind`` names."""
    return DatabaseBlobStore(engine) if kind == "database" else BlobStore(root)
