"""Run a batch: analyse every input (local process pool or a Dask cluster), then the round-level steps once.

Models load once per worker process; the main process loads only what the round step needs (the policy and
the encoder). Results are written as they complete and recorded by content hash, so a re-run (after a crash or
kill -9) skips what is done and finishes the rest, with no report lost or twice. While the workers analyse,
the main process keeps each new result in memory and writes its letter (修改建议函 / 退回重写通知); the round
step then rewrites only the letters whose verdict it changes.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.batch.inputs import InputFile, collect
from nlp.batch.state import BatchState, write_atomic

logger = logging.getLogger(__name__)
progress_log = logging.getLogger("nlp.batch.progress")  # the CLI shows it at INFO when no bar can be drawn
STATE_FILE = ".prereview-batch.sqlite"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's share), else the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no sched_getaffinity on macOS and Windows
        return max(1, os.cpu_count() or 1)


@dataclass
class BatchOptions:
    input: str
    out: Path
    round_name: str | None = None
    workers: int | None = None  # None: one worker process per available core
    engine: str = "local"
    scheduler: str | None = None
    models: str | None = None
    encoder: str | None = None
    progress: bool | None = None  # None: a bar on a terminal, log lines otherwise
    head: Any = None  # the letters' LetterHead (office, 文号 prefix, contact); None: the defaults
    previous: Path | None = None  # an earlier batch's output folder: the same units' earlier round (屡改屡犯)

    def __post_init__(self) -> None:
        if self.workers is None:
            self.workers = available_cores()


@dataclass
class BatchOutcome:
    total: int
    done: int
    failed: int
    skipped: int
    seconds: float
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@lru_cache(maxsize=2)
def _bundle(models: str | None, encoder: str | None = None):  # type: ignore[no-untyped-def]
    from nlp.bundle import load_bundle

    return load_bundle(Path(models) if models else None, Path(encoder) if encoder else None)


@lru_cache(maxsize=2)
def _round_models(models: str | None, encoder: str | None = None) -> Any:
    """The bundle's policy and encoder, without unpickling the classifiers: they are used only in the workers,
    and loading them here took seconds after the last report."""
    from nlp.bundle import round_models

    return round_models(Path(models) if models else None, Path(encoder) if encoder else None)


TaskOutcome = tuple[str, str, str | None, Any]  # (status, JSON or code, message, sketch)


def analyze_task(name: str, data: bytes, unit: str | None, kind: str | None, year: int | None,
                 models: str | None) -> TaskOutcome:
    """One report, in a worker: ("ok", AnalysisResult JSON, None, near-copy sketch of its text) or
    ("failed", code, message, None). The sketch (``nlp.cluster.duplicates.sketch``) spares the round step,
    which runs in one process after the last report, from shingling every text again."""
    from nlp.cluster.duplicates import sketch
    from nlp.errors import PrereviewError
    from nlp.pipeline import analyze

    try:
        result = analyze(data, Path(name).name, _bundle(models), kind=kind, unit=unit, year=year)
    except PrereviewError as err:
        logger.debug("%s: %s (%s)", name, err.code, err.detail)  # the English detail, for developers only
        return "failed", err.code, err.reviewer_message, None
    except Exception:  # one bad file must never stop the batch; the code says it was unexpected
        logger.exception("unexpected failure on %s", name)
        return "failed", "INTERNAL_ERROR", "处理该文件时发生意外错误，详情见日志。", None
    return "ok", result.model_dump_json(), None, sketch(result.document.text)


def report_names(inputs: list[InputFile]) -> dict[str, str]:
    """sha256 → output stem: the input file's stem, made unique in input order."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for f in inputs:
        if f.sha256 in out:
            continue
        stem = Path(f.name).stem or "report"
        name = stem if stem not in used else f"{stem}-{f.sha256[:8]}"
        used.add(name)
        out[f.sha256] = name
    return out


def output_stem(stem: str, input_name: str, result: Any) -> str:
    """The stem outputs are named by: the input's, unless the analysis masked the file name (a transcript named
    after its interviewee, 谈话记录-张伟.txt → 谈话记录-某某-3fa2b1c0.txt, unique by content hash)."""
    masked = result.document.filename
    return Path(masked).stem if masked != Path(input_name).name else stem


def run_batch(opts: BatchOptions) -> BatchOutcome:
    from nlp.batch.outputs import write_letter, write_round_outputs
    from nlp.batch.previous import read_earlier_round
    from nlp.doc import AnalysisResult

    t0 = time.perf_counter()
    inputs = collect(opts.input)
    earlier = read_earlier_round(opts.previous, opts.out) if opts.previous is not None else None  # before any work
    opts.out.mkdir(parents=True, exist_ok=True)
    state = BatchState(opts.out / STATE_FILE)
    names = report_names(inputs)
    finished = state.done()
    for sha256, (status, output) in finished.items():  # a stem chosen after analysis (see output_stem) is kept
        if status == "done" and output and sha256 in names:
            names[sha256] = Path(output).stem
    unique = list({f.sha256: f for f in inputs}.values())
    todo = [f for f in unique if finished.get(f.sha256, ("",))[0] != "done"
            or not (opts.out / "reports" / f"{names[f.sha256]}.json").exists()]
    skipped = len(unique) - len(todo)
    show = _progress(len(unique), skipped, opts.progress)
    done = failed = 0
    fresh: dict[str, Any] = {}  # sha256 → this run's AnalysisResult, for the round step (no re-reading)
    letters: dict[str, Any] = {}  # sha256 → what its letter was written from
    sketches: dict[str, Any] = {}  # sha256 → near-copy sketch from the worker (reports resumed get theirs later)
    try:
        try:
            for f, (status, payload, message, sketch) in _execute(todo, opts):
                if status == "ok":
                    fresh[f.sha256] = result = AnalysisResult.model_validate_json(payload)
                    names[f.sha256] = output_stem(names[f.sha256], f.name, result)
                    path = opts.out / "reports" / f"{names[f.sha256]}.json"
                    write_atomic(path, payload)
                    state.record(f.sha256, f.name, "done", output=str(path.relative_to(opts.out)))
                    # kept results (no reference cycles) leave the cyclic collector's reach: its full collections
                    # scanned them all again as the heap grew (≈ 1 s CPU a 1,000-report batch), and the round
                    # step's forked writers would copy every page it touches; given back below
                    gc.freeze()
                    letters[f.sha256] = write_letter(opts.out, names[f.sha256], result, state, opts.head)
                    sketches[f.sha256] = sketch
                    if not done:
                        _warm_round_step(opts, result)
                    done += 1
                else:
                    state.record(f.sha256, f.name, "failed", code=payload, message=message)
                    failed += 1
                show(done, failed)
        finally:
            show(done, failed, final=True)
        failures = state.failures()
        write_round_outputs(opts, inputs, names, state, _round_models(opts.models, opts.encoder), fresh, letters,
                            sketches, earlier)
    finally:
        gc.unfreeze()
    state.close()
    return BatchOutcome(len(unique), done + skipped, len(failures), skipped, time.perf_counter() - t0, failures)


def _warm_round_step(opts: BatchOptions, result: Any) -> None:
    """Run the round step once on the first report, while the workers analyse the others: its first call pays for
    imports (SciPy's clustering) and the encoder's first batch, ≈ 0.5 s that would otherwise follow the last
    report. The review itself is thrown away."""
    from nlp.round import review_round

    review_round([result], _round_models(opts.models, opts.encoder))


def _execute(todo: list[InputFile], opts: BatchOptions) -> Iterator[tuple[InputFile, TaskOutcome]]:
    args = [(f.name, f.data, f.unit, f.kind, f.year, opts.models) for f in todo]
    if opts.engine == "dask":
        yield from _execute_dask(todo, args, opts)
    elif opts.workers <= 1:
        for f, a in zip(todo, args, strict=True):
            yield f, analyze_task(*a)
    else:
        with ProcessPoolExecutor(max_workers=opts.workers) as pool:
            futures = {pool.submit(analyze_task, *a): f for f, a in zip(todo, args, strict=True)}
            for fut in as_completed(futures):
                yield futures[fut], fut.result()


def _execute_dask(todo: list[InputFile], args: list[tuple[Any, ...]], opts: BatchOptions
                  ) -> Iterator[tuple[InputFile, TaskOutcome]]:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if opts.scheduler:
        client = Client(opts.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, opts.workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {client.submit(analyze_task, *a, pure=False): f for f, a in zip(todo, args, strict=True)}
        for fut in dask_completed(list(futures)):
            yield futures[fut], fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _progress(total: int, skipped: int, wanted: bool | None) -> Callable[..., None]:
    """A rich progress bar on a terminal (reports/s, ETA, failures), plain log lines otherwise."""
    interactive = sys.stderr.isatty() if wanted is None else wanted
    start = time.perf_counter()
    if interactive:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("预审"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                       TimeRemainingColumn(), TextColumn("失败 {task.fields[failed]}"), transient=False)
        task = bar.add_task("batch", total=total, completed=skipped, rate="", failed=0)
        bar.start()

        def show(done: int, failed: int, final: bool = False) -> None:
            rate = (done + failed) / max(time.perf_counter() - start, 1e-9)
            bar.update(task, completed=skipped + done + failed, rate=f"{rate:.1f}份/秒", failed=failed)
            if final:
                bar.stop()

        return show
    last = [0.0]

    def log(done: int, failed: int, final: bool = False) -> None:
        now = time.perf_counter()
        if final or now - last[0] >= 5:
            last[0] = now
            n = skipped + done + failed
            rate = (done + failed) / max(now - start, 1e-9)
            eta = (total - n) / rate if rate else 0
            progress_log.info("已处理%d/%d份，每秒%.1f份，预计还需%.0f秒，失败%d份", n, total, rate, eta, failed)

    return log
