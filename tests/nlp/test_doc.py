from __future__ import annotations

import pydantic
import pytest

from nlp.doc import Document, Sentence, Span


def test_span_must_match_its_text() -> None:
    assert Span.of("甲乙丙丁", 1, 3).text == "乙丙"
    with pytest.raises(pydantic.ValidationError):
        Span(start=0, end=3, text="甲")


def test_models_are_frozen_and_copies_are_new() -> None:
    sent = Sentence(i=0, start=0, end=2, text="甲乙")
    with pytest.raises(pydantic.ValidationError):
        sent.label = "problem"  # type: ignore[misc]
    labelled = sent.model_copy(update={"label": "problem", "score": 0.9})
    assert sent.label is None and labelled.label == "problem"


def test_page_of_maps_offsets_to_pages() -> None:
    doc = Document(id="x", filename="a.pdf", text="第一页\n第二页\n第三页", page_starts=(0, 4, 8))
    assert [doc.page_of(o) for o in (0, 3, 4, 9)] == [1, 1, 2, 3]
    assert Document(id="x", filename="a.txt", text="无页").page_of(0) is None


def test_chars_is_dumped() -> None:
    dumped = Document(id="x", filename="a.txt", text="四个字符").model_dump()
    assert dumped["chars"] == 4
