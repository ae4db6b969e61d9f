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
