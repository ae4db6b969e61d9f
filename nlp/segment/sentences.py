"""Split normalized text into sentences with exact character offsets.

Rules (pySBD-style, Chinese): a sentence ends after 。！？； or an ellipsis (…… / ...), with any closing
quotes or brackets attached; never inside 《》 or “”; never across a line break, so a heading line is never
glued to the sentence that follows it. Offsets point into the text that was given; nothing is searched for
again afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TERMINATORS = frozenset("。！？；!?;")
ELLIPSIS = "…"
CLOSERS = frozenset("”’）》」』】〕)\"'")
OPENERS = {"《": "》", "“": "”", "「": "」", "『": "』"}
_MAX_NESTED_CHARS = 300
_INTERESTING = re.compile("[" + re.escape("".join(TERMINATORS) + ELLIPSIS + "".join(OPENERS) + "".join(OPENERS.values())) + "]")  # an unbalanced 《 or “ must not swallow a whole paragraph


def iter_sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence in ``text[start:end]``, stripped of surrounding whitespace.

    Example:
        >>> list(iter_sentence_spans("一是学习不够；二是“制度”不全。"))
        [(0, 7), (7, 16)]
    """
    stop = len(text) if end is None else end
    line_start = start
    while line_start < stop:
        nl = text.find("\n", line_start, stop)
        line_end = stop if nl == -1 else nl
        yield from _split_line(text, line_start, line_end)
        line_start = line_end + 1


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sent_start = start
    closing: list[str] = []
    opened_at = 0
    i = start
    while i < end:
        m = _INTERESTING.search(text, i, end)  # jump over plain characters in C, not Python
        if m is None:
            break
        i = m.start()
        ch = text[i]
        cut = None
        if ch in OPENERS:
            if not closing:
                opened_at = i
            closing.append(OPENERS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
            if not closing and i > start and text[i - 1] in TERMINATORS:
                cut = _skip(text, i + 1, end, CLOSERS)  # “……决不能以罚代管！” ends with its closing quote
        elif closing and i - opened_at > _MAX_NESTED_CHARS:
            closing.clear()  # unbalanced quote: stop protecting
        if cut is None and not closing and (ch in TERMINATORS or (ch == ELLIPSIS and _ellipsis_ends(text, i, end))):
            cut = _skip(text, _skip(text, i + 1, end, TERMINATORS | {ELLIPSIS}), end, CLOSERS)
        if cut is None:
            i += 1
            continue
        span = _strip(text, sent_start, cut)
        if span:
            yield span
        sent_start = i = cut
    span = _strip(text, sent_start, end)
    if span:
        yield span


def _skip(text: str, i: int, end: int, chars: frozenset[str] | set[str]) -> int:
    while i < end and text[i] in chars:
        i += 1
    return i


def _ellipsis_ends(text: str, i: int, end: int) -> bool:
    """An ellipsis ends a sentence only when it is a full …… run (two or more)."""
    return i + 1 < end and text[i + 1] == ELLIPSIS and (i + 2 >= end or text[i + 2] != ELLIPSIS)


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
