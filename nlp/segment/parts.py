"""The part of a report each sentence stands in: achievements, problems, causes or measures.

A heading names its part (``nlp.segment.sections``), but many reports have no heading over their problems: a
paragraph opens with a lead-in (“同时也清醒看到…，主要是：”, “工作中还存在一些不足”) and states them, then a pledge
closes it (“对此，我们将…”). A sentence's part is that of its paragraph when a lead-in opens the paragraph (or the
paragraphs of a list it announces), else that of its heading. The classifier sees the part (a sentence-only
model cannot tell a hedged problem in a problems paragraph from a measure), and extraction keeps to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.doc import Section, Sentence

# fmt: off
PROBLEM_LEAD = re.compile(
    r"(?:清醒|深刻|冷静)地?(?:看到|认识到|意识到)|(?:也|还|同时，?)要?(?:清醒)?看到|(?:看到|肯定|总结)成绩的同时|"
    r"不容忽视的是|存在的(?:主要)?(?:问题|不足|短板)|(?:问题|不足|短板)(?:和|与|及)(?:不足|差距|短板|问题)|不足之处|"
    r"把问题(?:说透|讲透|找准)|(?:仍|还|也|依然|仍然)(?:存在|面临)(?:着)?(?:一些|不少|以下|诸多|许多|较多|一定的?)?"
    r"(?:问题|不足|短板|差距|薄弱|困难|挑战|压力)|(?:工作|发展)中(?:还|仍)?存在")
PLEDGE = re.compile(
    r"^(?:对此|对于?这些问题|针对(?:上述|以上|这些)|为此|下一步|今后|我们(?:将|要|一定|必须|会)|"
    r"(?:以上|上述|这些)问题[^，。]{0,12}(?:高度重视|认真|切实|着力|努力))")
CAUSE_LEAD = re.compile(r"^(?:究其原因|分析原因|原因(?:主要)?(?:是|在于|有)|产生(?:这些)?问题的原因|之所以)")
ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|"
                        r"第[一二三四五六七八九十]+[，、]|其[一二三四五六七八九十])")
# fmt: on
_ANSWERS = re.compile(r"^(?:对此|针对|为此|下一步|今后|我们将)")  # a measure that names the problems it answers
_BLANKS = "\u3000\u2003\u2002\u00a0 \t"
_OPENING = 80  # characters of a paragraph in which its lead-in stands


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text`` (the paragraphs of a normalized document)."""
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append((start, end))
        start = end + 1
    return out


def is_problem_lead(opening: str) -> bool:
    """The opening words of a paragraph announce problems (not a measure that names one)."""
    head = re.split(r"[：:]", opening[:_OPENING], maxsplit=1)[0]
    return bool(PROBLEM_LEAD.search(head)) and not _ANSWERS.match(head.strip(_BLANKS))


def sentence_parts(text: str, sections: Sequence[Section], sentences: Sequence[Sentence]) -> list[str | None]:
    """The part of each sentence: its paragraph's, when a lead-in opens the paragraph, else its heading's."""
    return read_parts(text, sections, sentences)[0]


def read_parts(text: str, sections: Sequence[Section], sentences: Sequence[Sentence]
               ) -> tuple[list[str | None], frozenset[int]]:
    """(the part of each sentence, the ``i`` of the sentences in a problems paragraph a lead-in opens). Such a
    paragraph lists problems clause by clause (“A不足，B不振；C…”), unlike a section of numbered items."""
    para = paragraph_spans(text)
    paragraph_role = _paragraph_roles(text, sections, para)
    out: list[str | None] = []
    listing: set[int] = set()
    pledged: set[int] = set()  # paragraphs whose pledge has begun
    k = 0
    for s in sentences:
        while k + 1 < len(para) and para[k][1] < s.start:
            k += 1
        role = paragraph_role.get(k) if para and para[k][0] <= s.start <= para[k][1] else None
        opening = s.text.strip(_BLANKS)
        if role == "problems" and (k in pledged or (PLEDGE.match(opening) and not is_problem_lead(opening))):
            pledged.add(k)
            role = "measures"
        elif role == "problems" and CAUSE_LEAD.match(opening):
            role = "causes"
        elif role == "problems":
            listing.add(s.i)
        if role is None and s.section is not None:
            role = sections[s.section].role
        out.append(role)
    return out, frozenset(listing)


def _paragraph_roles(text: str, sections: Sequence[Section], paragraphs: list[tuple[int, int]]) -> dict[int, str]:
    """Paragraph index → "problems" for paragraphs a lead-in opens, and the enumerated paragraphs after a lead-in
    paragraph that ends with its colon (“存在以下不足：” then 一是… 二是…)."""
    heads = {s.start for s in sections}
    roles: dict[int, str] = {}
    listing = False
    for k, (a, b) in enumerate(paragraphs):
        line = text[a:b].strip()
        if a in heads and not is_problem_lead(line):
            listing = False
            continue
        if is_problem_lead(line):
            roles[k] = "problems"
            listing = line.endswith(("：", ":"))
        elif listing and ENUMERATED.match(line):
            roles[k] = "problems"
        else:
            listing = False
    return roles
