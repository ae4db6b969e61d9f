from __future__ import annotations

import lxml.html

from api.page_text import render_text
from nlp.doc import AnalysisResult


def test_render_text_keeps_overlapping_marks_apart() -> None:
    """Evidence that crosses a sentence boundary is split into marks that keep every key."""
    text = "标题\n一是问题甲。二是问题乙。\n"
    result = AnalysisResult.model_validate({
        "document": {"id": "x", "filename": "x.txt", "text": text},
        "sentences": [{"i": 0, "start": 3, "end": 9, "text": text[3:9], "label": "problem"},
                      {"i": 1, "start": 9, "end": 15, "text": text[9:15], "label": "measure"}],
        "metrics": {"problem_share": 0.5, "achievement_share": 0, "measure_share": 0.5, "problems_total": 1,
                    "problems_vague": 0, "problems_with_measure": 0},
        "verdict": {"decision": "revise", "reasons": [{"code": "X", "message": "m",
                                                       "evidence": [{"start": 5, "end": 12, "text": text[5:12]}]}]},
        "issues": [{"id": "a", "text": "问题甲", "domain": "leadership", "visibility": "explicit", "vague": False,
                    "evidence": [{"start": 3, "end": 9, "text": text[3:9]}]}],
    })
    html = lxml.html.fromstring(f"<div>{render_text(result)}</div>")
    assert [p.text_content() for p in html.xpath("//p")] == ["标题", "一是问题甲。二是问题乙。"]
    r0 = html.xpath("//mark[contains(@data-ev, 'r0')]")
    assert "".join(m.text_content() for m in r0) == text[5:12]
    assert {m.getparent().get("data-s") for m in r0} == {"0", "1"}
    both = [m for m in r0 if "q0" in m.get("data-ev")]
    assert "".join(m.text_content() for m in both) == text[5:9]


def test_every_run_knows_its_offset_in_the_text() -> None:
    """A run of text in the page holds ``text[o : o + len]``: a selection maps back to offsets exactly."""
    text = "关于某县的报告\n  一是案卷评查发现瑕疵。二是审查力量不足。\n三、原因\n"
    result = AnalysisResult.model_validate({
        "document": {"id": "x", "filename": "x.txt", "text": text},
        "sentences": [{"i": 0, "start": 10, "end": 21, "text": text[10:21], "label": "problem"},
                      {"i": 1, "start": 21, "end": 30, "text": text[21:30], "label": "problem"}],
        "metrics": {"problem_share": 1, "achievement_share": 0, "measure_share": 0, "problems_total": 1,
                    "problems_vague": 0, "problems_with_measure": 0},
        "verdict": {"decision": "revise"},
        "issues": [{"id": "a", "text": "瑕疵", "domain": "leadership", "visibility": "explicit", "vague": False,
                    "evidence": [{"start": 14, "end": 24, "text": text[14:24]}]}],
    })
    html = lxml.html.fromstring(f"<div>{render_text(result)}</div>")
    runs = html.xpath("//span[@data-o]")
    assert runs
    for run in runs:
        o = int(run.get("data-o"))
        assert text[o:o + len(run.text_content())] == run.text_content()
    covered = "".join(run.text_content() for run in runs)
    assert covered == "".join(line for line in text.split("\n") if line.strip())
