"""Collect a batch's input files: a folder, a zip (members extracted safely), or a glob; plus manifest.csv."""

from __future__ import annotations

import glob
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nlp.config import IngestLimits
from nlp.ingest.archive import SUFFIXES, ManifestError, metadata_for, read_archive, read_manifest


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


def collect(spec: str, limits: IngestLimits | None = None) -> list[InputFile]:
    """Files in input order (sorted by name), with manifest.csv metadata when present. A zip is read by
    ``nlp.ingest.archive`` (the service's rules and limits): a refused zip raises its coded error (UNSAFE_ARCHIVE,
    ARCHIVE_BOMB, CORRUPT_FILE: exit code 3); a bad manifest.csv is a BatchInputError (a usage error, 2)."""
    path = Path(spec)
    try:
        if path.is_dir():
            files = [(str(p.relative_to(path)), p.read_bytes()) for p in sorted(path.rglob("*"))
                     if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")]
            manifest = path / "manifest.csv"
            meta = read_manifest(manifest.read_text(encoding="utf-8-sig")) if manifest.exists() else {}
        elif path.is_file() and zipfile.is_zipfile(path):
            archive = read_archive(path.read_bytes(), limits)
            files, meta = archive.files, archive.manifest
        else:
            files, meta = _glob(spec)
    except ManifestError as err:
        raise BatchInputError(f"{spec}：manifest.csv有误（{err.detail_zh or err.detail}）") from None
    if not files:
        raise BatchInputError(f"{spec}中没有可审读的报告文件（PDF、DOCX、TXT、HTML）")
    out = []
    for name, data in files:
        m = metadata_for(meta, name)
        out.append(InputFile(name, data, hashlib.sha256(data).hexdigest(), m.unit, m.kind, m.year))
    return out


def _glob(spec: str) -> tuple[list[tuple[str, bytes]], dict[str, dict[str, str]]]:
    matches = sorted(glob.glob(spec, recursive=True))
    if not matches:
        raise BatchInputError(f"找不到这个文件夹、压缩包或文件：{spec}")
    return [(m, Path(m).read_bytes()) for m in matches if Path(m).is_file()], {}
