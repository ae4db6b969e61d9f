"""The letter's words (``nlp.report.letter``) are what the Word letter sets, whether the machine's or a draft."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from nlp.bundle import load_bundle
from nlp.pipeline import analyze
from nlp.report.letter import LetterDraft, LetterParagraph, letter_draft
from nlp.report.word import letter_docx
from tests.builders import make_txt


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    out = analyze(make_txt(), "r.txt", load_bundle(), unit="甲县司法局")
    assert out.verdict.decision in ("revise", "return")
    return out


def _texts(data: bytes) -> list[str]:
    return [p.text for p in DocxDocument(io.BytesIO(data)).paragraphs]


def test_the_docx_sets_the_drafts_paragraphs(result) -> None:  # type: ignore[no-untyped-def]
    draft = letter_draft(result)
    texts = _texts(letter_docx(result))
    assert draft.title in texts and f"{draft.recipient}：" in texts
    joined = "".join(texts)
    for paragraph in draft.paragraphs:  # a long quote is set as two paragraphs: “原文：” and the quote
        assert paragraph.text in texts or paragraph.text.replace("原文：", "", 1) in texts, paragraph.text
    assert joined.index(draft.paragraphs[0].text) < joined.index(draft.paragraphs[-1].text)


def test_an_edited_draft_is_what_the_docx_says(result) -> None:  # type: ignore[no-untyped-def]
    draft = LetterDraft(title="关于甲县司法局报告的修改意见", recipient="甲县司法局",
                        paragraphs=(LetterParagraph(text="请补充本年度案卷评查的具体数据。"),
                                    LetterParagraph(text="原文：“全年办理案件若干”", style="quote")))
    texts = _texts(letter_docx(result, draft=draft))
    assert "关于甲县司法局报告的修改意见" in texts and "请补充本年度案卷评查的具体数据。" in texts
    assert "原文：“全年办理案件若干”" in texts
    assert letter_draft(result).paragraphs[0].text not in texts


def test_a_passed_report_has_no_letter(result) -> None:  # type: ignore[no-untyped-def]
    passed = result.model_copy(update={"verdict": result.verdict.model_copy(update={"decision": "pass"})})
    with pytest.raises(ValueError):
        letter_draft(passed)


def test_the_signature_never_stands_alone_on_a_page(result) -> None:  # type: ignore[no-untyped-def]
    """The body's last paragraph, the blank line and the office are kept with what follows them (GB/T 9704-2012
    7.3.5), so a page break can only fall before the last body paragraph, never between it and the signature."""
    from nlp.report.word import LetterHead

    head = LetterHead("甲市依法治市办", "甲法审")
    paragraphs = DocxDocument(io.BytesIO(letter_docx(result, head))).paragraphs
    office = max(k for k, p in enumerate(paragraphs) if p.text == "甲市依法治市办")  # the signature, not the head
    kept = [bool(p.paragraph_format.keep_with_next) for p in paragraphs]
    assert kept[office - 2: office + 1] == [True, True, True]  # last body paragraph, blank line, office
    assert paragraphs[office + 1].text.endswith("日") and not kept[office + 1]
    assert sum(kept) == 3  # nothing else is glued: the body flows over pages as usual
