"""Warm `analyze` latency on 6,000-character DOCX reports (target: ≤ 150 ms each on the reference machine).

Run by hand (``make bench``). Models load once, outside the timing, as in the CLI and the service.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.bundle import load_bundle  # noqa: E402
from nlp.pipeline import analyze  # noqa: E402
from nlp.training.corpus.render import docx_bytes  # noqa: E402


def main() -> None:
    docs = [json.loads(x)["text"] for x in (ROOT / "corpora" / "annotated" / "documents.jsonl").open(encoding="utf-8")]
    reports = []
    for i in range(0, 60, 2):  # two hand-written reports joined: about 6,000 characters
        text = "\n".join(docs[i:i + 3])[:6000]
        reports.append(docx_bytes([("p", line) for line in text.split("\n")]))
    t0 = time.perf_counter()
    bundle = load_bundle()
    load_s = time.perf_counter() - t0
    analyze(reports[0], "warm.docx", bundle)
    times = []
    for k, data in enumerate(reports):
        t = time.perf_counter()
        analyze(data, f"r{k}.docx", bundle)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"machine: {platform.machine()}, python {platform.python_version()}, bundle {bundle.path.name}")
    print(f"{'measure':<28}{'value':>10}")
    print(f"{'model load (s)':<28}{load_s:>10.2f}")
    print(f"{'reports':<28}{len(times):>10}")
    print(f"{'p50 analyze (ms)':<28}{statistics.median(times):>10.1f}")
    print(f"{'p95 analyze (ms)':<28}{times[int(len(times) * 0.95) - 1]:>10.1f}")
    print(f"{'max analyze (ms)':<28}{times[-1]:>10.1f}")
    print("target: warm analyze of a 6,000-character DOCX <= 150 ms")


if __name__ == "__main__":
    main()
