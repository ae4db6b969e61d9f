"""PDF: fast text through pypdfium2, page by page; pdfplumber only for pages pdfium garbles.

pypdfium2 reads plain text 16–48× faster than pdfplumber on this machine, so it is the default path.
A few fonts (CID fonts without ToUnicode) come out of pdfium as control characters or wrong glyphs
while pdfminer decodes them; those pages are read again with pdfplumber and the better text kept.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nlp.config import IngestLimits
from nlp.errors import CorruptFileError, EmptyDocumentError, EncryptedFileError, ImageOnlyError
from nlp.ingest.quality import garble_score
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import PDF

logger = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(\s*/\s*\d{1,4})?|[-—–]\s*\d{1,4}\s*[-—–]"
    r"|page\s*\d+(\s*of\s*\d+)?)[\s\-—–_·•]*$", re.I)
_DIGITS = re.compile(r"\d+")


def read_pdf(data: bytes, limits: IngestLimits) -> RawDocument:
    """Read every page's text; a page that fails adds a warning and the rest is kept."""
    pdf = _open(data)
    warnings: list[str] = []
    try:
        n_pages = len(pdf)
        if n_pages > limits.max_pages:
            warnings.append(f"PDF共{n_pages}页，只读取了前{limits.max_pages}页。")
        pages: list[list[str]] = []
        readable: list[int] = []  # pages pdfium could open, the only ones that can hold images
        for index in range(min(n_pages, limits.max_pages)):
            text, opened = _read_page(pdf, index, data, warnings)
            readable += [index] if opened else []
            pages.append(_page_lines(text))
        # Images matter only when pages have no text (a scan, or text missing): looking for them walks every
        # object of a page (hundreds of text runs), so only then.
        blank = sum(1 for p in pages if not any(ln.strip() for ln in p))
        images = sum(_has_images(pdf, k) for k in readable) if blank >= max(1, len(pages) // 3) else 0
    finally:
        pdf.close()
    if blank == len(pages):
        if images:
            raise ImageOnlyError(f"{n_pages} page(s) with images and no text layer",
                                 f"共{n_pages}页均为图片，没有文字层")
        raise EmptyDocumentError("a PDF with no text on any page", "PDF各页均无文字")
    if images:
        warnings.append("部分页面没有文字层（可能是扫描页），这些页面未能读取，需要OCR。")
    vertical = sum(_join_vertical(page) for page in pages)
    if vertical:
        warnings.append(f"检测到{vertical}页竖排文字，已按列顺序合并，阅读顺序可能仍有偏差。")
    removed = _strip_running_lines(pages)
    if removed:
        warnings.append(f"删除了{removed}行页眉、页脚或页码。")
    lines = [RawLine(line, page=k + 1) for k, page in enumerate(pages) for line in page]
    return RawDocument(lines=lines, media_type=PDF, pages=n_pages, wrapped=True, warnings=warnings)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedFileError("the PDF needs a password", "PDF需要密码才能打开") from exc
        raise CorruptFileError(f"pdfium cannot open it: {exc}") from exc


def _read_page(pdf: pdfium.PdfDocument, index: int, data: bytes, warnings: list[str]) -> tuple[str, bool]:
    """The page's text, and whether pdfium could open the page."""
    try:
        page = pdf[index]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        logger.warning("page %d unreadable: %s", index + 1, exc)
        warnings.append(f"第{index + 1}页无法读取，已跳过。")
        return "", False
    if text.strip() and garble_score(text) > 0.02:
        text = _better_of(text, _plumber_page(data, index))
    return text, True


def _has_images(pdf: pdfium.PdfDocument, index: int) -> bool:
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return False
    try:
        return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)), None) is not None
    finally:
        page.close()


def _plumber_page(data: bytes, index: int) -> str:
    import pdfplumber  # only for the rare garbled page: it is slow to import and to run

    try:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            return doc.pages[index].extract_text() or ""
    except Exception as exc:  # pdfminer raises many unrelated types on broken pages; pdfium's text stands
        logger.info("pdfplumber fallback failed on page %d: %s", index + 1, type(exc).__name__)
        return ""


def _better_of(pdfium_text: str, plumber_text: str) -> str:
    if plumber_text.strip() and garble_score(plumber_text) < garble_score(pdfium_text):
        return plumber_text
    return pdfium_text


def _page_lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _join_vertical(page: list[str]) -> bool:
    """Vertical text comes out of pdfium one or two characters a line: join each column run into one line."""
    body = [line for line in page if line]
    if len(body) < 20 or sum(1 for line in body if len(line) <= 2) < 0.6 * len(body):
        return False
    page[:] = ["".join(body)]
    return True


def _strip_running_lines(pages: list[list[str]]) -> int:
    """Remove page numbers and headers/footers repeated on many pages; return how many lines went."""
    candidates: Counter[str] = Counter()
    for page in pages:
        for line in _edge_lines(page):
            if len(line) <= 40 and not line.endswith(("。", "；")):  # running lines are short labels
                candidates[_DIGITS.sub("#", line)] += 1
    running = {key for key, n in candidates.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2)}
    removed = 0
    for page in pages:
        edges = set(_edge_lines(page))
        keep = []
        for line in page:
            if line in edges and (_PAGE_NUMBER.match(line) or _DIGITS.sub("#", line) in running):
                removed += 1
                continue
            keep.append(line)
        page[:] = keep
    return removed


def _edge_lines(page: list[str]) -> list[str]:
    body = [line for line in page if line]
    return body[:2] + body[-2:]
