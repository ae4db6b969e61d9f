"""Enumeration markers inside a paragraph: 一是/二是, 第一，, （一）/(1), 1./1、, 其一，.

The one definition of what starts an enumerated item; extraction, features and the corpus tools import it.
"""

from __future__ import annotations

import re

NUMERALS = "一二三四五六七八九十"
_SHI = rf"[{NUMERALS}]+是"  # 一是 … 十二是
_PAREN = rf"[（(][{NUMERALS}\d]+[)）]"  # （一） (1)
_ARABIC = r"\d+[.、．]"  # 1. 2、
_QI = rf"其[{NUMERALS}][，、是]"  # 其一，
ITEM_MARKER = rf"{_SHI}|第[{NUMERALS}]+[，、]|{_PAREN}|{_ARABIC}|{_QI}"
SEQUENCE_WORDS = ("首先", "其次", "再次", "最后", "此外", "另外", "同时")

ITEM_START = re.compile(rf"^(?:{ITEM_MARKER})")
"""A sentence that is an enumerated item (一是…, （一）…, 1.…)."""

ENUMERATOR = re.compile(rf"^(?:{ITEM_MARKER}|(?:{'|'.join(SEQUENCE_WORDS)})[，、]?)\s*")
"""The marker a checklist line drops: an item marker or a sequence word (首先，…), with following spaces."""

ENUMERATION_FEATURE = re.compile(rf"^(?:{_SHI}|第[{NUMERALS}]+|{_PAREN}|{_ARABIC})")
"""The looser start the sentence classifier was trained with (any 第N, no 其一): kept for the bundled models."""


def strip_enumerator(text: str) -> str:
    """“二是执法不规范；” → “执法不规范；”."""
    return ENUMERATOR.sub("", text, count=1)
