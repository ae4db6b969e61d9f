"""The feedback line format: written, read back, deduplicated by id, refused when malformed."""

from __future__ import annotations

import pytest

from nlp.feedback import FeedbackExample, SentenceContext, read_feedback, write_feedback


def _example(id_: str, label: str) -> FeedbackExample:
    return FeedbackExample(id=id_, at="2026-12-07T10:00:00+00:00", by="审查员甲", target="sentence",
                           report_id="r1", document_kind="shufa_report", text="执法案卷评查发现文书制作不规范。",
                           context=SentenceContext(i=12, part="problems", position=0.6),
                           answer={"label": label}, machine={"label": "achievement"})


def test_round_trip_and_last_line_wins(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write_feedback([_example("c1", "problem"), _example("c2", "cause")], first) == 2
    write_feedback([_example("c1", "measure")], second)
    examples = {e.id: e for e in read_feedback([first, second])}
    assert set(examples) == {"c1", "c2"}
    assert examples["c1"].answer == {"label": "measure"}
    assert examples["c2"].context.part == "problems"
    assert "审查员甲" in first.read_text(encoding="utf-8")  # Chinese written as it is


def test_malformed_line_names_its_place(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "target": "nonsense"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        read_feedback([path])
