"""Compile corpora/sources/**/*.txt into corpora/annotated/documents.jsonl, or --check some files.

Usage:
    .venv/bin/python corpora/tools/compile_sources.py  # check all, write the JSONL and splits.json
    python3 corpora/tools/compile_sources.py --check FILE...   # bare python is enough to check
    python corpora/tools/compile_sources.py --check FILE...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.training.corpus.sources import SourceError, parse_source  # noqa: E402


def _codes() -> frozenset[str]:
    taxonomy = json.loads((ROOT / "nlp" / "data" / "taxonomy.json").read_text(encoding="utf-8"))
    return frozenset(d["code"] for d in taxonomy["domains"])


def _write_splits(annotated: Path) -> None:
    """Fixed splits follow from the documents (stable family hashes), and the generator's pools from the
    train split; needs the project's venv."""
    from nlp.training.corpus.pools import build_pools, write_pools
    from nlp.training.corpus.schema import load_documents
    from nlp.training.corpus.splits import SPLITS, assign_splits

    docs = load_documents(annotated)
    table = assign_splits(docs)
    splits = {name: sorted(k for k, v in table.items() if v == name) for name in SPLITS}
    path = ROOT / "corpora" / "splits.json"
    path.write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: " + ", ".join(f"{k} {len(v)}" for k, v in splits.items()))
    sentences, headings = build_pools(docs, table)
    write_pools(ROOT / "corpora" / "pools", sentences, headings)
    print(f"wrote corpora/pools: {len(sentences)} train sentences, {len(headings)} headings")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", nargs="+", metavar="FILE", help="check these files only, write nothing")
    args = ap.parse_args(argv)
    files = [Path(f) for f in args.check] if args.check else sorted((ROOT / "corpora" / "sources").glob("*/*.txt"))
    codes = _codes()
    records, errors = [], 0
    for path in files:
        try:
            rec = parse_source(path.read_text(encoding="utf-8"), name=str(path), taxonomy_codes=codes)
        except SourceError as exc:
            print(f"ERROR {exc}")
            errors += 1
            continue
        if rec["id"] != path.stem:
            print(f"ERROR {path}: header id {rec['id']!r} differs from the file name")
            errors += 1
            continue
        rec["batch"] = path.parent.name
        records.append(rec)
        labels = {}
        for s in rec["sentences"]:
            labels[s["label"]] = labels.get(s["label"], 0) + 1
        body = sum(s["end"] - s["start"] for s in rec["sentences"] if s["label"] != "other")
        pc = sum(s["end"] - s["start"] for s in rec["sentences"] if s["label"] in ("problem", "cause"))
        share = pc / body if body else 0.0
        print(f"ok {path.name}: {rec['kind']} {rec['verdict']} chars={len(rec['text'])} "
              f"sentences={len(rec['sentences'])} issues={len(rec['issues'])} problem_share={share:.2f} {labels}")
    if errors:
        print(f"{errors} file(s) with errors")
        return 1
    if not args.check:
        out = ROOT / "corpora" / "annotated" / "documents.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for rec in sorted(records, key=lambda r: r["id"]):
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {len(records)} documents to {out.relative_to(ROOT)}")
        _write_splits(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
