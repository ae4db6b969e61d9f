"""Recognise heading lines of Chinese official documents: 一、 （一） 1. （1） 第一部分.

一是/二是 and 第一，are enumerations inside a paragraph, not headings.
"""

from __future__ import annotations

import re

_NUM = "一二三四五六七八九十百零〇"
# fmt: off
_PATTERNS = (
    (1, re.compile(rf"^第[{_NUM}\d]+(部分|章|篇|节)")),
    (1, re.compile(rf"^[{_NUM}]+\s*[、．.]")),
    (2, re.compile(rf"^[（(]\s*[{_NUM}]+\s*[)）]")),
    (3, re.compile(r"^\d{1,2}\s*[、．.](?!\d)")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]|^[①-⑳]")),
)
# fmt: on
_MAX_HEADING = 50
_RUN_IN_MAX = 40


def heading_level(line: str) -> int | None:
    """The level of ``line`` if the whole line is a numbered heading, else None."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING or line.endswith(("；", "，", "：")) or " | " in line:
        return None
    level = numbering_level(line)
    if level is None or (level >= 3 and line.endswith("。")):
        return None
    body = line.rstrip("。")
    if any(mark in body for mark in "。！？；"):
        return None
    return level


def numbering_level(line: str) -> int | None:
    """The level implied by a line's leading number, whatever follows it."""
    for level, pattern in _PATTERNS:
        if pattern.match(line):
            return level
    return None


def run_in_heading(line: str) -> tuple[int, int] | None:
    """A heading run into its paragraph (“（一）强化组织领导。全年……”): (level, length of the heading).

    Only Chinese-numeral headings qualify; “1.全年办理……。” is an enumerated item far more often.
    """
    level = numbering_level(line)
    if level not in (1, 2):
        return None
    cut = min((i for i in (line.find("。"), line.find("：")) if i > 0), default=-1)
    if cut <= 0 or cut + 1 >= len(line.rstrip()) or cut > _RUN_IN_MAX:
        return None
    return level, cut + 1
