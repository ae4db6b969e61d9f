from __future__ import annotations

import pytest

from nlp.text.headings import heading_level, run_in_heading

# fmt: off
HEADINGS = [
    ("一、主要举措和成效", 1), ("二、存在的不足和原因", 1), ("十一、其他事项", 1), ("第一部分 工作开展情况", 1),
    ("（一）强化组织领导", 2), ("(二)规范执法行为", 2), ("1.健全制度", 3), ("2、加强培训", 3), ("（3）完善台账", 4),
    ("（一）加强组织领导。", 2),
]
NOT_HEADINGS = [
    "一是学习不够深入系统；", "第一，要提高站位。", "2024年全年办理案件36件。", "1.5亿元资金已拨付到位",
    "1.全年办理行政复议案件36件。", "（一）强化组织领导，全年召开会议5次；二是其他。",
    "我局认真落实上级部署，全面推进法治政府建设各项工作，取得明显成效，具体情况如下所述内容较长超过五十个字的一行",
    "行政复议 | 36件 | 5件",
]
# fmt: on


@pytest.mark.parametrize(("line", "level"), HEADINGS)
def test_headings_and_levels(line: str, level: int) -> None:
    assert heading_level(line) == level


@pytest.mark.parametrize("line", NOT_HEADINGS)
def test_not_headings(line: str) -> None:
    assert heading_level(line) is None


def test_run_in_heading_is_cut_at_its_full_stop() -> None:
    line = "（一）强化组织领导。全年召开党组会议专题研究法治工作5次。"
    level, length = run_in_heading(line)
    assert (level, line[:length]) == (2, "（一）强化组织领导。")


def test_digit_items_are_never_run_in_headings() -> None:
    assert run_in_heading("1.全年办理行政复议案件36件。其中纠错5件。") is None
