"""Signals that extracted text is garbled rather than Chinese: control characters, (cid:N), rare glyphs."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

_CID = re.compile(r"\(cid:\d+\)")


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """The 5,000 commonest Han characters (from jieba's dictionary), shipped in ``nlp/data``."""
    raw = resources.files("nlp").joinpath("data/common_chars.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in raw.splitlines() if not line.startswith("#")))


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _is_bad(ch: str) -> bool:
    return (ord(ch) < 32 and ch not in "\t\r\n") or ch in "\ufffd\ufffe\uffff" or "\ue000" <= ch <= "\uf8ff"


def garble_score(text: str) -> float:
    """Share of visible characters that are control characters, U+FFFD, private-use or (cid:N) residue."""
    counts = Counter(text)  # counting runs in C; classifying the few thousand distinct characters is cheap
    visible = sum(n for ch, n in counts.items() if not ch.isspace())
    if visible <= 0:
        return 0.0
    bad = sum(n for ch, n in counts.items() if _is_bad(ch))
    if "(" in counts:
        bad += 6 * len(_CID.findall(text))
    return bad / visible


def han_stats(text: str) -> tuple[int, int, int, int]:
    """(letters, Han characters, common Han characters, kana) over the text's letters."""
    common = common_chars()
    letters = han = frequent = kana = 0
    for ch, n in Counter(text).items():
        if not ch.isalpha():
            continue
        letters += n
        if is_han(ch):
            han += n
            frequent += n if ch in common else 0
        elif "\u3040" <= ch <= "\u30ff":
            kana += n
    return letters, han, frequent, kana
