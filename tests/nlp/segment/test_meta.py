from __future__ import annotations

import pytest

from nlp.segment.meta import detect_kind, detect_unit, detect_year


@pytest.mark.parametrize(("title", "kind"), [
    ("青川市生态环境局党组书记、局长2024年度述法报告", "shufa_report"),
    ("云溪县人民政府2024年法治政府建设年度报告", "annual_report"),
    ("关于2024年度法治政府建设情况的报告", "annual_report"),
    ("柳河区人力资源和社会保障局关于法治政府建设工作的自查报告", "self_report"),
    ("关于省法治督察反馈问题整改情况的报告", "rectification_report"),
    ("临江省法治督察组关于对南屏市开展法治督察的反馈意见", "feedback"),
    ("白水县自然资源局谈话记录", "transcript"),
    ("采购合同", "other"),
])
def test_kind_from_title(title: str, kind: str) -> None:
    assert detect_kind(title, "") == kind


def test_transcript_detected_from_turns() -> None:
    assert detect_kind(None, "问：请介绍一下情况。\n答：好的。") == "transcript"


@pytest.mark.parametrize(("title", "unit"), [
    ("青川市生态环境局党组书记、局长2024年度述法报告", "青川市生态环境局"),
    ("云溪县人民政府2024年法治政府建设年度报告", "云溪县人民政府"),
    ("石桥镇党委书记2024年度述法报告", "石桥镇"),
    ("柳河区人力资源和社会保障局关于法治政府建设工作的自查报告", "柳河区人力资源和社会保障局"),
])
def test_unit_from_title(title: str, unit: str) -> None:
    assert detect_unit(title, "") == unit


def test_unit_from_signature_line() -> None:
    text = "关于2024年度法治政府建设情况的报告\n正文一句。\n正文二句。\n桐山县交通运输局\n2025年3月1日"
    assert detect_unit("关于2024年度法治政府建设情况的报告", text) == "桐山县交通运输局"


def test_year_from_title_or_opening() -> None:
    assert detect_year("丰宁市司法局2023年度法治政府建设年度报告", "") == 2023
    assert detect_year(None, "2024年，我局……2024年度……2023年曾经") == 2024
    assert detect_year(None, "没有年份") is None
