"""What arrives in a request, checked before anything is stored: sizes, zips (bombs, unsafe paths), manifest."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from api.errors import UnsafeArchiveError
from api.settings import Settings
from nlp.batch.inputs import SUFFIXES, BatchInputError, _manifest, _safe_member
from nlp.errors import ArchiveBombError, CorruptFileError, EmptyDocumentError, TooLargeError
from nlp.glossary import KINDS

MAX_RATIO = 200  # compressed → uncompressed; text documents compress 3-10×, bombs by thousands


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    unit: str | None = None
    kind: str | None = None
    year: int | None = None


def check_size(name: str, data: bytes, settings: Settings) -> None:
    if len(data) > settings.max_upload_bytes:
        raise TooLargeError(f"{name}: {len(data)} bytes, limit {settings.max_upload_bytes}")
    if not data:
        raise EmptyDocumentError(f"{name}: 0 bytes")


def check_kind(kind: str | None) -> str | None:
    if kind is not None and kind not in KINDS:
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError([{"loc": ("body", "kind"), "msg": f"kind must be one of {', '.join(KINDS)}",
                                       "type": "value_error"}])
    return kind


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)) and not _is_office(data)


def _is_office(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "[Content_Types].xml" in zf.namelist()


def expand_zip(data: bytes, settings: Settings) -> list[Upload]:
    """The report files of a submission zip, with manifest.csv metadata. Unsafe member paths refuse the whole
    zip (nothing is stored); a zip that would unpack past the limit is refused as a bomb."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(f"not a readable zip: {exc}") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        if total > settings.max_unzipped_bytes or total > MAX_RATIO * max(len(data), 1) + settings.max_upload_bytes:
            raise ArchiveBombError(f"unpacks to {total} bytes from {len(data)}")
        if len(infos) > settings.max_zip_members:
            raise ArchiveBombError(f"{len(infos)} members, limit {settings.max_zip_members}")
        files, meta = [], {}
        for info in sorted(infos, key=lambda i: i.filename):
            name = _safe_member(info.filename, utf8=bool(info.flag_bits & 0x800))
            if name is None:
                raise UnsafeArchiveError(f"member {info.filename!r} would escape the folder")
            base = PurePosixPath(name).name
            if base.startswith(".") or "__MACOSX" in name:
                continue
            if base == "manifest.csv":
                try:
                    meta = _manifest(zf.read(info).decode("utf-8-sig"))
                except (BatchInputError, UnicodeDecodeError) as exc:
                    raise CorruptFileError(f"manifest.csv: {exc}") from None
            elif PurePosixPath(name).suffix.lower() in SUFFIXES:
                member = zf.read(info)
                check_size(name, member, settings)
                files.append((name, member))
    out = []
    for name, member in files:
        m = meta.get(name) or meta.get(PurePosixPath(name).name) or {}
        year = m.get("year") or ""
        kind = m.get("kind") if m.get("kind") in KINDS else None
        out.append(Upload(name, member, m.get("unit") or None, kind,
                          int(year) if year.isdigit() else None))
    if not out:
        raise EmptyDocumentError("the zip holds no report files (PDF, DOCX, TXT, HTML)")
    return out
