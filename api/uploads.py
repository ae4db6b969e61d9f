"""What arrives in a request, checked before anything is stored: sizes, zips (bombs, unsafe paths), manifest."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from nlp.doc import KINDS
from nlp.errors import EmptyDocumentError, IngestError, TooLargeError
from nlp.ingest.archive import is_zip, read_archive

__all__ = ["Upload", "check_kind", "check_size", "expand_zip", "is_zip", "round_uploads"]


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    unit: str | None = None
    kind: str | None = None
    year: int | None = None
    error: IngestError | None = None  # refused on arrival (empty, too large): a failed file of its job


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


def expand_zip(data: bytes, settings: Settings) -> list[Upload]:
    """The report files of a submission zip, with manifest.csv metadata (``nlp.ingest.archive``: an unsafe member
    path refuses the whole zip, nothing is stored; a zip that would unpack past the limit is a bomb). Each member
    must also fit the upload limit."""
    archive = read_archive(data, settings.ingest_limits(), settings.max_zip_members)
    out = []
    for name, member in archive.files:
        meta = archive.metadata(name)
        out.append(_checked(Upload(name, member, meta.unit, meta.kind, meta.year), settings))
    if not out:
        raise EmptyDocumentError("the zip holds no report files (PDF, DOCX, TXT, HTML)")
    return out


def _checked(upload: Upload, settings: Settings) -> Upload:
    try:
        check_size(upload.name, upload.data, settings)
    except IngestError as err:
        return Upload(upload.name, b"", upload.unit, upload.kind, upload.year, error=err)
    return upload


def round_uploads(name: str, data: bytes, settings: Settings) -> list[Upload]:
    """One file of a round upload: a zip's report files, or the file itself. A file (or zip member) that is empty or
    too large fails alone, as a failed file of the job with its code; only a zip that is unsafe or a bomb refuses
    the whole request."""
    upload = _checked(Upload(name, data), settings)
    if upload.error is None and is_zip(data):
        return expand_zip(data, settings)
    return [upload]
