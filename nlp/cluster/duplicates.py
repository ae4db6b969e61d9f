"""Near-copies between reports: character 5-gram shingles and Jaccard similarity."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

_KEEP = re.compile(r"[\u4e00-\u9fff]")
SHINGLE = 5


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    """Stably hashed (crc32, same in every process) character n-grams over Han characters only, so figures and punctuation changes do not hide a copy."""
    han = "".join(_KEEP.findall(text))
    return frozenset(zlib.crc32(han[i:i + n].encode("utf-8")) for i in range(max(0, len(han) - n + 1)))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def most_similar(target: frozenset[int], others: Iterable[tuple[str, frozenset[int]]],
                 skip: str | None = None) -> tuple[str, float] | None:
    """The most similar other document (name, Jaccard), skipping ``skip``."""
    best = None
    for name, sh in others:
        if name == skip:
            continue
        score = jaccard(target, sh)
        if best is None or score > best[1]:
            best = (name, score)
    return best
