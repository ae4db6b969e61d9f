"""Document kind, unit and year, where the text states them."""

from __future__ import annotations

import re
from collections import Counter

from nlp.doc import Kind

# fmt: off
_KIND_RULES = (
    (Kind.TRANSCRIPT, re.compile(r"谈话记录|谈话笔录|座谈会?记录|访谈记录|询问笔录|座谈纪要")),
    (Kind.FEEDBACK, re.compile(r"反馈意见|督察.{0,6}(通报|情况的?通报)|督察组.{0,10}反馈")),
    (Kind.RECTIFICATION_REPORT, re.compile(r"整改(落实)?(工作)?情况的?报告|整改报告|整改情况")),
    (Kind.SHUFA_REPORT, re.compile(r"述法")),
    (Kind.SELF_REPORT, re.compile(r"自查|自评")),
    (Kind.ANNUAL_REPORT, re.compile(r"法治政府建设.{0,12}(年度)?(报告|情况)|依法行政.{0,6}年度报告")),
    (Kind.SELF_REPORT, re.compile(r"工作汇报|工作报告|工作情况的?报告")),
)
# fmt: on
_UNIT_SUFFIX = (r"人民政府|委员会|管理委员会|办公室|局|厅|委|办|院|所|中心|站|队|镇|乡|街道办事处|街道|县|区|市|省"
                r"|公司|集团")
_UNIT = re.compile(rf"^(?:关于)?(?P<unit>[\u4e00-\u9fff（）()]{{2,30}}?(?:{_UNIT_SUFFIX}))"
                   r"(?=党组|党委|党工委|主要负责|(?:19|20)\d\d|关于|法治|述法|履行|贯彻|年度|领导|局长|书记|主任|县长|市长|区长"
                   r"|镇长|乡长|厅长|院长|所长|队长|\s|$|的|工作|整改|自查|落实|推进|依法|谈话|座谈)")
_UNIT_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{_UNIT_SUFFIX})$")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def detect_kind(title: str | None, text: str) -> Kind:
    """The kind of document, from its title first and its opening text second."""
    for source in (title or "", text[:300]):
        for kind, pattern in _KIND_RULES:
            if source and pattern.search(source):
                return kind
    if re.search(r"^\s*(问|谈话人)[：:]", text[:3000], re.M) and re.search(r"^\s*(答|谈话对象)[：:]", text[:3000], re.M):
        return Kind.TRANSCRIPT
    return Kind.OTHER


def detect_year(title: str | None, text: str) -> int | None:
    """The year reported on: the title's year, else the commonest year in the opening."""
    if title:
        m = _YEAR.search(title) or re.search(r"(?:19|20)\d\d", title)
        if m:
            return int(m.group(1) if m.groups() else m.group(0))
    years = Counter(int(y) for y in _YEAR.findall(text[:1500]))
    return years.most_common(1)[0][0] if years else None


def detect_unit(title: str | None, text: str) -> str | None:
    """The reporting unit: from the title, else from a unit-only line at the top or the signature."""
    if title:
        m = _UNIT.search(title.strip())
        if m:
            return m.group("unit")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[1:4] + lines[-4:][::-1]:
        if _UNIT_LINE.match(line):
            return line
    for line in lines[:6]:
        m = re.match(r"^(?:谈话对象单位|被谈话单位|单位|报告单位|被督察单位)[：:]\s*(\S{2,30})", line)
        if m:
            return m.group(1)
    return None
