"""Repair extracted lines into one clean text. Each repair that fires adds a plain-words warning.

Order matters: characters first (widths, radicals, pinyin, script), then whole lines (site chrome,
page furniture, repeated blocks), then line joins. Everything works on lines that remember their page,
so page provenance survives every repair.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.residue import RESIDUE, drop_residue, remove_neutral_pinyin, truncated_ending
from nlp.text.headings import heading_level
from nlp.text.turns import opens_turn

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CJK_PUNCT = "，。、；：？！“”‘’（）《》【】…—"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffe\uffff\ufffd"), None)
_PRIVATE_USE = dict.fromkeys(range(0xE000, 0xF900), None)  # icon-font bullets and unmapped glyphs
_UNKNOWN = re.compile("[\ufffd\ue000-\uf8ff]")
_SPACES = dict.fromkeys(map(ord, "\u3000\u00a0\u2002\u2003\u2009\u202f\t"), " ")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH_ALNUM.update({0xFF05: ord("%"), 0xFF0E: ord(".")})
_CONTROL = dict.fromkeys([c for c in range(32) if c != 10], None)
_CHAR_TABLE = {**_CONTROL, **_ZERO_WIDTH, **_PRIVATE_USE, **_SPACES, **_FULLWIDTH_ALNUM}
_HAN_CHAR = re.compile("[\u4e00-\u9fff]")
_KANGXI = re.compile("[\u2e80-\u2fdf]")
_MULTI_SPACE = re.compile(r" {2,}")
_HALF_TO_FULL = {",": "，", ";": "；", "?": "？", "!": "！", ":": "："}
_BETWEEN_CJK_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ ]+(?=[{_CJK}{_CJK_PUNCT}])")
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])([,;?!:])|([,;?!:])(?=[{_CJK}])")
_PARENS = re.compile(rf"\(([^()\n]*[{_CJK}][^()\n]*)\)")
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(rf"(?<=[{_CJK}]) ?[（(] *(?=[a-zA-Z{_TONE}'’ ·]*[{_TONE}1-5])[a-zA-Z{_TONE}1-5'’ ·]{{1,60}} *[)）]")
_MASKED = re.compile(r"(?<![A-Za-z])(?:[*＊×]{1,3}|X{1,3})(?=[次件个项名人家份期场余%％批起条])|[×＊*]{2,}")
_TITLE_LIKE = re.compile(r"报告|述法|情况|总结|汇报|记录|意见|通报")
_END = tuple("。！？；：…”’）」』】!?;:")
_COPIED_BLOCK = 3  # repeated lines in a row from which repeated turns count as a copied body, not as speech

# Site chrome: lines a saved page carries around the article. Anchored, and only on short lines
# without a full stop, so body sentences that mention 来源 or 打印 are never touched.
# fmt: off
_CHROME = re.compile("|".join([
    r"^(您|你)?(现在|当前)的?位置", r"^当前位置", r"^首页\s*[>＞›»/]", r"[>＞›»]\s*(正文|详情|政务公开|通知公告)\s*$",
    r"^(来源|信息来源|文章来源|发布时间|发布日期|发布机构|更新时间|浏览次数|阅读次数|点击数|访问量|作者)\s*[：:]",
    r"(发布时间|浏览次数|阅读次数|点击数|访问次数)\s*[：:]", r"字体\s*[：:]?\s*[\[【]?\s*大", r"【\s*大\s*】|\[\s*大\s*\]",
    r"^[【\[]?\s*(分享到|打印本页|打印|关闭窗口|关闭|收藏|扫一扫|返回顶部)",
    r"ICP备|网站标识码|公网安备|技术支持",
    r"^(网站地图|联系我们|相关推荐|相关链接|相关阅读|相关新闻|上一篇|下一篇|无障碍|English|登录|注册)",
    r"^(附件下载|相关附件|【相关阅读】)",
]))
# A site footer names its 主办单位 alone; a report's own list of tasks names several units (“主办单位：省教育厅、…”).
_FOOTER_UNIT = re.compile(r"主办单位|承办单位")
# fmt: on


@dataclass(frozen=True)
class CleanText:
    """Normalization's result: the text, the page map, heading hints and what was repaired."""

    text: str
    page_starts: tuple[int, ...]
    heading_hints: tuple[tuple[int, int], ...]  # (offset of a line start, level)
    script: str
    warnings: tuple[str, ...]


def normalize(raw: RawDocument) -> CleanText:
    """Apply every repair to ``raw`` and build the one normalized text."""
    warnings = list(raw.warnings)
    # Character repairs never touch a line break, so they run once over the joined text (fast) and the
    # lines are split back out with their pages.
    lines, n_pinyin, n_unknown = _fix_lines(raw.lines)
    if n_pinyin:
        warnings.append(f"删除了{n_pinyin}处网页添加的拼音注音。")
    if n_unknown:
        warnings.append(f"删除了{n_unknown}个无法识别的字符（字体缺少编码映射）。")
    lines, script = _to_simplified(lines)
    if script != "simplified":
        warnings.append("原文含繁体字，已转换为简体字进行分析。" if script == "traditional" else "原文繁简混排，已统一转换为简体字。")
    lines = [ln for ln in lines if ln.text.strip()]
    lines, residue, truncation = drop_residue(lines)
    warnings += [message.format(n=residue[name]) for name, _, message in RESIDUE if residue.get(name)]
    lines, n_chrome = _drop_chrome(lines)
    if n_chrome:
        warnings.append(f"删除了{n_chrome}行网站栏目、元数据等非正文内容。")
    lines, n_numbers = _drop_page_numbers(lines)
    if n_numbers and raw.media_type != "application/pdf":
        warnings.append(f"删除了{n_numbers}行页码。")
    lines, n_repeat, title_repeats = _drop_repeats(lines)
    if title_repeats:
        warnings.append(f"标题重复出现{title_repeats + 1}次，只保留一次。")
    if n_repeat:
        warnings.append(f"删除了{n_repeat}段重复出现的正文（网页常把正文重复显示）。")
    if raw.wrapped:
        lines, n_joined = _join_wrapped(lines)
        if n_joined:
            warnings.append(f"合并了{n_joined}处被换行打断的句子。")
    truncation = truncation or truncated_ending([ln.text for ln in lines])
    if truncation:
        warnings.append(truncation)
    masked = sum(len(_MASKED.findall(ln.text)) for ln in lines)
    if masked:
        warnings.append(f"发现{masked}处被遮盖的数字（如“*次”），已保留原样，相关指标无法核实。")
    return _assemble(lines, script, warnings)


def _fix_lines(lines: list[RawLine]) -> tuple[list[RawLine], int, int]:
    if not lines:
        return [], 0, 0
    joined = "\n".join(ln.text.replace("\n", " ") for ln in lines)
    n_unknown = len(_UNKNOWN.findall(joined))
    joined, n_pinyin = _PINYIN.subn("", fix_characters(joined))
    joined, n_neutral = remove_neutral_pinyin(joined, anywhere=n_pinyin > 0)
    n_pinyin += n_neutral
    pieces = joined.split("\n")
    if len(pieces) != len(lines):  # a repair crossed a line break: redo line by line
        pieces = [remove_neutral_pinyin(_PINYIN.sub("", fix_characters(ln.text.replace("\n", " "))), anywhere=n_pinyin > 0)[0]
                  for ln in lines]
    return [replace(ln, text=text.strip()) for ln, text in zip(lines, pieces, strict=True)], n_pinyin, n_unknown


def fix_characters(text: str) -> str:
    """Widths, radicals, invisible characters and letter-spacing; line breaks are left where they are."""
    text = text.translate(_CHAR_TABLE)
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    text = _PARENS.sub(r"（\1）", text)
    text = _MULTI_SPACE.sub(" ", text)
    return _BETWEEN_CJK_SPACE.sub("", text).strip(" ")


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(lines: list[RawLine]) -> tuple[list[RawLine], str]:
    converted_lines = _converter().convert("\n".join(ln.text for ln in lines)).split("\n")
    if len(converted_lines) != len(lines):  # never seen; fall back to line by line
        converted_lines = [_converter().convert(ln.text) for ln in lines]
    if all(c == ln.text for c, ln in zip(converted_lines, lines, strict=True)):
        return lines, "simplified"
    out, trad_lines, simp_lines = [], 0, 0
    for ln, converted in zip(lines, converted_lines, strict=True):
        if converted == ln.text:
            out.append(ln)
            simp_lines += len(_HAN_CHAR.findall(ln.text)) >= 8
            continue
        han = len(_HAN_CHAR.findall(ln.text))
        changed = sum(1 for a, b in zip(ln.text, converted, strict=False) if a != b)
        if han >= 8:
            if changed >= max(2, 0.06 * han):
                trad_lines += 1
            elif changed == 0:
                simp_lines += 1
        out.append(replace(ln, text=converted) if changed or len(converted) != len(ln.text) else ln)
    if not trad_lines:
        return out, "simplified"
    return out, "traditional" if trad_lines >= 4 * max(simp_lines, 1) or not simp_lines else "mixed"


def _drop_chrome(lines: list[RawLine]) -> tuple[list[RawLine], int]:
    keep = [ln for ln in lines if not is_chrome(ln.text)]
    return keep, len(lines) - len(keep)


def is_chrome(line: str) -> bool:
    """True for navigation, metadata and footer lines of a saved web page."""
    if len(line) > 120 or "。" in line:
        return False
    return bool(_CHROME.search(line)) or (bool(_FOOTER_UNIT.search(line)) and not re.search("[，、]", line)) or any(
        pattern.search(line) for _, pattern, _ in RESIDUE)


_PAGE_NO = re.compile(r"^[\s\-—–_·•]*(第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d{1,4}\s*[-—–])[\s\-—–_·•]*$")


def _drop_page_numbers(lines: list[RawLine]) -> tuple[list[RawLine], int]:
    keep = [ln for ln in lines if not _PAGE_NO.match(ln.text)]
    return keep, len(lines) - len(keep)


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


def _drop_repeats(lines: list[RawLine]) -> tuple[list[RawLine], int, int]:
    """Drop lines that repeat an earlier line: long ones always, short ones inside a repeated run or the title.
    A transcript's turn (问：…, 张某某：…) is dropped only inside a copied block of ``_COPIED_BLOCK`` lines (a page
    that shows its body twice): an interviewer may ask the same question again, and its answer must not be
    attributed to the turn before."""
    keys = [_key(ln.text) for ln in lines]
    seen: set[str] = set()
    dup = []
    for k in keys:
        dup.append(len(k) >= 4 and k in seen)
        seen.add(k)
    runs = [0] * len(lines)  # length of the run of repeated lines each repeated line belongs to
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and dup[j]:
            j += 1
        runs[i:j] = [j - i] * (j - i)
        i = max(j, i + 1)
    title_key = next((k for k, ln in zip(keys, lines, strict=True) if ln.heading == 0 or len(k) >= 4), "")
    keep, removed, title_repeats = [], 0, 0
    for i, ln in enumerate(lines):
        if dup[i]:
            if keys[i] == title_key:
                title_repeats += 1
                continue
            if (len(keys[i]) >= 20 or runs[i] > 1) and (runs[i] >= _COPIED_BLOCK or not opens_turn(ln.text)):
                removed += 1
                continue
        keep.append(ln)
    return keep, removed, title_repeats


def _join_wrapped(lines: list[RawLine]) -> tuple[list[RawLine], int]:
    """Join visual lines broken inside a sentence (PDF, hard-wrapped TXT)."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 8)
    if not lengths:
        return lines, 0
    width = lengths[int(len(lengths) * 0.9)]
    out: list[RawLine] = []
    joined = 0
    last = ""  # the last physical line: joins are decided on it, not on the paragraph built so far
    for ln in lines:
        if len(out) == 1 and _TITLE_LIKE.search(out[0].text) and len(out[0].text) <= 60:
            out.append(ln)  # the first line is the title: it never runs on into the body
            last = ln.text
            continue
        if out and _continues(replace(out[-1], text=last), ln, width):
            prev = out[-1]
            # English words broken at a line end get their space back; digits and Chinese do not
            sep = " " if prev.text[-1:].isascii() and prev.text[-1:].isalpha() and ln.text[:1].isascii() and ln.text[:1].isalpha() else ""
            out[-1] = replace(prev, text=prev.text + sep + ln.text)
            joined += 1
        else:
            out.append(ln)
        last = ln.text
    return out, joined


def _continues(prev: RawLine, line: RawLine, width: int) -> bool:
    if prev.heading is not None or line.heading is not None:
        return False
    if prev.text.endswith(_END) and len(prev.text) < width:
        return False  # a full-width line ending in 。 was cut at the margin, not at a paragraph end
    if heading_level(prev.text) or heading_level(line.text) or " | " in prev.text or " | " in line.text:
        return False
    return len(prev.text) >= 0.85 * width


def _assemble(lines: list[RawLine], script: str, warnings: list[str]) -> CleanText:
    parts: list[str] = []
    page_starts: list[int] = []
    hints: list[tuple[int, int]] = []
    pos = 0
    last_page = 0
    for ln in lines:
        if parts:
            parts.append("\n")
            pos += 1
        if ln.page is not None:
            while last_page < ln.page:
                page_starts.append(pos)
                last_page += 1
        if ln.heading is not None:
            hints.append((pos, ln.heading))
        parts.append(ln.text)
        pos += len(ln.text)
    return CleanText("".join(parts), tuple(page_starts), tuple(hints), script, tuple(warnings))
