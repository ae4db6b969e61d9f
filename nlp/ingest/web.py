"""HTML pages saved from websites: main text via trafilatura, ruby annotations dropped first.

Site chrome that survives extraction (breadcrumbs, 来源/发布时间 lines, metadata tables) is removed
by normalization, which also handles pages pasted into TXT files.
"""

from __future__ import annotations

import copy
import logging
import re

import lxml.html
import trafilatura
from lxml import etree

from nlp.errors import CorruptFileError
from nlp.ingest.plain import decode_text
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import HTML

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "td", "pre"}
_COMMENT_NAME = re.compile(r"comment|pinglun|(?<![a-z])cmt(?![a-z])|reply|liuyan", re.I)
_COMMENT_WORDS = re.compile(r"评论|留言|网友|回复")
_DROP = ("script", "style", "noscript", "rt", "rp", "template", "iframe", "svg", "button", "select", "input")


def decode_html(data: bytes) -> str:
    m = _META_CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        name = {"gb2312": "gb18030", "gbk": "gb18030"}.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def read_html(data: bytes) -> RawDocument:
    """Extract the main text of a saved web page, one line per paragraph."""
    markup = decode_html(data)
    try:
        tree = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFileError(f"unparseable HTML: {exc}") from exc
    for el in tree.iter(*_DROP):
        el.drop_tree()
    comment_boxes = _drop_comment_boxes(tree)
    title = _title(tree)
    extracted = trafilatura.extract(copy.deepcopy(tree), include_tables=True, include_comments=False, favor_recall=True,
                                    deduplicate=False, output_format="txt") or ""
    fallback = _all_text(tree)
    # trafilatura sometimes keeps only a fragment of long government pages; then take every block.
    text = extracted if _han(extracted) >= 0.6 * _han("\n".join(fallback)) else "\n".join(fallback)
    warnings = [] if text is extracted else ["网页正文提取不完整，已改用整页文字并过滤网站栏目。"]
    if comment_boxes:
        warnings.append(f"删除了{comment_boxes}处网页评论区（发表评论、网友评论等）。")
    lines = [RawLine(line) for line in text.split("\n")]
    if title and not any(_same(title, ln.text) for ln in lines[:5]):
        lines.insert(0, RawLine(title, heading=0))
    return RawDocument(lines=lines, media_type=HTML, warnings=warnings)


def _drop_comment_boxes(tree: lxml.html.HtmlElement) -> int:
    """Remove comment areas (an element named like one that speaks of comments); return how many."""
    boxes = [el for el in tree.iter() if isinstance(el.tag, str) and _COMMENT_NAME.search(
        f"{el.get('class', '')} {el.get('id', '')}") and _COMMENT_WORDS.search(el.text_content()[:500])]
    outer = [el for el in boxes if not any(a in boxes for a in el.iterancestors())]
    for el in outer:
        el.drop_tree()
    return len(outer)


def _title(tree: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            text = " ".join(found[0].text_content().split())
            text = re.split(r"\s*[-_|｜]\s*(?=[^-_|｜]*(网|政府|门户|首页))", text)[0]
            if text:
                return text
    return None


def _all_text(tree: lxml.html.HtmlElement) -> list[str]:
    body = tree.find("body")
    root = body if body is not None else tree
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag == "td":
            el.tail = " | " + (el.tail or "").lstrip("\n")
    return [line.strip() for line in root.text_content().split("\n") if line.strip()]


def _han(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)
