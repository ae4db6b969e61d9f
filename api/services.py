"""What one running service holds: settings, database, blob store, analyzer, job runner, round tools."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from api.analyzer import Analyzer, InlineAnalyzer, ProcessAnalyzer
from api.blobs import BlobStore
from api.db import make_engine, migrate, session_factory
from api.jobs import JobRunner
from api.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker  # type: ignore[type-arg]
    blobs: BlobStore
    analyzer: Analyzer
    jobs: JobRunner
    _tools: Any = None
    _tools_lock: threading.Lock = field(default_factory=threading.Lock)

    def round_tools(self) -> Any:
        """The round step's models (policy and encoder, ``nlp.bundle.RoundModels``), loaded once, without the
        sentence models."""
        with self._tools_lock:
            if self._tools is None:
                from nlp.bundle import round_models

                self._tools = round_models(self.settings.model_dir, self.settings.encoder_dir)
            return self._tools

    def close(self) -> None:
        self.jobs.stop()
        self.analyzer.close()
        self.engine.dispose()


def build_services(settings: Settings, start_jobs: bool = True) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate(engine)
    sessions = session_factory(engine)
    blobs = BlobStore(settings.files_dir)
    if settings.analysis_mode == "inline":
        analyzer: Analyzer = InlineAnalyzer(settings.model_dir)
    else:
        analyzer = ProcessAnalyzer(settings.model_dir, settings.document_timeout_s)
        analyzer.start()
    services = Services(settings, engine, sessions, blobs, analyzer, None)  # type: ignore[arg-type]
    services.jobs = JobRunner(sessions, analyzer, blobs, services.round_tools, settings.job_workers)
    if start_jobs:
        services.jobs.start()
    return services
