"""Collect a batch's input files: a folder, a zip (members extracted safely), or a glob; plus manifest.csv."""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SUFFIXES = {".pdf", ".docx", ".txt", ".html", ".htm", ".shtml", ".doc", ".text"}
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_ZIP_BYTES = 4 * 1024 * 1024 * 1024


class BatchInputError(ValueError):
    """The batch input itself is unusable (a usage error, exit code 2)."""


@dataclass(frozen=True)
class InputFile:
    name: str  # as the user knows it: path relative to the input folder, or the zip member
    data: bytes
    sha256: str
    unit: str | None = None
    kind: str | None = None
    year: int | None = None


def collect(spec: str) -> list[InputFile]:
    """Files in input order (sorted by name), with manifest.csv metadata when present."""
    path = Path(spec)
    if path.is_dir():
        files = [(str(p.relative_to(path)), p.read_bytes()) for p in sorted(path.rglob("*"))
                 if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")]
        manifest = path / "manifest.csv"
        meta = _manifest(manifest.read_text(encoding="utf-8-sig")) if manifest.exists() else {}
    elif path.is_file() and zipfile.is_zipfile(path):
        files, meta = _from_zip(path)
    else:
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            raise BatchInputError(f"no such folder, zip or files: {spec}")
        files = [(m, Path(m).read_bytes()) for m in matches if Path(m).is_file()]
        meta = {}
    if not files:
        raise BatchInputError(f"no report files (PDF, DOCX, TXT, HTML) in {spec}")
    out = []
    for name, data in files:
        m = meta.get(name) or meta.get(PurePosixPath(name).name) or {}
        out.append(InputFile(name, data, hashlib.sha256(data).hexdigest(), m.get("unit") or None,
                             m.get("kind") or None, int(m["year"]) if (m.get("year") or "").isdigit() else None))
    return out


def _from_zip(path: Path) -> tuple[list[tuple[str, bytes]], dict[str, dict[str, str]]]:
    files, meta = [], {}
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            raise BatchInputError(f"{path} unzips to more than {MAX_ZIP_BYTES} bytes")
        for info in sorted(infos, key=lambda i: i.filename):
            name = _safe_member(info.filename, utf8=bool(info.flag_bits & 0x800))
            if name is None or info.is_dir():
                continue
            if PurePosixPath(name).name == "manifest.csv":
                meta = _manifest(zf.read(info).decode("utf-8-sig"))
            elif PurePosixPath(name).suffix.lower() in SUFFIXES and info.file_size <= MAX_MEMBER_BYTES:
                files.append((name, zf.read(info)))
    return files, meta


def _safe_member(name: str, utf8: bool = True) -> str | None:
    """Zip member names that would escape the folder (../, absolute paths) are skipped."""
    if not utf8:  # names without the UTF-8 flag come from Chinese Windows zippers: GBK read as cp437
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or parts[0] in ("/", "") or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(parts)


def _manifest(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and "file" not in rows[0]:
        raise BatchInputError("manifest.csv needs the columns file,unit,kind,year")
    return {row["file"].strip(): {k: (v or "").strip() for k, v in row.items() if k} for row in rows}
