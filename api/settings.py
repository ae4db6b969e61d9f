"""Service settings: one ``BaseSettings`` read from the environment (``PREREVIEW_*``), defaults that need no setup.

| variable | default | field |
|---|---|---|
| ``PREREVIEW_DATA_DIR`` | ``data`` | the SQLite file and uploaded files |
| ``PREREVIEW_DATABASE_URL`` | empty: SQLite under the data dir | ``database_url`` |
| ``PREREVIEW_MODEL_DIR`` | the bundled ``models/default`` | ``model_dir`` |
| ``PREREVIEW_ENCODER`` | the bundle's own | ``encoder`` (a sentence-transformers folder for grouping) |
| ``PREREVIEW_MAX_UPLOAD_MB`` | 50 (``IngestLimits.max_bytes``) | ``max_upload_mb`` |
| ``PREREVIEW_MAX_UNZIPPED_MB`` | 500 (``IngestLimits.max_unzipped_bytes``) | ``max_unzipped_mb`` |
| ``PREREVIEW_MAX_ZIP_MEMBERS`` | 2000 | ``max_zip_members`` |
| ``PREREVIEW_DOCUMENT_TIMEOUT`` | 120 (seconds a document) | ``document_timeout`` |
| ``PREREVIEW_JOB_WORKERS`` | 1 | ``job_workers`` |
| ``PREREVIEW_ANALYSIS_MODE`` | ``process`` (or ``inline``) | ``analysis_mode`` |
| ``PREREVIEW_OFFICE`` | 依法治理办公室 | ``office`` (the letterhead) |
| ``PREREVIEW_LETTER_PREFIX`` | empty | ``letter_prefix``: the 文号's 机关代字 (青法审 → 青法审〔2026〕3号) |
| ``PREREVIEW_CONTACT``, ``PREREVIEW_PHONE`` | empty | ``contact``, ``phone``: the letters' 联系人 and 电话 |
| ``PREREVIEW_LEASE_SECONDS`` | 3 × the document time limit | ``lease_seconds``: a claimed file's lease |
| ``PREREVIEW_INSTANCE_ID`` | host name + a random suffix | ``instance_id`` (stable: a restart takes its files back) |
| ``PREREVIEW_FILE_STORE`` | ``database`` on PostgreSQL, else ``folder`` | ``file_store``: where uploaded bytes live |
| ``PREREVIEW_DASK_SCHEDULER`` | empty: analyse in this service | ``dask_scheduler`` (``tcp://host:8786``) |

The size limits' defaults are the analysis config's (``nlp.config.IngestLimits``): one value, one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nlp.config import IngestLimits
from nlp.errors import ConfigError
from nlp.report.word import LetterHead

MB = 1024 * 1024
LEASE_FACTOR = 3  # a lease outlives a heartbeat gap and a document at its time limit
_LIMITS = IngestLimits()


class Settings(BaseSettings):
    """Deployment settings of the service and the CLI (``load_settings()``; tests build ``Settings(...)``)."""

    model_config = SettingsConfigDict(env_prefix="PREREVIEW_", frozen=True, extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file under data_dir
    model_dir: Path | None = None  # None: the bundled models/default
    encoder: Path | None = None  # a sentence-transformers folder for round grouping; None: the bundle's own
    max_upload_mb: float = Field(_LIMITS.max_bytes / MB, gt=0)
    max_unzipped_mb: float = Field(_LIMITS.max_unzipped_bytes / MB, gt=0)
    max_zip_members: int = Field(2000, gt=0)
    document_timeout: float = Field(120.0, gt=0)
    analysis_mode: Literal["process", "inline"] = "process"  # process: a child a timeout can kill; inline: scripts
    job_workers: int = Field(1, gt=0)
    office: str = "依法治理办公室"
    letter_prefix: str = Field("", max_length=20)
    contact: str = Field("", max_length=50)
    phone: str = Field("", max_length=50)
    lease_seconds: float | None = Field(None, gt=0)  # None: LEASE_FACTOR × document_timeout
    instance_id: str = Field("", max_length=64)  # empty: host name + a random suffix, new at each start
    file_store: Literal["database", "folder", ""] = ""  # empty: database on PostgreSQL, folder on SQLite
    dask_scheduler: str = ""

    @field_validator("data_dir", "model_dir", "encoder", "office", "lease_seconds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object, info: object) -> object:
        """``PREREVIEW_MODEL_DIR=`` (set but empty) means the default, as before."""
        if value == "":
            field = cls.model_fields[info.field_name]  # type: ignore[attr-defined]
            return field.default
        return value

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'prereview.db').resolve()}"

    @property
    def lease_s(self) -> float:
        """How long a claimed file stays its instance's without a heartbeat."""
        return self.lease_seconds or LEASE_FACTOR * self.document_timeout

    @property
    def store_kind(self) -> str:
        """``database`` (bytes in the ``blobs`` table) or ``folder`` (under data_dir, shared by all instances)."""
        if self.file_store:
            return self.file_store
        return "database" if self.url.startswith("postgresql") else "folder"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def encoder_dir(self) -> Path | None:
        return self.encoder

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * MB)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)

    @property
    def document_timeout_s(self) -> float:
        return self.document_timeout

    def letter_head(self) -> LetterHead:
        """What the letters and 体检单 carry: the office, the 文号 prefix, the contact."""
        return LetterHead(self.office, self.letter_prefix, self.contact, self.phone)

    def ingest_limits(self) -> IngestLimits:
        """The analysis limits with this deployment's sizes."""
        return _LIMITS.model_copy(update={"max_bytes": self.max_upload_bytes,
                                          "max_unzipped_bytes": self.max_unzipped_bytes})


def load_settings() -> Settings:
    """Settings from the environment; a bad value raises ConfigError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"PREREVIEW_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']} (got {e['input']!r})"
                             for e in exc.errors())
        raise ConfigError(problems) from None
