"""Every bad-input code through the one entry point, plus the good paths end to end."""

from __future__ import annotations

import hashlib

import pytest

from nlp.config import IngestLimits
from nlp.errors import IngestError
from nlp.ingest import read_document
from tests.builders import REPORT_TITLE, make_docx, make_image_only_pdf, make_noisy_html, make_pdf, make_txt

LONG_PAGE = ["一、存在的问题", "全年办理行政复议案件36件，其中纠错5件，纠错率为13.9%。", "执法人员力量仍显不足，全局持证人员仅11人。",
             "二、下一步打算", "将在2025年6月底前完成执法人员轮训，并开展案卷交叉评查。"]


@pytest.mark.parametrize(("data", "name"), [
    (make_txt(), "r.txt"), (make_txt("gb18030"), "r.txt"), (make_docx(), "r.docx"), (make_noisy_html(), "r.html"),
    (make_pdf([LONG_PAGE]), "r.pdf"),
])
def test_each_format_reads_to_clean_text(data: bytes, name: str) -> None:
    doc, _ = read_document(data, name)
    assert doc.id == hashlib.sha256(data).hexdigest()
    assert doc.chars == len(doc.text) > 50
    assert "执法" in doc.text


# fmt: off
BAD = [
    (b"", "EMPTY_DOCUMENT"),
    (b"   \n\t  \r\n", "EMPTY_DOCUMENT"),
    ("一二三".encode(), "EMPTY_DOCUMENT"),
    (b"MZ\x90\x00" + b"\x00" * 500, "UNSUPPORTED_TYPE"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "UNSUPPORTED_TYPE"),
    (b"%PDF-1.7\n1 0 obj garbage that is not a pdf at all", "CORRUPT_FILE"),
    (make_docx()[:500], "CORRUPT_FILE"),
    (make_pdf([LONG_PAGE], encrypt="pw"), "ENCRYPTED_FILE"),
    (make_image_only_pdf(), "IMAGE_ONLY_PDF"),
    (("The committee reviewed the annual report on administrative law enforcement. " * 10).encode(), "NOT_CHINESE"),
    (("行政執法の適正化に関する報告書。ここでは今年度の取り組みをまとめます。" * 10).encode(), "NOT_CHINESE"),
    (("全年办理行政复议案件".encode("gbk").decode("latin-1") * 20).encode("utf-8"), "GARBLED_TEXT"),
    (("正文\x01\x02\x03\x04（cid:12）" * 30).encode(), "GARBLED_TEXT"),
]
# fmt: on


@pytest.mark.parametrize(("data", "code"), BAD)
def test_bad_input_gets_a_specific_code(data: bytes, code: str) -> None:
    with pytest.raises(IngestError) as info:
        read_document(data, "bad.pdf")
    assert info.value.code == code
    assert info.value.message_zh  # a reviewer-facing sentence exists for every code


def test_size_limit_is_configurable() -> None:
    data = make_txt()
    with pytest.raises(IngestError) as info:
        read_document(data, "big.txt", IngestLimits(max_bytes=100))
    assert info.value.code == "TOO_LARGE"
    read_document(data, "ok.txt", IngestLimits(max_bytes=len(data)))


def test_mislabelled_file_is_read_by_content_with_a_warning() -> None:
    doc, _ = read_document(make_docx(), "report.pdf")
    assert doc.media_type.endswith("document")
    assert doc.warnings[0].startswith("文件扩展名为.pdf")


def test_docx_title_style_becomes_the_title() -> None:
    from nlp.pipeline import parse

    parsed = parse(make_docx(), "r.docx")
    assert parsed.document.title == REPORT_TITLE
    assert parsed.sections[0].title == "一、主要举措和成效"
