"""Write generated documents to a folder: reports in each format, gold annotations and a manifest."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

from nlp.training.corpus.generate import GeneratorConfig, Pools, generate
from nlp.training.corpus.noise import mask_numbers, noisy_text
from nlp.training.corpus.pools import read_jsonl, read_paraphrases
from nlp.training.corpus.render import docx_bytes, pdf_bytes, wrap_pages


def load_pools(root: Path) -> Pools:
    """The generator's material from ``corpora/pools``."""
    folder = root / "pools"
    return Pools(read_jsonl(folder / "sentences.jsonl"), read_jsonl(folder / "headings.jsonl"), read_paraphrases(root))


def write_generated(cfg: GeneratorConfig, pools: Pools, out: Path, formats: list[str], progress: bool = False) -> int:
    """Generate and write; return how many report files were written."""
    records = generate(cfg, pools)
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    rng = random.Random(cfg.seed + 1)
    written = 0
    iterator: Any = records
    if progress:
        from rich.progress import track

        iterator = track(records, description="生成报告", transient=True)
    with (out / "gold.jsonl").open("w", encoding="utf-8") as gold, (out / "manifest.csv").open(
            "w", encoding="utf-8", newline="") as manifest_fh:
        manifest = csv.writer(manifest_fh)
        manifest.writerow(["file", "unit", "kind", "year"])
        for record in iterator:
            if "masked" in record["noise"]:
                record["text"] = mask_numbers(record["text"], rng)
            for fmt in formats:
                name = f"{record['id']}.{fmt}"
                (reports / name).write_bytes(render(record, fmt, rng))
                manifest.writerow([name, record["unit"], record["kind"], record["year"]])
                written += 1
            record["file"] = record["id"]
            gold.write(json.dumps(record, ensure_ascii=False) + "\n")
    return written


def render(record: dict[str, Any], fmt: str, rng: random.Random) -> bytes:
    """One generated document as a file of format ``fmt``, with its noise."""
    noises = list(record["noise"])
    title, unit, year = record.get("title"), record["unit"], record["year"]
    if fmt == "txt":
        return noisy_text(record["text"], title, unit, year, noises, rng).encode("utf-8")
    if fmt == "docx":
        text = noisy_text(record["text"], title, unit, year, [n for n in noises if n != "wrap"], rng)
        heading_lines = {record["text"][h["start"]:h["end"]]: h["level"] for h in record["headings"]}
        items = []
        for k, line in enumerate(text.split("\n")):
            level = heading_lines.get(line)
            items.append(("title" if k == 0 and line == title else f"h{level}" if level else "p", line))
        return docx_bytes(items)
    text = noisy_text(record["text"], title, unit, year, [n for n in noises if n not in ("wrap", "chrome")], rng)
    return pdf_bytes(wrap_pages(text), header=f"{unit} 内部资料")
