"""Plain text: detect the encoding (UTF-8, GB18030/GBK, UTF-16, Big5) and split into lines."""

from __future__ import annotations

import codecs
import statistics

import charset_normalizer

from nlp.errors import UnsupportedTypeError
from nlp.ingest.quality import common_chars, is_han
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import TEXT

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# charset-normalizer names the Chinese legacy encodings by subset; the superset decodes all of them.
_CANDIDATES = ("gb18030", "utf-16-le", "utf-16-be", "big5hkscs")
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding; raise UnsupportedTypeError when they are not text at all.

    Candidates are tried strictly, in order, and the first whose Han characters are mostly common
    ones wins: GB18030 and UTF-16 decode nearly any bytes, so "no error" alone proves nothing.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for codec in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    if b"\x00" in data[:4096]:
        raise UnsupportedTypeError("binary content (NUL bytes), not text")
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        raise UnsupportedTypeError("bytes that decode as no known text encoding")
    return data.decode(_WIDEN.get(best.encoding, best.encoding), errors="replace")


def _plausible(text: str) -> bool:
    sample = text[:5000]
    visible = [ch for ch in sample if not ch.isspace()]
    han = [ch for ch in visible if is_han(ch)]
    if not han or len(han) < 0.2 * len(visible) or any(ch < " " and ch not in "\t\r\n" for ch in sample):
        return False
    common = common_chars()
    return sum(ch in common for ch in han) >= 0.9 * len(han)


def read_text(data: bytes) -> RawDocument:
    """Read a TXT file into lines; mark it wrapped when it looks hard-wrapped at a fixed width."""
    text = decode_text(data)
    lines = [RawLine(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return RawDocument(lines=lines, media_type=TEXT, wrapped=looks_wrapped([ln.text for ln in lines]))


def looks_wrapped(lines: list[str]) -> bool:
    """True when most non-empty lines stop near one width without ending a sentence (hard wraps)."""
    lengths = [len(s.strip()) for s in lines if len(s.strip()) >= 8]
    if len(lengths) < 6:
        return False
    width = sorted(lengths)[int(len(lengths) * 0.9)]
    if width < 15 or width > 120:
        return False
    near = [s.strip() for s in lines if len(s.strip()) >= 0.85 * width]
    open_ended = sum(1 for s in near if s[-1] not in "。！？；：…”）")
    return len(near) >= 0.4 * len(lengths) and open_ended >= 0.5 * len(near) and statistics.median(lengths) > 0.5 * width
