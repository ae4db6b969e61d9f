"""Service settings, read once from the environment (``PREREVIEW_*``), with defaults that need no setup."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from nlp.errors import ConfigError

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file under data_dir
    model_dir: Path | None = None  # None: the bundled models/default
    encoder_dir: Path | None = None  # a sentence-transformers folder for round grouping; None: the bundle's own
    max_upload_bytes: int = 50 * MB
    max_unzipped_bytes: int = 500 * MB
    max_zip_members: int = 2000
    document_timeout_s: float = 120.0
    analysis_mode: str = "process"  # "process": analyses run in a child process that a timeout can kill; "inline"
    job_workers: int = 1
    office: str = "依法治理办公室"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'prereview.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


def _number(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: os.environ). Unknown values raise ConfigError with the variable's name."""
    env = dict(os.environ if env is None else env)
    mode = env.get("PREREVIEW_ANALYSIS_MODE", "process")
    if mode not in ("process", "inline"):
        raise ConfigError(f"PREREVIEW_ANALYSIS_MODE must be process or inline, got {mode!r}")
    model_dir = env.get("PREREVIEW_MODEL_DIR")
    encoder_dir = env.get("PREREVIEW_ENCODER")
    return Settings(
        data_dir=Path(env.get("PREREVIEW_DATA_DIR") or "data"),
        database_url=env.get("PREREVIEW_DATABASE_URL", ""),
        model_dir=Path(model_dir) if model_dir else None,
        encoder_dir=Path(encoder_dir) if encoder_dir else None,
        max_upload_bytes=int(_number(env, "PREREVIEW_MAX_UPLOAD_MB", 50) * MB),
        max_unzipped_bytes=int(_number(env, "PREREVIEW_MAX_UNZIPPED_MB", 500) * MB),
        document_timeout_s=_number(env, "PREREVIEW_DOCUMENT_TIMEOUT", 120.0),
        analysis_mode=mode,
        job_workers=int(_number(env, "PREREVIEW_JOB_WORKERS", 1)),
        office=env.get("PREREVIEW_OFFICE") or "依法治理办公室",
    )
