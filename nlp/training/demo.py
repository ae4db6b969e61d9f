"""Demo data generated from the corpus: the service's demo round (``prereview serve --demo``) and the notebooks'.

Generation reads ``corpora/``, so it lives here with the rest of the corpus code; the service is handed the
generated reports (``api/cli.py``) and never imports this module.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

DEMO_UNITS = 24


@dataclass(frozen=True)
class DemoReport:
    filename: str
    data: bytes
    unit: str
    kind: str
    year: int | None


def demo_reports(n: int, round_name: str, seed: int = 7) -> list[DemoReport]:
    """``n`` generated reports (half DOCX, half TXT) from the corpus pools, each for its own unit."""
    from nlp.training.corpus import default_corpus_dir
    from nlp.training.corpus.generate import GeneratorConfig, generate
    from nlp.training.corpus.writer import load_pools, render

    cfg = GeneratorConfig(n=n, seed=seed, units=n, noise_rate=0.2, target_chars=4000, round_name=round_name)
    rng = random.Random(seed)
    out = []
    for k, record in enumerate(generate(cfg, load_pools(default_corpus_dir()))):
        fmt = "docx" if k % 2 == 0 else "txt"
        out.append(DemoReport(f"{record['unit']}_{record['kind']}.{fmt}", render(record, fmt, rng), record["unit"],
                              record["kind"], record["year"]))
    return out


def demo_cache() -> Path:
    """Where ``demo_round`` builds the demo round by default (``<cache>/out`` is its batch output folder)."""
    return Path(__file__).resolve().parents[2] / ".cache" / "demo-round"


def demo_round(cache: str | Path | None = None, n_units: int = DEMO_UNITS) -> Path:
    """A small review round (generated reports, then ``prereview batch``), built once and cached.

    Returns the batch output folder; ``<cache>/previous`` holds last year's reports of the first units.
    """
    import fcntl

    base = Path(cache) if cache else demo_cache()
    out = base / "out"
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as lock:  # several notebooks (or test workers) may ask at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "summary.json").exists():
            _build_demo(base, out, n_units)
    return out


def _build_demo(base: Path, out: Path, n_units: int) -> None:
    from nlp.batch.runner import BatchOptions, run_batch
    from nlp.training.corpus import default_corpus_dir
    from nlp.training.corpus.generate import GeneratorConfig
    from nlp.training.corpus.writer import load_pools, write_generated

    pools = load_pools(default_corpus_dir())
    write_generated(GeneratorConfig(n=n_units, seed=2024, units=n_units, noise_rate=0.2, target_chars=3500,
                                    common_groups=4, round_name="演示批次"), pools, base / "current", ["txt"])
    write_generated(GeneratorConfig(n=4, seed=2023, units=n_units, noise_rate=0.0, target_chars=3500,
                                    round_name="上年度"), pools, base / "previous", ["txt"])
    (base / "current" / "manifest.csv").replace(base / "current" / "reports" / "manifest.csv")
    run_batch(BatchOptions(input=str(base / "current" / "reports"), out=out, round_name="演示批次", progress=False))
    run_batch(BatchOptions(input=str(base / "previous" / "reports"), out=base / "previous-out", round_name="上年度",
                           progress=False))


ENV_VAR = "PREREVIEW_ROUND_DIR"  # the notebooks' batch output folder when their first cell leaves it empty


def choose_folder(folder: str | Path | None = None) -> Path:
    """The batch output folder the notebooks read: ``folder`` if given, else ``$PREREVIEW_ROUND_DIR``, else the
    demo round (generated on first use)."""
    chosen = folder or os.environ.get(ENV_VAR) or None
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"批量预审输出目录不存在：{path}")
        return path
    return demo_round()


def is_demo(folder: str | Path) -> bool:
    """Whether ``folder`` is the demo round (which has last year's reports beside it, ``../previous-out``)."""
    return Path(folder).resolve() == (demo_cache() / "out").resolve()
