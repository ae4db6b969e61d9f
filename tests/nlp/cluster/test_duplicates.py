"""Near-copy shingles, sketches and LSH (nlp/cluster/duplicates.py): the candidates found by banding, filtered
by the sketch estimate and decided by the exact Jaccard, must give what comparing every pair exactly gives."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from nlp.cluster.duplicates import (
    MAX_MISS,
    SKETCH_BINS,
    band_rows,
    candidate_pairs,
    jaccard,
    near_copies,
    shingle_hashes,
    shingles,
    sketch,
)

HAN = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 600))  # a pool of Han characters for generated texts


def reference_shingles(text: str, n: int = 5) -> frozenset[int]:
    """The shingle hashes in plain Python: Han characters only, polynomial hash on 61 bits, folded to 32."""
    han = re.findall(r"[\u4e00-\u9fff]", text)
    out = set()
    for start in range(len(han) - n + 1):
        h = 0
        for ch in han[start:start + n]:
            h = ((h * 1_000_003 + ord(ch)) % 2**64) & ((1 << 61) - 1)
        out.add((h ^ (h >> 32)) & 0xFFFFFFFF)
    return frozenset(out)


def exact_near_copies(texts: list[str], threshold: float) -> dict[int, tuple[int, float]]:
    """Every pair compared exactly: the most similar earlier text at or above the threshold, the first of equals."""
    sets = [shingles(t) for t in texts]
    out = {}
    for k in range(len(texts)):
        best = None
        for c in range(k):
            score = jaccard(sets[k], sets[c])
            if score >= threshold and (best is None or score > best[1]):
                best = (c, score)
        if best:
            out[k] = best
    return out


def mutate(text: str, rate: float, rng: random.Random) -> str:
    """Replace a share ``rate`` of the characters with others from the pool."""
    chars = list(text)
    for i in rng.sample(range(len(chars)), int(rate * len(chars))):
        chars[i] = rng.choice(HAN)
    return "".join(chars)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Unrelated texts sharing stock phrasing, and later copies of some of them edited at rates that put
    their Jaccard on both sides of 0.6 (and 0.4, 0.8); exact duplicates (ties); short and empty texts."""
    rng = random.Random(7)
    stock = ["".join(rng.choice(HAN) for _ in range(40)) for _ in range(12)]  # phrases every report may use

    def report() -> str:
        parts = [rng.choice(stock) if rng.random() < 0.3 else "".join(rng.choice(HAN) for _ in range(40))
                 for _ in range(30)]
        return "，".join(parts) + "。2024年办理案件186件。"

    out = [report() for _ in range(25)]
    for k in range(25):
        rate = [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2][k % 9]
        out.append(mutate(out[k], rate, rng))
    out += [out[3], out[3]]  # two more copies of one report: the first earlier one is the match
    out += ["", "依法行政", "abc 123", "依法行政工作取得新进展", "依法行政工作取得新进展"]
    rng.shuffle(out)
    return out


def test_shingles_are_han_five_grams_hashed_as_documented() -> None:
    text = "一、2024年度依法行政工作取得新进展（第1项），ABC推进严格规范公正文明执法。"
    assert shingles(text) == reference_shingles(text)
    assert shingles(text) == shingles(text.replace("2024", "2023").replace("，", ","))  # figures, punctuation
    assert list(shingle_hashes(text)) == sorted(shingles(text))
    assert shingles("依法行政") == frozenset() and shingles("") == frozenset()


@pytest.mark.parametrize("threshold", [0.4, 0.6, 0.8])
def test_lsh_finds_exactly_the_pairs_every_pair_compared_finds(texts: list[str], threshold: float) -> None:
    expected = exact_near_copies(texts, threshold)
    assert near_copies(texts, threshold) == expected
    assert near_copies(texts, threshold, [sketch(t) for t in texts]) == expected
    # the generated set exercises the rule: copies above and below the threshold, ties between equal copies
    scores = [jaccard(shingles(a), shingles(b)) for i, a in enumerate(texts) for b in texts[:i]]
    assert any(threshold <= s < 1.0 for s in scores) and any(threshold - 0.2 < s < threshold for s in scores)
    assert sum(1 for s in scores if s == 1.0) >= 3


def test_sketches_given_for_some_texts_only(texts: list[str]) -> None:
    """A batch resumed from an earlier run has sketches only for the reports analysed in this run."""
    partial = [sketch(t) if k % 2 else None for k, t in enumerate(texts)]
    assert near_copies(texts, 0.6, partial) == exact_near_copies(texts, 0.6)


def test_the_first_of_equal_copies_is_the_match() -> None:
    base = "依法行政工作取得新进展推进严格规范公正文明执法" * 10
    other = "法治宣传教育持续深入开展领导干部学法用法" * 10
    assert near_copies([other, base, base, base], 0.6) == {2: (1, 1.0), 3: (1, 1.0)}


def test_sketch_agreement_estimates_the_jaccard(texts: list[str]) -> None:
    sigs = [sketch(t) for t in texts]
    assert all(s.shape == (SKETCH_BINS,) and s.dtype == np.uint32 for s in sigs)
    assert np.array_equal(sketch(texts[0]), sketch(texts[0]))
    for i in range(0, len(texts), 3):
        for j in range(i + 1, len(texts), 5):
            exact = jaccard(shingles(texts[i]), shingles(texts[j]))
            if shingles(texts[i]) and shingles(texts[j]) and len(shingles(texts[i])) > SKETCH_BINS:
                assert abs(estimated_jaccard(sigs[i], sigs[j]) - exact) < 0.1


def test_a_text_without_shingles_is_never_a_candidate() -> None:
    sigs = np.stack([sketch(""), sketch("abc"), sketch("依法行政工作取得新进展" * 5), sketch("依法行政工作取得新进展" * 5)])
    assert candidate_pairs(sigs, band_rows(0.6)) == {3: [2]}


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.75, 0.9])
def test_bands_are_the_widest_that_keep_the_miss_rate(threshold: float) -> None:
    rows = band_rows(threshold)
    assert (1 - threshold ** rows) ** (SKETCH_BINS // rows) <= MAX_MISS
    assert (1 - threshold ** (rows + 1)) ** (SKETCH_BINS // (rows + 1)) > MAX_MISS


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of bins on which two sketches agree, among the bins not empty in both (empty: the max value)."""
    empty = np.iinfo(a.dtype).max
    both_empty = int(((a == empty) & (b == empty)).sum())
    if both_empty == len(a):
        return 0.0
    return float(((a == b) & (a != empty)).sum()) / (len(a) - both_empty)
