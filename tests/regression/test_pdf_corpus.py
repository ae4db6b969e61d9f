"""Every real-world file in ../shared/pdf-corpus ends in text or a coded error: never a crash or garbage.

The folder is shared material, not part of the repository; the check is skipped, saying so, when it is
absent (it is present on developer machines and in CI).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.errors import PrereviewError
from nlp.pipeline import parse

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "pdf-corpus"
FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix.lower() in (".pdf", ".docx")) if CORPUS.is_dir() else []
CODES = {"EMPTY_DOCUMENT", "ENCRYPTED_FILE", "IMAGE_ONLY_PDF", "CORRUPT_FILE", "UNSUPPORTED_TYPE", "TOO_LARGE",
         "ARCHIVE_BOMB", "NOT_CHINESE", "GARBLED_TEXT"}
_GARBAGE = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\ufffd\ue000-\uf8ff]")

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not FILES, reason=f"{CORPUS} is absent")]


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name[:40]}" for p in FILES])
def test_text_or_coded_error(path: Path) -> None:
    try:
        parsed = parse(path.read_bytes(), path.name)
    except PrereviewError as err:
        assert err.code in CODES
        return
    text = parsed.document.text
    assert not _GARBAGE.search(text), "garbling passed on as text"
    assert not re.search("[\u2f00-\u2fdf]", text), "Kangxi radicals left unnormalised"
    for sent in parsed.sentences:
        assert text[sent.start:sent.end] == sent.text


@pytest.mark.skipif(not FILES, reason="pdf-corpus absent")
@pytest.mark.parametrize(("name", "code"), [
    ("opendatalab_MinerU_scanned.pdf", "IMAGE_ONLY_PDF"),
    ("opendatalab_MinerU_small_ocr.pdf", "IMAGE_ONLY_PDF"),
    ("opendatalab_MinerU_ordinary_textbook_1d9a847603a5e37e379738316820850d.pdf", "GARBLED_TEXT"),
    ("pdfminer_pdfminer.six_kampo.pdf", "NOT_CHINESE"),
    ("zxj6827111-blip_KIROGOVCOMPARE_sample_report_2023_beijing.pdf", "GARBLED_TEXT"),
    ("rossea_XeZhishu_testcid2.pdf", "GARBLED_TEXT"),
])
def test_known_cjk_failures_get_the_right_code(name: str, code: str) -> None:
    with pytest.raises(PrereviewError) as info:
        parse((CORPUS / "cjk" / name).read_bytes(), name)
    assert info.value.code == code


@pytest.mark.skipif(not FILES, reason="pdf-corpus absent")
def test_government_report_reads_cleanly() -> None:
    name = "zxj6827111-blip_KIROGOVCOMPARE_hzq2024_working.pdf"
    parsed = parse((CORPUS / "cjk" / name).read_bytes(), name)
    assert parsed.document.year == 2024
    assert "政府信息公开" in (parsed.document.title or "")
    assert len(parsed.sentences) > 20


@pytest.mark.skipif(not FILES, reason="pdf-corpus absent")
def test_password_protected_sample_is_encrypted() -> None:
    path = next(p for p in FILES if p.name.startswith("005-libreoffice-writer-password"))
    with pytest.raises(PrereviewError) as info:
        parse(path.read_bytes(), path.name)
    assert info.value.code == "ENCRYPTED_FILE"
