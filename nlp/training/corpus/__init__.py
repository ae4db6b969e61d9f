"""The project's own annotated corpus: schema, splits, checks, statistics and the document generator."""

from __future__ import annotations

import json
import os
from pathlib import Path


def default_corpus_dir() -> Path:
    """``$PREREVIEW_CORPUS`` or the ``corpora/`` folder of the source checkout."""
    env = os.environ.get("PREREVIEW_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "corpora"


def load_splits(root: Path) -> dict[str, str]:
    """Document id → split name, from ``splits.json``."""
    table = json.loads((root / "splits.json").read_text(encoding="utf-8"))
    return {doc_id: split for split, ids in table.items() for doc_id in ids}
