"""Reading a zip of reports (a submission archive): the one reader the service and ``prereview batch`` share.

The rules, the same in both:
- a member path that would escape the folder (``../``, an absolute path, a drive) refuses the whole archive
  (``UNSAFE_ARCHIVE``): such a path comes from a crafted or broken archive, not from one bad report, and refusing
  before anything is analysed or stored leaves nothing half-done. Bad *reports* inside a good archive are never
  refused here: each fails on its own later with its code, and a batch goes on;
- an archive that unpacks past ``IngestLimits.max_unzipped_bytes`` (the service: ``$PREREVIEW_MAX_UNZIPPED_MB``), or more than
  ``MAX_RATIO`` times its own size, or holds more than ``max_members`` files, is a bomb (``ARCHIVE_BOMB``);
- folders, dot files and ``__MACOSX`` are left out; ``manifest.csv`` (``file,unit,kind,year``) gives metadata;
- names without the UTF-8 flag (Chinese Windows zippers) are read as GBK.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from nlp.config import IngestLimits
from nlp.doc import KINDS
from nlp.errors import ArchiveBombError, CorruptFileError, IngestError

SUFFIXES = frozenset({".pdf", ".docx", ".txt", ".html", ".htm", ".shtml", ".doc", ".text"})  # report files
MAX_RATIO = 200  # compressed → uncompressed; text documents compress 3-10×, bombs by thousands
MAX_MEMBERS = 2000
MANIFEST = "manifest.csv"


class UnsafeArchiveError(IngestError):
    code = "UNSAFE_ARCHIVE"
    http_status = 400


class ManifestError(CorruptFileError):
    """manifest.csv is unreadable or lacks its columns."""


@dataclass(frozen=True)
class Metadata:
    """What manifest.csv says about one file."""

    unit: str | None = None
    kind: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Archive:
    """The report files of an archive (sorted by name) and its manifest."""

    files: list[tuple[str, bytes]]
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)

    def metadata(self, name: str) -> Metadata:
        return metadata_for(self.manifest, name)


def is_zip(data: bytes) -> bool:
    """A zip archive that is not an Office document (a DOCX is a zip too)."""
    if data[:4] != b"PK\x03\x04" or not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "[Content_Types].xml" not in zf.namelist()


def safe_member_name(name: str, utf8: bool = True) -> str | None:
    """The member's relative path, or None when it would escape the folder (../, absolute paths, drives)."""
    if not utf8:  # names without the UTF-8 flag come from Chinese Windows zippers: GBK read as cp437
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or parts[0] in ("/", "") or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(parts)


def read_manifest(text: str) -> dict[str, dict[str, str]]:
    """manifest.csv → {file: {column: value}}; ManifestError without a ``file`` column."""
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise ManifestError(f"manifest.csv: {exc}") from None
    if rows and "file" not in rows[0]:
        raise ManifestError("manifest.csv needs the columns file,unit,kind,year", "需要file、unit、kind、year四列")
    return {row["file"].strip(): {k: (v or "").strip() for k, v in row.items() if k} for row in rows}


def metadata_for(manifest: dict[str, dict[str, str]], name: str) -> Metadata:
    """A file's row, by its path or its bare name; a kind the vocabulary does not know is left to detection."""
    m = manifest.get(name) or manifest.get(PurePosixPath(name).name) or {}
    year = m.get("year") or ""
    kind = m.get("kind") or None
    return Metadata(m.get("unit") or None, kind if kind in KINDS else None, int(year) if year.isdigit() else None)


def read_archive(data: bytes, limits: IngestLimits | None = None, max_members: int = MAX_MEMBERS) -> Archive:
    """The report files and manifest of a zip, by the rules above."""
    limits = limits or IngestLimits()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(f"not a readable zip: {exc}") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped_bytes or total > MAX_RATIO * max(len(data), 1) + limits.max_bytes:
            raise ArchiveBombError(f"unzips to {total} bytes from {len(data)} (limit {limits.max_unzipped_bytes})")
        if len(infos) > max_members:
            raise ArchiveBombError(f"{len(infos)} members, limit {max_members}")
        files, manifest = [], {}
        for info in sorted(infos, key=lambda i: i.filename):
            name = safe_member_name(info.filename, utf8=bool(info.flag_bits & 0x800))
            if name is None:
                raise UnsafeArchiveError(f"member {info.filename!r} would escape the folder")
            path = PurePosixPath(name)
            if path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            if path.name == MANIFEST:
                try:
                    manifest = read_manifest(zf.read(info).decode("utf-8-sig"))
                except UnicodeDecodeError as exc:
                    raise ManifestError(f"manifest.csv: {exc}") from None
            elif path.suffix.lower() in SUFFIXES:
                files.append((name, zf.read(info)))
    return Archive(files, manifest)
