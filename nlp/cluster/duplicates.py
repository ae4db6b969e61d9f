"""Near-copies between reports: character 5-gram shingles and Jaccard similarity."""

from __future__ import annotations

import re

import numpy as np
from collections.abc import Iterable

_KEEP = re.compile(r"[\u4e00-\u9fff]")
SHINGLE = 5
_BASE = np.uint64(1_000_003)
_MASK = np.uint64((1 << 61) - 1)


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    """Character n-grams over Han characters only (figures and punctuation changes do not hide a copy), as
    32-bit polynomial hashes computed with numpy: the same in every process, and fast."""
    han = "".join(_KEEP.findall(text))
    if len(han) < n:
        return frozenset()
    points = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - n + 1
    h = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        h = (h * _BASE + points[k:k + count]) & _MASK
    return frozenset((h ^ (h >> np.uint64(32))).astype(np.uint32).tolist())


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
