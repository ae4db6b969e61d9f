"""Headings, the section tree and a role guess per section from its heading."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from nlp.doc import Section
from nlp.text.headings import heading_level, numbering_level, run_in_heading

_TITLE_WORDS = re.compile(r"报告|述法|情况|总结|汇报|记录|笔录|意见|通报|通知|纪要|清单")
# fmt: off
_ROLE_RULES = (
    ("problems", re.compile(r"(问题|不足|差距|短板|薄弱|弱项)\S{0,3}(和|及|与)\S{0,2}原因")),
    ("causes",   re.compile(r"原因")),
    ("problems", re.compile(r"问题|不足|差距|短板|薄弱|弱项|困难|瓶颈|短处")),
    ("measures", re.compile(r"下一步|打算|计划|安排|思路|措施|今后|努力方向|整改|工作重点|建议|重点任务|总体要求|目标任务")),
    ("achievements", re.compile(r"成效|成绩|做法|举措|情况|亮点|经验|履职|履行|开展|推进|加强|坚持|落实|强化|健全|完善|提升|"
                                r"工作回顾")),
    ("other", re.compile(r"其他|其它|附件|说明")),
)
# fmt: on
_STRONG_ACHIEVEMENT = re.compile(r"成效|成绩|做法|亮点|经验")
_STRONG_PROBLEM = re.compile(r"存在的|(?:问题|不足|差距|短板)(?:和|与|及)|不足$|问题$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int


def iter_lines(text: str) -> Iterator[Line]:
    """Non-empty lines of ``text`` with their offsets (whitespace-trimmed)."""
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            yield Line(pos + lead, pos + lead + len(stripped))
        pos += len(raw) + 1


def find_title(text: str, hints: Mapping[int, int]) -> Line | None:
    """The title line: a Title-style paragraph, or a short opening line that reads like one."""
    lines = list(iter_lines(text))[:4]
    for line in lines:
        if hints.get(line.start) == 0:
            return line
    for line in lines[:3]:
        candidate = text[line.start:line.end]
        if heading_level(candidate) or numbering_level(candidate):
            return None
        if len(candidate) <= 60 and "。" not in candidate and _TITLE_WORDS.search(candidate):
            return line
    return None


def find_headings(text: str, hints: Mapping[int, int], skip: Line | None = None) -> list[tuple[int, int, int]]:
    """(start, end, level) of every heading: numbered lines, styled lines, run-in headings."""
    found = []
    for line in iter_lines(text):
        if skip is not None and line.start == skip.start:
            continue
        content = text[line.start:line.end]
        hint = hints.get(line.start)
        level = heading_level(content)
        if hint and hint > 0 and len(content) <= 80 and not content.endswith(("；", "，")):
            found.append((line.start, line.end, numbering_level(content) or hint))
        elif level:
            found.append((line.start, line.end, level))
        else:
            run_in = run_in_heading(content)
            if run_in:
                found.append((line.start, line.start + run_in[1], run_in[0]))
    return found


def guess_role(title: str) -> str | None:
    """The part of a report a heading introduces, from its words."""
    for role, pattern in _ROLE_RULES:
        if pattern.search(title):
            return role
    return None


def build_sections(text: str, headings: list[tuple[int, int, int]]) -> list[Section]:
    """The section tree: each heading governs text up to the next heading of the same or higher level."""
    sections: list[Section] = []
    for k, (start, end, level) in enumerate(headings):
        stop = next((h[0] for h in headings[k + 1:] if h[2] <= level), len(text))
        parent = next((j for j in range(len(sections) - 1, -1, -1) if sections[j].level < level
                       and sections[j].end >= stop), None)
        title = text[start:end].rstrip("。：")
        role = guess_role(title)
        if parent is not None and sections[parent].role and (role is None or (role == "achievements"
                                                                              and not _STRONG_ACHIEVEMENT.search(title))):
            role = sections[parent].role  # “（一）法治思维还需加强” under a problems heading is a problem
        elif parent is not None and sections[parent].role in ("achievements", "measures") and role == "problems" \
                and not _STRONG_PROBLEM.search(title):
            role = sections[parent].role  # “（五）着力解决…问题” under a tasks heading is a task
        sections.append(Section(title=title, level=level, start=start, end=stop, heading_end=end, role=role,
                                parent=parent))
    return sections


def section_at(sections: list[Section], offset: int, starts: list[int] | None = None) -> int | None:
    """Index of the innermost section containing ``offset``.

    Sections are in document order and nest, so the innermost one is the last started one that
    still contains the offset. Pass ``starts`` (the sections' start offsets) when calling in a loop.
    """
    starts = starts if starts is not None else [s.start for s in sections]
    k = bisect.bisect_right(starts, offset) - 1
    while k >= 0:
        if sections[k].end > offset:
            return k
        k -= 1
    return None
