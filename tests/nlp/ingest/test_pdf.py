from __future__ import annotations

import pytest

from nlp.config import IngestLimits
from nlp.errors import CorruptFileError, EmptyDocumentError, EncryptedFileError, ImageOnlyError
from nlp.ingest.pdf import read_pdf
from tests.builders import make_image_only_pdf, make_pdf

PAGE = ["一、存在的问题", "全年办理行政复议案件36件，其中纠错5件，纠错率为13.9%，较上", "年有所下降。"]


def test_pages_lines_and_page_numbers() -> None:
    raw = read_pdf(make_pdf([PAGE, PAGE[1:]]), IngestLimits())
    assert raw.pages == 2 and raw.wrapped
    assert [ln.page for ln in raw.lines][:3] == [1, 1, 1]
    assert not any(ln.text.startswith("- ") for ln in raw.lines), "page numbers are removed"


def test_running_header_removed_from_every_page() -> None:
    pages = [[f"第{i}部分，全年办理案件{i}件。", f"本页另有说明{i * 7}条。"] for i in range(1, 5)]
    raw = read_pdf(make_pdf(pages, header="青川市司法局 内部资料 第1期"), IngestLimits())
    texts = [ln.text for ln in raw.lines]
    assert not any("内部资料" in t for t in texts)
    assert len(texts) == 8, "body lines that differ only in numbers are not running lines"
    assert any("页眉" in w for w in raw.warnings)


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedFileError) as info:
        read_pdf(make_pdf([PAGE], encrypt="secret"), IngestLimits())
    assert info.value.code == "ENCRYPTED_FILE"


def test_image_only_pdf_says_ocr_is_needed() -> None:
    with pytest.raises(ImageOnlyError) as info:
        read_pdf(make_image_only_pdf(), IngestLimits())
    assert "OCR" in info.value.message_zh


def test_blank_pdf_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        read_pdf(make_pdf([[]], page_numbers=False), IngestLimits())


@pytest.mark.parametrize("cut", [0.3, 0.6])
def test_truncated_pdf_is_corrupt_or_partly_read(cut: float) -> None:
    data = make_pdf([PAGE] * 3)
    try:
        raw = read_pdf(data[: int(len(data) * cut)], IngestLimits())
    except (CorruptFileError, EmptyDocumentError) as err:
        assert err.code in ("CORRUPT_FILE", "EMPTY_DOCUMENT")
    else:  # pdfium may recover some pages of a truncated file: then what it read is kept
        assert raw.lines


def test_page_limit_keeps_the_first_pages_and_warns() -> None:
    raw = read_pdf(make_pdf([PAGE] * 3), IngestLimits(max_pages=2))
    assert {ln.page for ln in raw.lines} == {1, 2}
    assert any("只读取了前2页" in w for w in raw.warnings)


def test_letter_spaced_heading_and_broken_lines_parse_cleanly() -> None:
    from nlp.pipeline import parse

    heading = "二、存在的问题"
    pages = [["白水县司法局2024年度法治政府建设情况报告", "一、主要成效",
              "全年办理行政复议案件36件，其中调解和解12件，纠错5件，纠错率",
              "为13.9%，较上年下降2个百分点。", heading,
              "一是执法人员力量不足，全局持证执法人员仅11人，与承担的执",
              "法任务不相适应。"]]
    parsed = parse(make_pdf(pages, letter_spacing=[heading]), "r.pdf")
    assert [s.title for s in parsed.sections] == ["一、主要成效", heading]
    assert parsed.sections[1].role == "problems"
    assert "纠错率为13.9%，较上年下降2个百分点。" in parsed.document.text
    assert parsed.document.page_of(parsed.sentences[-1].start) == 1
