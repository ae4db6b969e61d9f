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
    "行政机关负责人出庭应诉率": ["行政机关负责人出庭应诉率", "负责人出庭应诉率", "负责人出庭率", "出庭应诉率", "出庭率", "应诉率"],
    "行政复议纠错率": ["行政复议纠错率", "复议纠错率", "纠错率"],
    "规范性文件报备及时率": ["规范性文件报备及时率", "报备及时率", "备案及时率"],
    "规范性文件报备率": ["规范性文件报备率", "报备率", "备案率"],
    "重大行政决策合法性审查率": ["重大行政决策合法性审查率", "合法性审查率", "合法性审核率"],
    "行政执法案卷评查合格率": ["行政执法案卷评查合格率", "案卷评查合格率", "案卷合格率", "评查合格率"],
    "生效裁判履行率": ["生效裁判履行率", "裁判履行率", "判决履行率"],
}
# fmt: on
_MAX_GAP = 24  # characters between a name and its value (“败诉率由上年的9.7%下降到6.3%” takes the last)
# “出庭应诉率、复议纠错率分别为77.8%、26%”: names joined by 、/和/及, then 分别, then as many values in order
_JOINER = re.compile(r"[、和及与]")
_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|占)?")


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
        matches = [m for m in _ALIAS.finditer(sent.text) if _NAME_OF[m.group()] in rules]
        respective = _respective_values(sent.text, matches)
        for k, m in enumerate(matches):
            name = _NAME_OF[m.group()]
            value = respective.get(k) or _value_after(sent.text, m.end())
            if value is None:
                continue
            number, _, v_end = value
            found.append(Indicator(name=name, value=number, unit="%", start=sent.start + m.start(),
                                   end=sent.start + v_end, alert=rules[name].breached(number), sentence=sent.i))
    return found


def _respective_values(text: str, matches: list[re.Match[str]]) -> dict[int, tuple[float, int, int]]:
    """Values of names listed before 分别: “A率、B率分别为x%、y%” gives A x and B y (by match index); empty when
    the count of values after 分别 is not the count of names."""
    out: dict[int, tuple[float, int, int]] = {}
    k = 0
    while k < len(matches):
        run = [k]
        while run[-1] + 1 < len(matches) and _JOINER.fullmatch(
                text[matches[run[-1]].end():matches[run[-1] + 1].start()]):
            run.append(run[-1] + 1)
        k = run[-1] + 1
        if len(run) < 2:
            continue
        after = _RESPECTIVELY.match(text, matches[run[-1]].end())
        if not after:
            continue
        clause = re.search(r"[，。；]", text[after.end():])
        stop = after.end() + clause.start() if clause else len(text)
        values = find_percentages(text[after.end():stop])
        if len(values) != len(run):
            continue
        for index, (value, start, end) in zip(run, values, strict=True):
            out[index] = (value, start + after.end(), end + after.end())
    return out


def _value_after(text: str, pos: int) -> tuple[float, int, int] | None:
    """The percentage that belongs to the name ending at ``pos``: the last one before the clause ends,
    so “败诉率由上年的9.7%下降到6.3%” reads 6.3."""
    window_end = min(len(text), pos + _MAX_GAP)
    clause = re.search(r"[，。；]", text[pos:window_end])
    stop = pos + clause.start() if clause else window_end
    values = find_percentages(text[pos:stop])
    if not values and clause and "百分点" in text[pos:stop]:
        # “出庭应诉率同比提高12.5个百分点，达到77.8%”: the change first, the rate in the next clause
        start = stop + 1
        nxt = re.search(r"[，。；]", text[start:window_end])
        stop = start + nxt.start() if nxt else window_end
        values = [(v, a + start - pos, b + start - pos) for v, a, b in find_percentages(text[start:stop])]
    if not values:
        return None
    value, start, end = values[-1]
    return value, start + pos, end + pos
