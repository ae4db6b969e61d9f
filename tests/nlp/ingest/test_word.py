from __future__ import annotations

import io
import zipfile

import pytest

from nlp.config import IngestLimits
from nlp.errors import ArchiveBombError, CorruptFileError
from nlp.ingest.word import read_docx
from tests.builders import REPORT, REPORT_TITLE, make_docx


def test_paragraphs_tables_and_heading_styles_in_order() -> None:
    table = [["指标", "2023年", "2024年"], ["行政复议纠错率", "12%", "9%"]]
    raw = read_docx(make_docx(table=table), IngestLimits())
    texts = [ln.text for ln in raw.lines]
    assert texts[0] == REPORT_TITLE and raw.lines[0].heading == 0
    heading_index = texts.index("一、主要举措和成效")
    assert raw.lines[heading_index].heading == 1
    assert texts[heading_index + 1] == "指标 | 2023年 | 2024年"  # the table sits where it was placed
    assert texts[heading_index + 2] == "行政复议纠错率 | 12% | 9%"
    assert len(texts) == len(REPORT) + 2


def test_bold_short_paragraph_is_a_heading_hint() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("总体工作情况").bold = True
    document.add_paragraph("全年办理案件36件。")
    buf = io.BytesIO()
    document.save(buf)
    raw = read_docx(buf.getvalue(), IngestLimits())
    assert [ln.heading for ln in raw.lines] == [2, None]


def test_zip_bomb_is_refused_before_inflating() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/huge.bin", b"\x00" * 30_000_000)
    with pytest.raises(ArchiveBombError) as info:
        read_docx(buf.getvalue(), IngestLimits(max_unzipped_bytes=10_000_000))
    assert info.value.code == "ARCHIVE_BOMB"
    with pytest.raises(ArchiveBombError):  # the ratio rule alone catches it too
        read_docx(buf.getvalue(), IngestLimits())


def test_docx_with_broken_document_part() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "not xml at all <")
    with pytest.raises(CorruptFileError):
        read_docx(buf.getvalue(), IngestLimits())
