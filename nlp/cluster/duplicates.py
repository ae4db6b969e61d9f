"""Near-copies between reports: character 5-gram shingles, Jaccard similarity, and sketches to find the pairs.

Finding the near-copies of a round without comparing every pair:

1. ``sketch(text)``: a one-permutation MinHash of the shingle hashes (``SKETCH_BINS`` bins; each holds the
   smallest re-hashed shingle falling in it). Two reports agree on a bin with probability close to their Jaccard.
   It costs one sort, so a batch computes it in the worker that analysed the report.
2. ``near_copies(texts, threshold, sketches)``: LSH banding on the sketches proposes earlier reports sharing a
   band; the fraction of agreeing bins drops candidates far below the threshold; the exact shingle Jaccard of
   the few left decides. Band width is chosen so that a pair *at* the threshold is missed with probability
   below ``MAX_MISS`` (7e-8 at 0.6; less the higher the pair's Jaccard), and the estimate's margin is six
   standard deviations, so the result is, but for that chance, the one comparing every pair exactly would give
   (checked against all pairs in the tests). Texts with fewer than about ten shingles (under fifteen Han
   characters or so) are the exception: bands of bins they leave empty are not indexed, so a copy of one is
   missed with a probability near (1 - Jaccard) ** shingles.

Example:
    >>> near_copies(["依法行政工作取得新进展" * 20, "法治宣传教育持续深入" * 20, "依法行政工作取得新进展" * 20], 0.6)
    {2: (0, 1.0)}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

SHINGLE = 5
_BASE = np.uint64(1_000_003)
_MASK = np.uint64((1 << 61) - 1)
_HAN_FIRST, _HAN_LAST = 0x4E00, 0x9FFF

SKETCH_BINS = 1024  # a power of two: the bin is the re-hash's top bits. Many bins give narrow-enough bands
# (5 rows at a threshold of 0.6) that reports sharing only the usual phrasing (Jaccard 0.1–0.2) rarely collide
MAX_MISS = 1e-4  # probability that banding misses a pair whose Jaccard is exactly the threshold
_BIN_BITS = SKETCH_BINS.bit_length() - 1
_EMPTY = np.uint32(0xFFFFFFFF)  # a bin no shingle falls in
# multiply-add re-hash of the 32-bit shingle hashes onto 64 bits (odd multiplier: a bijection); fixed constants,
# so a sketch is the same in every process and every version of numpy
_MUL = np.uint64(0x9E3779B97F4A7C15)
_ADD = np.uint64(0x632BE59BD9B4E019)
_BAND_MUL = np.uint64(0xBF58476D1CE4E5B9)
_BAND_SALT = np.uint64(0x94D049BB133111EB)


def shingle_hashes(text: str, n: int = SHINGLE) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the character n-grams over Han characters only (figures and punctuation
    changes do not hide a copy): polynomial hashes computed with numpy, the same in every process."""
    return np.unique(_shingle_values(text, n))


def _shingle_values(text: str, n: int = SHINGLE) -> np.ndarray:
    """``shingle_hashes`` in text order, repeats included."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points[(points >= _HAN_FIRST) & (points <= _HAN_LAST)].astype(np.uint64)
    if len(points) < n:
        return np.zeros(0, dtype=np.uint32)
    count = len(points) - n + 1
    h = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        h = (h * _BASE + points[k:k + count]) & _MASK
    return (h ^ (h >> np.uint64(32))).astype(np.uint32)


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    """The shingle hashes of ``text`` as a set (see ``shingle_hashes``)."""
    return frozenset(shingle_hashes(text, n).tolist())


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


def sketch(text: str) -> np.ndarray:
    """One-permutation MinHash of ``text``'s shingles: ``SKETCH_BINS`` uint32 values, ``0xFFFFFFFF`` for a bin
    without shingles (all of them for a text without shingles)."""
    return sketch_hashes(_shingle_values(text))


def sketch_hashes(hashes: np.ndarray) -> np.ndarray:
    """``sketch`` from the shingle hashes already computed (repeats allowed)."""
    out = np.full(SKETCH_BINS, _EMPTY, dtype=np.uint32)
    if not len(hashes):
        return out
    h = np.sort(hashes.astype(np.uint64) * _MUL + _ADD)  # wraps modulo 2**64, as meant
    bins = (h >> np.uint64(64 - _BIN_BITS)).astype(np.int64)
    first = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])  # the smallest value of each bin present
    out[bins[first]] = ((h[first] >> np.uint64(32 - _BIN_BITS)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return out


def band_rows(threshold: float, bins: int = SKETCH_BINS, max_miss: float = MAX_MISS) -> int:
    """Rows per band: the widest bands (fewest chance candidates) that still miss a pair at ``threshold`` with
    probability ≤ ``max_miss``: (1 - t^r)^(bins // r) ≤ max_miss."""
    t = min(max(threshold, 1e-6), 1.0)
    for rows in range(bins, 0, -1):
        if (1.0 - t ** rows) ** (bins // rows) <= max_miss:
            return rows
    return 1


def near_copies(texts: Sequence[str], threshold: float, sketches: Sequence[np.ndarray | None] | None = None
                ) -> dict[int, tuple[int, float]]:
    """index → (earlier index, Jaccard) for every text whose shingle Jaccard with an earlier one is ≥
    ``threshold``: the best such earlier text, the first of equals. ``sketches[k]`` (``sketch(texts[k])``) may be
    given, or None to compute it here."""
    if not texts:
        return {}
    sigs = np.stack([s if s is not None else sketch(t)
                     for t, s in zip(texts, sketches or [None] * len(texts), strict=True)])
    sets: dict[int, frozenset[int]] = {}
    out: dict[int, tuple[int, float]] = {}
    for k, candidates in sorted(candidate_pairs(sigs, band_rows(threshold, sigs.shape[1])).items()):
        best = None
        for c in _likely(sigs, k, candidates, threshold):  # ascending: the first of equal scores wins
            if k not in sets:
                sets[k] = shingles(texts[k])
            if c not in sets:
                sets[c] = shingles(texts[c])
            score = jaccard(sets[k], sets[c])
            if score >= threshold and (best is None or score > best[1]):
                best = (c, score)
        if best:
            out[k] = best
    return out


def candidate_pairs(sigs: np.ndarray, rows: int) -> dict[int, list[int]]:
    """LSH banding: index → the earlier indices (ascending) whose sketch equals its own on all ``rows`` bins of
    at least one band. A band without shingles in any of its bins is left out (every short text would share it),
    and so is a text without shingles. One sort of all (band, key) pairs, no loop over reports."""
    n, bins = sigs.shape
    n_bands = bins // rows
    cells = sigs[:, :n_bands * rows].reshape(n, n_bands, rows)
    keys = np.zeros((n, n_bands), dtype=np.uint64)
    for j in range(rows):  # a 64-bit hash of the band's values: a collision only adds a candidate
        keys = keys * _BAND_MUL + cells[:, :, j].astype(np.uint64)
    keys += np.arange(n_bands, dtype=np.uint64) * _BAND_SALT  # the same values in two bands are not a match
    used = ~(cells == _EMPTY).all(axis=2)
    docs = np.broadcast_to(np.arange(n)[:, None], (n, n_bands))[used]
    keys = keys[used]
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    pairs: dict[int, set[int]] = {}
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = docs[start:start + size].tolist()  # ascending
        for i, later in enumerate(members[1:], start=1):
            pairs.setdefault(later, set()).update(members[:i])
    return {k: sorted(v) for k, v in pairs.items()}


def _likely(sigs: np.ndarray, k: int, candidates: list[int], threshold: float) -> list[int]:
    """Candidates whose share of agreeing bins is not far below ``threshold`` (six standard deviations of the
    estimate at the threshold, for the bins not empty in both)."""
    own, other = sigs[k], sigs[candidates]
    both_empty = ((other == _EMPTY) & (own == _EMPTY)).sum(axis=1)
    agree = ((other == own) & (own != _EMPTY)).sum(axis=1)
    used = np.maximum(sigs.shape[1] - both_empty, 1)
    spread = 6.0 * np.sqrt(max(threshold * (1.0 - threshold), 0.01) / used)
    keep = agree / used >= threshold - spread
    return [c for c, ok in zip(candidates, keep.tolist(), strict=True) if ok]
