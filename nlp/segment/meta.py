"""Document kind, unit and year, where the text states them.

The kind comes from the title first (its document noun: 述法报告, 工作报告, 反馈意见 …), then from how the text
reads: a news item (dateline, 记者, "日前，…召开", reported speech), a work report delivered to a people's congress,
interview turns, or a unit's own report without a telling title. Anything else is ``other``: not a report.
"""

from __future__ import annotations

import re
from collections import Counter

# fmt: off
_KIND_RULES = (
    ("transcript", re.compile(r"谈话记录|谈话笔录|座谈会?记录|访谈记录|询问笔录|座谈纪要")),
    ("rectification_report", re.compile(r"整改(落实)?(工作)?情况的?报告|整改报告|整改情况(?!的?通报)")),
    ("feedback", re.compile(r"反馈意见|督察.{0,6}(通报|情况的?通报)|督察组.{0,10}反馈|巡察.{0,10}反馈|反馈.{0,10}巡察"
                            r"|的通报$|情况通报|^关于.{2,40}通报$|通报$")),
    ("shufa_report", re.compile(r"述法")),
    ("self_report", re.compile(r"自查|自评")),
    ("annual_report", re.compile(r"法治政府建设.{0,12}(年度)?(报告|情况)|依法行政.{0,6}年度报告")),
    ("work_report", re.compile(r"(政府|法院|检察院)工作报告")),
    ("self_report", re.compile(r"工作汇报|工作报告|工作情况的?报告")),
)
# fmt: on
# A title that names a document of a reported kind (a news headline about 述法 names an event instead).
_REPORT_NOUN = re.compile(r"报告|汇报|自查|自评|整改情况|反馈|通报|记录|笔录|纪要")
# A report delivered to a people's congress: "——在XX省第十四届人民代表大会第三次会议上".
_CONGRESS = re.compile(r"在\s*(?P<region>[\u4e00-\u9fff]{2,16}?)\s*第\s*[一二三四五六七八九十百零\d]+\s*届\s*人民代表大会")
_DELEGATES = re.compile(r"^\s*各位代表\s*[：:]", re.M)

# News: a dateline, a lead that dates an event, reported speech; third person, short, without numbered parts.
_DATELINE = re.compile(r"本报讯|本网讯|讯\s*[（(]|新华社|[（(]\s*记者|记者\s*[\u4e00-\u9fff]{2,4}|通讯员|电\s*[（(]记者")
_LEAD = re.compile(r"^(?:日前|近日|近期|昨天|昨日|今天|今日|本周|(?:(?:19|20)\d\d年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上?)?)[，,]")
_EVENT = re.compile(r"召开|举行|举办|开展|启动|调研|视察|督导|主持|出席|来到|走进|座谈会|培训班|推进会|部署会|会议|活动")
_REPORTED = re.compile(r"会议(?:指出|强调|要求|认为|提出|听取|审议)|(?:他|她)(?:指出|强调|表示|要求)|与会|参会人员|会上")
_FIRST_PERSON = re.compile(r"我(?:局|委|办|院|厅|县|市|区|镇|乡|单位|部|所|中心)|本(?:局|单位|人)|我们")
_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]{1,3}、", re.M)
_REPORT_WORDS = re.compile(r"存在的?(?:主要)?问题|不足|短板|下一步|工作打算|工作计划|主要做法|工作成效|特此报告|报告如下|整改措施")
NEWS_MIN_SCORE = 3
NEWS_SHORT = 4000  # characters: a news item is short; a report rarely is
NEWS_LONG = 8000

_UNIT_SUFFIX = (r"人民政府|委员会|管理委员会|办公室|局|厅|委|办|院|所|中心|站|队|镇|乡|街道办事处|街道|县|区|市|省|州|盟|旗"
                r"|公司|集团")
_UNIT = re.compile(rf"^(?:关于)?(?P<unit>[\u4e00-\u9fff（）()]{{2,30}}?(?:{_UNIT_SUFFIX}))"
                   r"(?=党组|党委|党工委|主要负责|(?:19|20)\d\d|关于|法治|述法|履行|贯彻|年度|领导|局长|书记|主任|县长|市长|区长"
                   r"|镇长|乡长|厅长|院长|所长|队长|\s|$|的|工作|整改|自查|落实|推进|依法|谈话|座谈|(?:人民)?政府工作报告"
                   r"|召开|举行|举办)")
_UNIT_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{_UNIT_SUFFIX})$")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_TITLE_PREFIX = re.compile(r"^(?:(?:19|20)\d\d\s*年度?|关于|[\s　]+)+")
# fmt: off
# Provincial-level units by the short name a title may use ("2025年广西政府工作报告") → what a reviewer calls them.
PROVINCES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "河北": "河北省", "山西": "山西省",
    "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省", "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省",
    "福建": "福建省", "江西": "江西省", "山东": "山东省", "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省",
    "广东": "广东省", "海南": "海南省", "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "陕西": "陕西省",
    "甘肃": "甘肃省", "青海": "青海省", "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区", "香港": "香港特别行政区", "澳门": "澳门特别行政区",
}
# fmt: on
_SHORT_NAME_BODY = re.compile(r"^(?:人民)?(?:政府|法院|检察院|高级人民法院|人民检察院|党委|自治区)")


def detect_kind(title: str | None, text: str) -> str:
    """The kind of document, from its title first and from how its text reads second.

    Example:
        >>> detect_kind("2025年某省政府工作报告", "")
        'work_report'
    """
    title = (title or "").strip()
    by_title = _match_kind(title) if title else None
    if by_title in ("transcript", "feedback", "rectification_report"):
        return by_title
    if by_title and (_REPORT_NOUN.search(title) or not looks_like_news(text)):
        return by_title
    if looks_like_news(text):
        return "news"
    if _CONGRESS.search(text[:600]) and _DELEGATES.search(text[:1500]):
        return "work_report"
    by_opening = _match_kind(text[:300])
    if by_opening:
        return by_opening
    if re.search(r"^\s*(问|谈话人)[：:]", text[:3000], re.M) and re.search(r"^\s*(答|谈话对象)[：:]", text[:3000], re.M):
        return "transcript"
    return "self_report" if looks_like_report(text) else "other"


def _match_kind(source: str) -> str | None:
    for kind, pattern in _KIND_RULES:
        if pattern.search(source):
            return kind
    return None


def news_score(text: str) -> int:
    """Points for reading like a news item about the work rather than a report of it."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    lead = next((ln for ln in lines[1:4] if len(ln) > 30), lines[0] if lines else "")
    score = 2 if _DATELINE.search(text[:400]) or _DATELINE.search(text[-200:]) else 0
    if _LEAD.match(lead):
        score += 2 if _EVENT.search(lead[:80]) else 1
    reported = len(_REPORTED.findall(text))
    score += 2 if reported >= 3 else 1 if reported else 0
    score += 1 if len(text) < NEWS_SHORT else -2 if len(text) >= NEWS_LONG else 0
    if len(_NUMBERED.findall(text)) >= 3:
        score -= 2
    first_person = len(_FIRST_PERSON.findall(text))
    if first_person >= 5 and first_person * 1000 >= 2 * len(text):
        score -= 2
    return score


def looks_like_news(text: str) -> bool:
    return news_score(text) >= NEWS_MIN_SCORE


def looks_like_report(text: str) -> bool:
    """A unit's own account of its work without a telling title: report vocabulary, or numbered parts in the
    first person."""
    words = len(set(_REPORT_WORDS.findall(text)))
    numbered = len(_NUMBERED.findall(text))
    return words >= 2 or (numbered >= 2 and len(_FIRST_PERSON.findall(text)) >= 2)


def detect_year(title: str | None, text: str) -> int | None:
    """The year reported on: the title's year, else the commonest year in the opening."""
    if title:
        m = _YEAR.search(title) or re.search(r"(?:19|20)\d\d", title)
        if m:
            return int(m.group(1) if m.groups() else m.group(0))
    years = Counter(int(y) for y in _YEAR.findall(text[:1500]))
    return years.most_common(1)[0][0] if years else None


def detect_unit(title: str | None, text: str) -> str | None:
    """The reporting unit: from the title, else from the opening (the people's congress a work report was delivered
    to, which also completes a short provincial name), else a unit-only line at the top or the signature.

    Example:
        >>> detect_unit("2025年广西政府工作报告", "")
        '广西壮族自治区'
    """
    unit = unit_from_title(title) if title else None
    congress = _CONGRESS.search(text[:800])
    if congress:
        region = congress.group("region")
        region = PROVINCES.get(region, region)
        if unit is None or (region != unit and region.startswith(unit)):
            return region
    if unit:
        return unit
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[1:4] + lines[-4:][::-1]:
        if _UNIT_LINE.match(line):
            return line
    for line in lines[:6]:
        m = re.match(r"^(?:谈话对象单位|被谈话单位|单位|报告单位|被督察单位)[：:]\s*(\S{2,30})", line)
        if m:
            return m.group(1)
    return None


def unit_from_title(title: str) -> str | None:
    """The unit a title names at its start, after a year or 关于; provincial short names are completed."""
    title = _TITLE_PREFIX.sub("", title.strip())
    for short, full in PROVINCES.items():
        if title.startswith(short) and not title.startswith(full) and _SHORT_NAME_BODY.match(title[len(short):]):
            return full
    m = _UNIT.search(title)
    return m.group("unit") if m else None
