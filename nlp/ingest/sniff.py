"""Tell a file's type from its bytes, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from nlp.errors import CorruptFileError, EncryptedFileError, UnsupportedTypeError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# fmt: off
_BINARY_MAGIC = {
    b"MZ": "a Windows program", b"\x7fELF": "a Linux program", b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive", b"\x1f\x8b": "a gzip archive", b"{\\rtf": "an RTF file",
    b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image", b"BM": None,
}
# fmt: on
_HTML_HINT = re.compile(rb"<(!doctype\s+html|html|head|body|div|p|meta|title|table)[\s>]", re.I)


def sniff(data: bytes) -> str:
    """Return the media type of ``data``: PDF, DOCX, HTML or plain text; raise for anything else."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFileError("password-protected Office document (OLE EncryptedPackage)")
        raise UnsupportedTypeError("legacy binary Office file (.doc/.xls); save it as DOCX",
                                   "旧版Office文件（.doc/.xls），请另存为DOCX")
    for magic, what in _BINARY_MAGIC.items():
        if what and head.startswith(magic):
            raise UnsupportedTypeError(f"the content is {what}, not a report")
    if _looks_html(head + data[2048:8192]):
        return HTML
    return TEXT


def _sniff_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFileError(f"broken zip container: {exc}") from exc
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        raise UnsupportedTypeError("a spreadsheet or presentation, not a Word document",
                                   "这是表格或演示文稿，不是Word文档")
    raise UnsupportedTypeError("a zip archive, not a document (upload zips of reports to a batch)",
                               "这是压缩包而不是文档（压缩包请按批次提交）")


def _looks_html(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] != b"<" and not stripped.startswith(b"\xff\xfe<") and not stripped.startswith(b"\xfe\xff"):
        return len(_HTML_HINT.findall(head)) >= 3
    return bool(_HTML_HINT.search(head)) or stripped.lower().startswith(b"<?xml")
