"""Residue of real web pages that is not site navigation: preview and paywall notices, comment boxes, editor and
copyright lines, the 信息公开 metadata table, welcome lines; reading-aid pinyin without a tone mark; cut-off endings.

Each kind of residue is removed line by line and reported in its own warning, so a reviewer knows what the page
carried and that a preview is not the whole report.
"""

from __future__ import annotations

import re

from nlp.ingest.raw import RawLine

MAX_RESIDUE_LINE = 150  # characters: residue lines are short; a body paragraph that mentions 评论 or 转载 is not
MAX_META_VALUE = 40  # characters: the value cell under a metadata key that stands alone on its line

# fmt: off
_META_KEYS = (r"索引号|主题分类|主题词|发文机关|发文单位|发文日期|成文日期|发布日期|发布机构|文\s*号|发文字号|有效性|时效性"
              r"|体裁分类|公开方式|公开范围|公开时限|组配分类|信息类别|信息分类|生效日期|废止日期|所属机构|统一编号|登记号")
_PREVIEW = re.compile(
    r"仅(?:展示|显示|预览)了?(?:前)?\s*\d+\s*字|全文共\s*\d+\s*字|此处(?:已)?隐藏\s*\d*\s*字|(?:VIP|会员)(?:会员)?(?:可见|可读|专享)"
    r"|开通\s*(?:VIP|会员)|剩余\s*\d+\s*字|登录后(?:查看|阅读|可见|下载)|付费(?:后)?(?:阅读|查看|可见|下载)|试读结束|免费预览"
    r"|^[\s.…。>》»【\[（(]*(?:点击)?(?:阅读|查看|展开|下载)(?:全文|完整版|更多)[\s.…>》»】\]）)]*$")
RESIDUE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("preview", _PREVIEW, "删除了{n}行网站的预览或付费提示（如“阅读全文”“VIP会员可见”）。"),
    ("comments", re.compile(
        r"^(?:发表评论|我要评论|网友评论|评论列表|暂无评论|最新评论|热门评论|全部评论|查看评论|提交评论|匿名(?:评论|发表)"
        r"|请(?:输入|文明)?(?:发表)?评论|评论区|还可以输入\s*\d+\s*字|验证码)"
        r"|暂无评论|共\s*\d+\s*条评论|^网友[\w\u4e00-\u9fff*]{0,16}[：:]|^第?\d+\s*楼\s*[：:]"),
     "删除了{n}行网页评论区内容（发表评论、网友评论等）。"),
    ("credits", re.compile(
        r"^[【\[（(]?\s*(?:责任编辑|编辑|责编|审核|初审|复审|终审|校对|审校|供稿|撰稿|摄影|监制|作者|通讯员)\s*[：:]"
        r"|^(?:来源|稿件来源|信息来源)\s*[：:].{0,40}(?:编辑|作者)\s*[：:]|版权所有|Copyright|©"
        r"|禁止(?:以)?(?:一切|任何)?形式(?:的)?转载|未经.{0,8}(?:授权|许可).{0,12}(?:转载|复制|摘编|镜像|使用)|转载请注明"),
     "删除了{n}行编辑署名、稿件来源和版权声明。"),
    ("metadata", re.compile(rf"^[|｜\s]*(?:{_META_KEYS})\s*[：:|｜]|(?:{_META_KEYS})\s*[：:|｜].{{0,60}}(?:{_META_KEYS})\s*[：:|｜]"),
     "删除了{n}行网页信息公开元数据（索引号、发布机构、成文日期等）。"),
    ("welcome", re.compile(r"^[\s*【\[]*欢迎(?:您)?(?:访问|来到|光临|登录|进入)"), "删除了{n}行网站欢迎语。"),
)
# fmt: on
_META_ALONE = re.compile(rf"^[|｜\s]*(?:{_META_KEYS})\s*[：:]?[|｜\s]*$")
_TITLE_WORDS = re.compile(r"报告|汇报|述法|记录|总结")
_SHOWN = re.compile(r"仅(?:展示|显示|预览)了?(?:前)?\s*(\d+)\s*字.{0,6}全文共?\s*(\d+)\s*字|此处(?:已)?隐藏\s*(\d+)\s*字")

# Reading-aid pinyin without a tone mark: a neutral-tone particle, e.g. 的(de), 了(le); any valid syllable once the
# page is known to annotate (it also carries toned pinyin).
_NEUTRAL = {"的": "de", "地": "de", "得": "de", "了": "le", "着": "zhe", "过": "guo", "们": "men", "么": "me",
            "呢": "ne", "吗": "ma", "吧": "ba", "啊": "a", "呀": "ya", "子": "zi", "头": "tou", "个": "ge"}
_SYLLABLE = (r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|ian|iao|van|üan"
             r"|ai|ei|ao|ou|an|en|er|in|un|ün|ia|ie|iu|ua|uo|ue|üe|ve|ui|a|o|e|i|u|ü|v))")
_TONELESS = re.compile(rf"(?<=[\u4e00-\u9fff]) ?[（(] *(?P<py>{_SYLLABLE}(?:[ '’]?{_SYLLABLE}){{0,3}}) *[)）]")
_END = tuple("。！？；：…”’）」』】!?;:")
_CUT_END = re.compile(r"(?:\.{3,}|…{1,2}|——)$")
_DATE_OR_UNIT = re.compile(r"(?:\d{1,2}\s*日|[年月])$|(?:局|委|办|院|厅|政府|中心|所|队|镇|乡|街道)$")


def remove_neutral_pinyin(text: str, *, anywhere: bool) -> tuple[str, int]:
    """Drop bracketed toneless pinyin after a character: after neutral-tone particles always (的(de)); after any
    character when ``anywhere`` (the page already carries toned pinyin, so brackets of syllables are reading aids)."""
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        before = text[m.start() - 1]  # the lookbehind guarantees a character there
        syllables = m.group("py").lower()
        if anywhere or _NEUTRAL.get(before) == syllables:
            count += 1
            return ""
        return m.group(0)

    return _TONELESS.sub(repl, text), count


def drop_residue(lines: list[RawLine]) -> tuple[list[RawLine], dict[str, int], str | None]:
    """Remove residue lines; return the kept lines, counts per kind, and a truncation warning for previews."""
    counts: dict[str, int] = {}
    keep: list[RawLine] = []
    truncation = None
    value_next = False  # the line after a lone metadata key is its value
    for ln in lines:
        text = ln.text.strip()
        if value_next and len(text) <= MAX_META_VALUE and "。" not in text and not _TITLE_WORDS.search(text):
            counts["metadata"] = counts.get("metadata", 0) + 1
            value_next = bool(_META_ALONE.match(text))
            continue
        value_next = False
        kind = residue_kind(text)
        if kind is None:
            keep.append(ln)
            continue
        counts[kind] = counts.get(kind, 0) + 1
        value_next = kind == "metadata" and bool(_META_ALONE.match(text))
        if kind == "preview" and truncation is None:
            truncation = preview_warning(text)
    return keep, counts, truncation


def residue_kind(line: str) -> str | None:
    """Which kind of residue a line is, if any."""
    if not line or len(line) > MAX_RESIDUE_LINE:
        return None
    for name, pattern, _ in RESIDUE:
        if pattern.search(line):
            return name
    return "metadata" if _META_ALONE.match(line) else None


def preview_warning(notice: str) -> str:
    m = _SHOWN.search(notice)
    if m and m.group(1):
        what = f"（网页仅展示{m.group(1)}字，全文共{m.group(2)}字）"
    elif m:
        what = f"（网页隐藏了{m.group(3)}字）"
    else:
        what = ""
    return f"网页只显示了报告的一部分{what}，预审所见不是全文，请取得完整报告后再审。"


def truncated_ending(lines: list[str]) -> str | None:
    """A warning when the text stops in mid-sentence (a page cut off by its site, a preview)."""
    last = next((ln.strip() for ln in reversed(lines) if ln.strip()), "")
    han = sum(1 for ch in last if "\u4e00" <= ch <= "\u9fff")
    if _CUT_END.search(last) and han >= 5:
        return "正文以省略号结尾，网页或文件可能只提供了部分内容，预审所见可能不是全文。"
    if han < 15 or last.endswith(_END) or _DATE_OR_UNIT.search(last) or last.startswith("附件"):
        return None
    if "，" not in last and len(last) < 40:  # a signature, a caption, a table row: not a sentence cut off
        return None
    return "正文最后一句没有结束，网页或文件可能被截断，预审所见可能不是全文。"
