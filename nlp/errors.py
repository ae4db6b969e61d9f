"""Errors with stable codes. The code is the contract; reviewer-facing Chinese text lives in glossary."""

from __future__ import annotations


class PrereviewError(Exception):
    """Base of every error prereview raises on purpose. ``code`` is stable; ``str(err)`` is for logs."""

    code = "PREREVIEW_ERROR"
    http_status = 400

    def __init__(self, detail: str = "", detail_zh: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.detail_zh = detail_zh  # the same facts for reviewers, in Chinese; empty when there is nothing to add

    @property
    def message_zh(self) -> str:
        from nlp.glossary import error_message

        return error_message(self.code)

    @property
    def reviewer_message(self) -> str:
        """What a reviewer reads: the code's Chinese sentence, and the Chinese detail when there is one (never the
        English ``detail``, which is for logs)."""
        return f"{self.message_zh}（{self.detail_zh}）" if self.detail_zh else self.message_zh

    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Both details survive pickling (a worker process, a Dask task)."""
        return (self.__class__, (self.detail, self.detail_zh))


class IngestError(PrereviewError):
    """The file cannot be turned into text."""

    code = "INGEST_ERROR"
    http_status = 422


class EmptyDocumentError(IngestError):
    code = "EMPTY_DOCUMENT"


class EncryptedFileError(IngestError):
    code = "ENCRYPTED_FILE"


class ImageOnlyError(IngestError):
    code = "IMAGE_ONLY_PDF"


class CorruptFileError(IngestError):
    code = "CORRUPT_FILE"


class UnsupportedTypeError(IngestError):
    code = "UNSUPPORTED_TYPE"
    http_status = 415


class TooLargeError(IngestError):
    code = "TOO_LARGE"
    http_status = 413


class ArchiveBombError(IngestError):
    code = "ARCHIVE_BOMB"
    http_status = 413


class NotChineseError(IngestError):
    code = "NOT_CHINESE"


class GarbledTextError(IngestError):
    code = "GARBLED_TEXT"


class ConfigError(PrereviewError, ValueError):
    code = "CONFIG_ERROR"


class ModelBundleError(PrereviewError):
    code = "MODEL_BUNDLE_ERROR"
    http_status = 500
