"""Batch benchmark: 1,000 generated reports of about 6,000 characters as TXT, DOCX and PDF.

Prints wall time, reports/s, characters/s and peak memory for each format, and the floor: reading the same
texts and segmenting them with jieba in one process. Run by hand: ``.venv/bin/python benchmarks/bench_batch.py``
(add ``--n 200`` for a quick look). Results go in benchmarks/RESULTS.md.

Targets (2 cores): 1,000 TXT or DOCX ≤ 30 s; 1,000 PDF ≤ 60 s; pipeline ≤ 2.5 × floor for TXT; peak ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.batch.runner import BatchOptions, run_batch  # noqa: E402
from nlp.corpus import default_corpus_dir  # noqa: E402
from nlp.corpus.generate import GeneratorConfig  # noqa: E402
from nlp.corpus.writer import load_pools, write_generated  # noqa: E402


def floor(texts: list[str]) -> float:
    """Reading the texts and segmenting them with jieba, in one process."""
    from nlp.segment.tokens import jieba_tokenizer

    tok = jieba_tokenizer()
    t0 = time.perf_counter()
    for text in texts:
        tok.lcut(text)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--formats", default="txt,docx,pdf")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="prereview-bench-"))
    formats = args.formats.split(",")
    t0 = time.perf_counter()
    write_generated(GeneratorConfig(n=args.n, seed=7, units=args.n, noise_rate=0.2), load_pools(default_corpus_dir()),
                    work / "gen", formats)
    gen_s = time.perf_counter() - t0
    gold = [json.loads(x) for x in (work / "gen" / "gold.jsonl").open(encoding="utf-8")]
    chars = sum(len(g["text"]) for g in gold)
    floor_s = floor([(work / "gen" / "reports" / f"{g['id']}.txt").read_text(encoding="utf-8") for g in gold]) \
        if "txt" in formats else None
    rows = []
    for fmt in formats:
        src = work / f"in-{fmt}"
        src.mkdir()
        for g in gold:
            os.link(work / "gen" / "reports" / f"{g['id']}.{fmt}", src / f"{g['id']}.{fmt}")
        t = time.perf_counter()
        outcome = run_batch(BatchOptions(input=str(src), out=work / f"out-{fmt}", workers=args.workers, progress=False))
        seconds = time.perf_counter() - t
        rows.append((fmt, outcome.total, outcome.failed, seconds))
    peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"{args.n} reports, {chars / args.n:,.0f} characters each on average; generation {gen_s:.0f} s")
    print(f"{'input':<8}{'reports':>8}{'failed':>8}{'wall s':>9}{'reports/s':>11}{'chars/s':>12}")
    for fmt, total, failed, seconds in rows:
        print(f"{fmt:<8}{total:>8}{failed:>8}{seconds:>9.1f}{total / seconds:>11.1f}{chars / seconds:>12,.0f}")
    if floor_s:
        txt = next(r for r in rows if r[0] == "txt")
        print(f"floor (read + jieba, 1 process): {floor_s:.1f} s; pipeline / floor (TXT) = {txt[3] / floor_s:.2f}")
    print(f"peak memory: main process {peak_main:,.0f} MB, largest worker {peak_child:,.0f} MB")
    print("targets: TXT/DOCX <= 30 s, PDF <= 60 s for 1,000; pipeline/floor <= 2.5; peak <= 2 GB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
