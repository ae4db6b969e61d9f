from __future__ import annotations

import pytest

from nlp.errors import CorruptFileError, EncryptedFileError, UnsupportedTypeError
from nlp.ingest.sniff import DOCX, HTML, PDF, TEXT, sniff
from tests.builders import make_docx, make_noisy_html, make_pdf, make_txt


@pytest.mark.parametrize(("data", "expected"), [
    (make_pdf([["正文一句。"]]), PDF),
    (make_docx(), DOCX),
    (make_noisy_html(), HTML),
    (make_txt(), TEXT),
    (make_txt("gb18030"), TEXT),
])
def test_type_by_content(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100,  # an .exe renamed .pdf
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # legacy .doc
])
def test_binary_files_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedTypeError) as info:
        sniff(data)
    assert info.value.code == "UNSUPPORTED_TYPE"


def test_encrypted_office_file() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedFileError):
        sniff(data)


def test_xlsx_is_not_a_report() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedTypeError):
        sniff(buf.getvalue())


def test_truncated_zip_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        sniff(make_docx()[:300])
