"""Numbers as reports write them: 17.6%, 百分之十五, 百分之八十七点五, 三十六件, ８５％ (already half-width)."""

from __future__ import annotations

import re

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
CN_NUMBER = "[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?"
PERCENT = re.compile(rf"(?P<arabic>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>{CN_NUMBER})|(?P<arabic2>\d+(?:\.\d+)?)\s*个百分点")


def chinese_to_number(text: str) -> float | None:
    """百分之八十七点五 → 87.5 (pass the part after 百分之); None when it is not a number."""
    whole, _, frac = text.partition("点")
    value = _integer(whole)
    if value is None:
        return None
    if frac:
        digits = [_DIGIT.get(ch) for ch in frac]
        if None in digits:
            return None
        value += float("0." + "".join(str(d) for d in digits))
    return float(value)


def _integer(text: str) -> int | None:
    if not text:
        return None
    if all(ch in _DIGIT for ch in text):  # 一〇五 written digit by digit
        return int("".join(str(_DIGIT[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            unit = _UNIT[ch]
            if unit == 10_000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
        else:
            return None
    return total + section + digit


def find_percentages(text: str) -> list[tuple[float, int, int]]:
    """(value, start, end) of every percentage in ``text`` (percentage points excluded)."""
    out = []
    for m in PERCENT.finditer(text):
        if m.group("arabic2"):
            continue  # “下降2个百分点” is a change, not a rate
        value = float(m.group("arabic")) if m.group("arabic") else chinese_to_number(m.group("cn"))
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out
