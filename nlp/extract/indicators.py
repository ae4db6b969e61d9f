"""Indicators a report cites (行政诉讼败诉率 17.6%…), matched to the taxonomy's list and checked against the policy."""

from __future__ import annotations

import re

from nlp.doc import Indicator, Sentence
from nlp.extract.numbers import find_percentages
from nlp.taxonomy import IndicatorRule, Taxonomy

# How reports shorten the taxonomy's names; checked longest first so 报备及时率 is not read as 报备率.
# fmt: off
ALIASES = {
    "行政诉讼败诉率": ["行政诉讼败诉率", "败诉率"],
    "行政机关负责人出庭应诉率": ["行政机关负责人出庭应诉率", "负责人出庭应诉率", "负责人出庭率", "出庭应诉率", "出庭率"],
    "行政复议纠错率": ["行政复议纠错率", "复议纠错率", "纠错率"],
    "规范性文件报备及时率": ["规范性文件报备及时率", "报备及时率", "备案及时率"],
    "规范性文件报备率": ["规范性文件报备率", "报备率", "备案率"],
    "重大行政决策合法性审查率": ["重大行政决策合法性审查率", "合法性审查率", "合法性审核率"],
    "行政执法案卷评查合格率": ["行政执法案卷评查合格率", "案卷评查合格率", "案卷合格率", "评查合格率"],
    "生效裁判履行率": ["生效裁判履行率", "裁判履行率", "判决履行率"],
}
# fmt: on
_MAX_GAP = 24  # characters between a name and its value (“败诉率由上年的9.7%下降到6.3%” takes the last)


_NAME_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# One alternation, longest alias first, so a regex engine scan finds 报备及时率 before 报备率.
_ALIAS = re.compile("|".join(re.escape(a) for a in sorted(_NAME_OF, key=len, reverse=True)))


def find_indicators(sentences: list[Sentence] | tuple[Sentence, ...], taxonomy: Taxonomy,
                    overrides: dict[str, tuple[str, float]] | None = None) -> list[Indicator]:
    """Every indicator value in the sentences, with ``alert`` set by the rule (or a policy override)."""
    rules = {r.name: r for r in taxonomy.indicators}
    for name, (op, threshold) in (overrides or {}).items():
        if name in rules:
            rules[name] = IndicatorRule(name, rules[name].unit, op, threshold)
    found: list[Indicator] = []
    for sent in sentences:
        if "率" not in sent.text:
            continue
        for m in _ALIAS.finditer(sent.text):
            name = _NAME_OF[m.group()]
            value = _value_after(sent.text, m.end()) if name in rules else None
            if value is None:
                continue
            number, _, v_end = value
            found.append(Indicator(name=name, value=number, unit="%", start=sent.start + m.start(),
                                   end=sent.start + v_end, alert=rules[name].breached(number), sentence=sent.i))
    return found


def _value_after(text: str, pos: int) -> tuple[float, int, int] | None:
    """The percentage that belongs to the name ending at ``pos``: the last one before the clause ends,
    so “败诉率由上年的9.7%下降到6.3%” reads 6.3."""
    window_end = min(len(text), pos + _MAX_GAP)
    clause = re.search(r"[，。；]", text[pos:window_end])
    stop = pos + clause.start() if clause else window_end
    values = find_percentages(text[pos:stop])
    if not values:
        return None
    value, start, end = values[-1]
    return value, start + pos, end + pos
