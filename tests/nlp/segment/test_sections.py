from __future__ import annotations

import pytest

from nlp.segment.sections import build_sections, find_headings, find_title, guess_role, section_at

TEXT = "\n".join([
    "某县司法局2024年度法治政府建设情况报告",
    "现将有关情况报告如下。",
    "一、主要举措和成效",
    "（一）健全制度",
    "修订裁量基准。",
    "（二）法治思维还需加强",
    "此句在成效部分。",
    "二、存在的问题",
    "（一）法治思维还需加强",
    "干部学法不够。",
    "三、下一步打算",
    "将开展培训。",
])


@pytest.mark.parametrize(("title", "role"), [
    ("一、主要举措和成效", "achievements"), ("二、存在的不足和原因", "problems"), ("三、问题产生的原因", "causes"),
    ("四、下一年度主要安排", "measures"), ("五、其他需要报告的事项", "other"), ("（一）存在的短板", "problems"),
    ("三、下一步工作打算", "measures"), ("一、党政主要负责人履行第一责任人职责情况", "achievements"),
])
def test_role_from_heading_words(title: str, role: str) -> None:
    assert guess_role(title) == role


def test_section_tree_roles_and_parents() -> None:
    title = find_title(TEXT, {})
    assert TEXT[title.start:title.end].endswith("报告")
    sections = build_sections(TEXT, find_headings(TEXT, {}, skip=title))
    by_title = [(s.title, s.level, s.role, s.parent) for s in sections]
    assert by_title[0] == ("一、主要举措和成效", 1, "achievements", None)
    assert by_title[1] == ("（一）健全制度", 2, "achievements", 0)
    # a hedged sub-heading keeps its parent's role: under problems it is a problem
    assert by_title[4] == ("（一）法治思维还需加强", 2, "problems", 3)
    assert by_title[5][2] == "measures"
    assert sections[0].end == sections[3].start
    assert sections[-1].end == len(TEXT)
    offset = TEXT.index("干部学法")
    assert section_at(sections, offset) == 4


def test_style_hint_makes_an_unnumbered_line_a_heading() -> None:
    text = "总体情况\n全年办理案件36件。"
    assert find_headings(text, {0: 1}) == [(0, 4, 1)]
    assert find_headings(text, {}) == []
