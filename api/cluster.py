"""Analysis on a Dask cluster (``PREREVIEW_DASK_SCHEDULER``): the same task ``prereview batch --engine dask`` runs,
``nlp.batch.runner.analyze_task``, sent to the scheduler; the service's job table stays the record.

The workers need this package and the same model folder (``PREREVIEW_MODEL_DIR`` names it for them too). A task
past the document time limit is given up (``DOCUMENT_TIMEOUT``) and cancelled; Dask cannot kill a running task,
so a worker may finish it in vain.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from api.analyzer import Request, rebuild_error
from api.errors import AnalyzerFailedError, DocumentTimeoutError
from nlp.doc import AnalysisResult

logger = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 30


class DaskAnalyzer:
    """An ``Analyzer`` whose work runs on a Dask scheduler's workers; thread-safe (one client, many callers)."""

    def __init__(self, scheduler: str, model_dir: Path | None = None, timeout_s: float = 120.0) -> None:
        from distributed import Client

        self.scheduler = scheduler
        self._models = str(model_dir) if model_dir else None
        self.timeout_s = timeout_s
        self._client: Any = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)

    @property
    def ready(self) -> bool:
        return self._client.status == "running"

    def analyze(self, request: Request) -> AnalysisResult:
        from distributed import TimeoutError as DaskTimeout

        from nlp.batch.runner import analyze_task

        fut = self._client.submit(analyze_task, request.filename, request.data, request.unit, request.kind,
                                  request.year, self._models, pure=False)
        try:
            status, payload, message, _sketch = fut.result(timeout=self.timeout_s)
        except (DaskTimeout, TimeoutError):
            fut.cancel()
            raise DocumentTimeoutError(f"{request.filename}: over {self.timeout_s:.0f} s on the cluster") from None
        except Exception as exc:  # the scheduler went away, a worker died on it (KilledWorker), …
            raise AnalyzerFailedError(f"on the Dask cluster {self.scheduler}: {type(exc).__name__}: {exc}") from None
        if status == "ok":
            return AnalysisResult.model_validate_json(payload)
        raise rebuild_error(payload, message or "")

    def close(self) -> None:
        self._client.close()
