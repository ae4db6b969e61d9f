"""Plain text: detect the encoding (UTF-8, GB18030/GBK, UTF-16, Big5) and split into lines."""

from __future__ import annotations

import codecs
import statistics

import charset_normalizer

from nlp.errors import UnsupportedTypeError
from nlp.ingest.raw import RawDocument, RawLine
from nlp.ingest.sniff import TEXT

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# charset-normalizer names the Chinese legacy encodings by subset; the superset decodes all of them.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding; raise UnsupportedTypeError when they are not text at all."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise UnsupportedTypeError("binary content (NUL bytes), not text")
    for codec in ("gb18030",):
        try:
            text = data.decode(codec)
            if _plausible(text):
                return text
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        raise UnsupportedTypeError("bytes that decode as no known text encoding")
    return data.decode(_WIDEN.get(best.encoding, best.encoding), errors="replace")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    # ASCII-heavy UTF-16 has NULs in every other byte; CJK-heavy UTF-16 has none, so also try a strict decode.
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    han = sum(1 for ch in text[:5000] if "\u4e00" <= ch <= "\u9fff")
    return han > 0.2 * len(text[:5000].strip() or "x")


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
