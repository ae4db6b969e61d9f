"""What one running service holds: settings, database, file store, analyzer, job runner, round tools."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from api.analyzer import Analyzer, InlineAnalyzer, ProcessAnalyzer
from api.blobs import Blobs, BlobStore, open_blobs
from api.db import make_engine, migrate, session_factory
from api.instances import STORE_NOT_SHARED, LocalLiveness, new_instance_id, register, unregister, unshared_peers
from api.jobs import JobRunner, liveness_for
from api.settings import Settings
from nlp.errors import ConfigError

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker  # type: ignore[type-arg]
    blobs: Blobs
    analyzer: Analyzer
    jobs: JobRunner
    instance_id: str = ""
    liveness: LocalLiveness | None = None
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

    def store_problem(self) -> tuple[str, str] | None:
        """(code, detail) when this instance cannot read the files other live instances stored, else None."""
        folder = self.blobs if isinstance(self.blobs, BlobStore) else None
        peers = unshared_peers(self.sessions, self.instance_id, folder, self.settings.lease_s)
        if peers:
            where = folder.root.resolve() if folder else ""
            return STORE_NOT_SHARED, f"{where} lacks the markers of {', '.join(peers)}"
        return None

    def close(self) -> None:
        self.jobs.stop()
        self.analyzer.close()
        try:
            unregister(self.sessions, self.instance_id, self.blobs if isinstance(self.blobs, BlobStore) else None)
        except Exception:  # noqa: BLE001 - shutting down: the row is forgotten later anyway
            logger.warning("could not unregister instance %s", self.instance_id, exc_info=True)
        if self.liveness is not None:
            self.liveness.release()
        self.engine.dispose()


def make_analyzer(settings: Settings) -> Analyzer:
    if settings.dask_scheduler:
        from api.cluster import DaskAnalyzer

        return DaskAnalyzer(settings.dask_scheduler, settings.model_dir, settings.document_timeout_s)
    if settings.analysis_mode == "inline":
        return InlineAnalyzer(settings.model_dir)
    analyzer = ProcessAnalyzer(settings.model_dir, settings.document_timeout_s)
    analyzer.start()
    return analyzer


def build_services(settings: Settings, start_jobs: bool = True) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate(engine)
    sessions = session_factory(engine)
    instance_id = new_instance_id(settings.instance_id)
    liveness = liveness_for(settings.url, settings.data_dir)
    if liveness is not None:
        try:
            liveness.hold(instance_id)
        except BlockingIOError:
            raise ConfigError(f"PREREVIEW_INSTANCE_ID {instance_id!r} is used by a running instance; "
                              "give each instance its own") from None
    blobs = open_blobs(settings.store_kind, settings.files_dir, engine)
    register(sessions, instance_id, blobs if isinstance(blobs, BlobStore) else None)
    analyzer = make_analyzer(settings)
    services = Services(settings, engine, sessions, blobs, analyzer, None, instance_id, liveness)  # type: ignore[arg-type]
    services.jobs = JobRunner(sessions, analyzer, blobs, services.round_tools, settings.job_workers, instance_id,
                              settings.lease_s, liveness)
    if start_jobs:
        services.jobs.start()
    problem = services.store_problem()
    if problem is not None:
        logger.error("instance %s: %s: %s", instance_id, *problem)
    logger.info("instance %s: file store %s, lease %.0f s", instance_id, settings.store_kind, settings.lease_s)
    return services
