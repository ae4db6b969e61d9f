"""Errors only the service raises. Each has a stable code and an HTTP status; messages live in nlp.glossary."""

from __future__ import annotations

from nlp.errors import IngestError, PrereviewError
from nlp.ingest.archive import UnsafeArchiveError  # noqa: F401 - raised by the shared archive reader


class DocumentTimeoutError(IngestError):
    code = "DOCUMENT_TIMEOUT"
    http_status = 422


class AnalyzerFailedError(PrereviewError):
    code = "ANALYZER_FAILED"
    http_status = 503


class UnauthorizedError(PrereviewError):
    code = "UNAUTHORIZED"
    http_status = 401


class ForbiddenError(PrereviewError):
    code = "FORBIDDEN"
    http_status = 403


class NotFoundError(PrereviewError):
    code = "NOT_FOUND"
    http_status = 404


class AlreadySubmittedError(PrereviewError):
    """A submitter uploaded bytes stored for a report it may not read: refused without naming that report."""

    code = "ALREADY_SUBMITTED"
    http_status = 409


class NoLetterError(PrereviewError):
    code = "NO_LETTER"
    http_status = 409


class PreviousRoundError(PrereviewError):
    """A round named as its own earlier round, directly or through others, or an earlier round that is not there."""

    code = "INVALID_PREVIOUS_ROUND"
    http_status = 422


class FileMissingError(PrereviewError):
    """A queued file's bytes are not in this instance's file store (a data folder the instances do not share)."""

    code = "FILE_MISSING"
    http_status = 503


class UnitRequiredError(PrereviewError):
    """A letter was asked for a report whose unit is not known: a letter is addressed to a unit, never to a
    placeholder."""

    code = "UNIT_REQUIRED"
    http_status = 409
