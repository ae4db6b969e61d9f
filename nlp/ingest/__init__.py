"""Bytes → Document: sniff the type by content, read it, normalize it, check it is Chinese text."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import PurePath

from nlp.config import IngestLimits
from nlp.doc import Document
from nlp.errors import EmptyDocumentError, GarbledTextError, NotChineseError, TooLargeError
from nlp.ingest.normalize import CleanText, normalize
from nlp.ingest.quality import garble_score, han_stats
from nlp.ingest.raw import RawDocument
from nlp.ingest.sniff import DOCX, HTML, PDF, TEXT, sniff

logger = logging.getLogger(__name__)

_EXPECTED_SUFFIX = {PDF: {".pdf"}, DOCX: {".docx"}, HTML: {".html", ".htm", ".shtml", ".mhtml"},
                    TEXT: {".txt", ".text", ".md", ""}}
_NAMES = {PDF: "PDF", DOCX: "DOCX", HTML: "网页HTML", TEXT: "纯文本"}
MIN_HAN = 30


def read_document(data: bytes, filename: str, limits: IngestLimits | None = None) -> tuple[Document, CleanText]:
    """Read one file. Raises an IngestError subclass with a stable code for anything unreadable.

    Example:
        >>> doc, clean = read_document("一、总体情况\\n全年办理行政复议案件36件。".encode() * 3, "a.txt")
    """
    limits = limits or IngestLimits()
    if len(data) > limits.max_bytes:
        raise TooLargeError(f"{len(data)} bytes, over the limit of {limits.max_bytes}",
                            f"文件{_mb(len(data))}，上限{_mb(limits.max_bytes)}")
    if not data.strip():
        raise EmptyDocumentError("no bytes other than whitespace", "文件中只有空白")
    t0 = time.perf_counter()
    media_type = sniff(data)
    raw = _read(data, media_type, limits)
    suffix = PurePath(filename).suffix.lower()
    if suffix and suffix not in _EXPECTED_SUFFIX[media_type]:
        raw.warnings.insert(0, f"文件扩展名为{suffix}，但内容是{_NAMES[media_type]}，已按内容读取。")
    raw_garble = garble_score("\n".join(line.text for line in raw.lines))
    if raw_garble > 0.05:
        raise GarbledTextError(f"garble score {raw_garble:.2f}: control characters or (cid:N) residue",
                              "文字中夹有大量控制字符或无法映射的字形编码")
    clean = normalize(raw)
    check_language(clean.text, limits)
    doc = Document(id=hashlib.sha256(data).hexdigest(), filename=filename, text=clean.text, pages=raw.pages,
                   script=clean.script, warnings=clean.warnings, media_type=media_type, page_starts=clean.page_starts)
    logger.info("read %s: %s, %d chars, %.1f ms", doc.id[:12], media_type, len(doc.text),
                (time.perf_counter() - t0) * 1000)
    return doc, clean


def _read(data: bytes, media_type: str, limits: IngestLimits) -> RawDocument:
    if media_type == PDF:
        from nlp.ingest.pdf import read_pdf

        return read_pdf(data, limits)
    if media_type == DOCX:
        from nlp.ingest.word import read_docx

        return read_docx(data, limits)
    if media_type == HTML:
        from nlp.ingest.web import read_html

        return read_html(data)
    from nlp.ingest.plain import read_text

    return read_text(data)


def check_language(text: str, limits: IngestLimits) -> None:
    """Refuse text that is empty, garbled, or not Chinese, with the code that says which."""
    letters, han, frequent, kana = han_stats(text)
    if han < MIN_HAN and letters < 20:
        raise EmptyDocumentError(f"only {han} Chinese characters after cleaning", f"清理后仅有{han}个汉字")
    if han < limits.min_chinese_share * letters:
        raise _not_chinese_or_garbled(text, letters, han)
    if han < MIN_HAN:
        raise EmptyDocumentError(f"only {han} Chinese characters after cleaning", f"清理后仅有{han}个汉字")
    if kana > 0.1 * han:
        raise NotChineseError(f"{kana} kana against {han} Han characters: Japanese",
                              f"含{kana}个日文假名、{han}个汉字，应为日文")
    if frequent < limits.min_common_char_share * han:
        raise GarbledTextError(f"only {frequent}/{han} Han characters are common ones: wrong glyph mapping",
                              f"{han}个汉字中仅{frequent}个为常用字，字形映射有误")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB"


def _not_chinese_or_garbled(text: str, letters: int, han: int) -> Exception:
    latin1 = sum(1 for ch in text if "\u00c0" <= ch <= "\u00ff")
    if latin1 > 0.1 * letters:  # GBK bytes read as Latin-1: ÄãºÃ
        return GarbledTextError(f"{latin1} Latin-1 letters among {letters}: mojibake",
                                f"{letters}个字母中有{latin1}个西文重音字母，疑为编码错乱")
    return NotChineseError(f"{han} Han characters among {letters} letters", f"全文{letters}个文字中仅有{han}个汉字")
