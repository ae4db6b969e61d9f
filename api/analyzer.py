"""Run the pipeline for the service: in a child process that a per-document time limit can kill, or inline.

The child loads the model bundle once and answers requests over a pipe. A request that runs past the limit
kills the child (a thread could not be stopped) and raises DocumentTimeoutError; the next request starts a
fresh child. Errors cross the pipe as (code, detail) and are raised again here with their own class.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from api.errors import AnalyzerFailedError, DocumentTimeoutError
from nlp.doc import AnalysisResult
from nlp.errors import PrereviewError

logger = logging.getLogger(__name__)
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Request:
    data: bytes
    filename: str
    kind: str | None = None
    unit: str | None = None
    year: int | None = None


class Analyzer(Protocol):
    def analyze(self, request: Request) -> AnalysisResult: ...

    @property
    def ready(self) -> bool: ...

    def close(self) -> None: ...


@cache
def _bundle(model_dir: str | None) -> Any:
    from nlp.bundle import load_bundle

    return load_bundle(Path(model_dir) if model_dir else None)


def _run(bundle: Any, request: Request) -> str:
    from nlp.pipeline import analyze

    result = analyze(request.data, request.filename, bundle, kind=request.kind, unit=request.unit, year=request.year)
    return result.model_dump_json()


def _error_classes() -> dict[str, type[PrereviewError]]:
    import api.errors  # noqa: F401 - registers the service's subclasses
    import nlp.checklist.status  # noqa: F401

    found: dict[str, type[PrereviewError]] = {}
    stack: list[type[PrereviewError]] = [PrereviewError]
    while stack:
        cls = stack.pop()
        found.setdefault(cls.code, cls)
        stack.extend(cls.__subclasses__())
    return found


def rebuild_error(code: str, detail: str) -> PrereviewError:
    return _error_classes().get(code, PrereviewError)(detail)


class InlineAnalyzer:
    """Analyses in the calling thread: no time limit. For tests and one-off scripts."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model_dir = str(model_dir) if model_dir else None
        self._bundle = _bundle(self._model_dir)

    @property
    def ready(self) -> bool:
        return True

    def analyze(self, request: Request) -> AnalysisResult:
        return AnalysisResult.model_validate_json(_run(self._bundle, request))

    def close(self) -> None:
        pass


def _child(conn: Any, model_dir: str | None) -> None:
    """The child's loop: load once, then answer until the pipe closes."""
    try:
        bundle = _bundle(model_dir)
    except PrereviewError as err:
        conn.send(("error", err.code, str(err.detail)))
        return
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", _run(bundle, request)))
        except PrereviewError as err:
            conn.send(("error", err.code, err.detail))
        except Exception as exc:  # noqa: BLE001 - any other failure of one file must not end the child
            logger.exception("analysis failed for %s", request.filename)
            conn.send(("error", "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}"))


class ProcessAnalyzer:
    """One child process, one analysis at a time; callers queue on a lock."""

    def __init__(self, model_dir: Path | None = None, timeout_s: float = 120.0) -> None:
        self._model_dir = str(model_dir) if model_dir else None
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None
        self._ready = threading.Event()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the child and wait until its models are loaded."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        self._ready.clear()
        ctx = mp.get_context("spawn")  # the service has threads; fork would copy their locks
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_child, args=(child, self._model_dir), daemon=True, name="prereview-analyzer")
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(START_TIMEOUT_S):
            self._kill()
            raise AnalyzerFailedError("the analysis process did not start in time")
        try:
            message = parent.recv()
        except EOFError:
            self._kill()
            raise AnalyzerFailedError("the analysis process exited while loading models") from None
        if message[0] == "error":
            self._kill()
            raise rebuild_error(message[1], message[2])
        self._ready.set()

    def analyze(self, request: Request) -> AnalysisResult:
        with self._lock:
            self._ensure_started()
            started = time.monotonic()
            try:
                self._conn.send(request)
                if not self._conn.poll(self.timeout_s):
                    self._kill()
                    raise DocumentTimeoutError(f"{request.filename}: over {self.timeout_s:.0f} s")
                message = self._conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
                self._kill()
                raise AnalyzerFailedError(f"the analysis process died on {request.filename}") from None
            logger.debug("analysed %s in %.0f ms", request.filename, (time.monotonic() - started) * 1000)
        if message[0] == "ok":
            return AnalysisResult.model_validate_json(message[1])
        raise rebuild_error(message[1], message[2])

    def _kill(self) -> None:
        self._ready.clear()
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            if self._proc is not None:
                self._proc.join(2)
                if self._proc.is_alive():
                    self._proc.kill()
                    self._proc.join(2)
            self._proc = self._conn = None
            self._ready.clear()
