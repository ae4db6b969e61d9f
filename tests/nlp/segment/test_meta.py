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


# Texts of our own: invented units and events, written to read like the genres they stand for.
NEWS_MEETING = """青川市司法局召开2024年度述法工作推进会
日前，青川市司法局召开2024年度述法工作推进会，局属各单位主要负责人参加会议。
会议听取了各单位述法工作准备情况的汇报，对述法报告撰写、现场述法评议等环节作了具体安排。
会议强调，各单位要把述法作为检验领导干部履行法治建设职责的重要抓手，如实查摆问题，防止以述职代替述法。
会上，市司法局负责同志还就近期行政复议工作作了部署。
（记者 林晓 通讯员 陈明）"""
NEWS_PRAISE = """本报讯 今年以来，云溪县坚持把法治政府建设作为全局性工作来抓，各项工作取得明显成效。
近日，记者从云溪县司法局了解到，该县全年审查规范性文件42件，行政复议纠错率保持稳定，法律服务网点实现村居全覆盖。
该县负责同志表示，下一阶段将持续巩固提升，努力打造法治建设示范县。"""
SELF_NO_TITLE = """2024年，我局在县委、县政府的领导下，扎实推进依法行政各项工作，现将有关情况报告如下。
一、主要做法
全年办理行政处罚案件48件，全部经过法制审核。
二、存在的问题
一是执法人员力量不足；二是案卷制作不够规范。
三、下一步打算
我局将加强执法培训，每季度开展案卷评查。"""
CONGRESS_OPENING = """——2025年1月10日在临江省第十四届人民代表大会第三次会议上
临江省省长 某某某
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。"""


@pytest.mark.parametrize(("title", "kind"), [
    ("2025年临江省政府工作报告", "work_report"),
    ("青川市人民政府工作报告", "work_report"),
    ("青川市中级人民法院工作报告", "work_report"),
    ("云溪县人民检察院工作报告", "work_report"),
    ("青川市司法局2024年法治政府建设年度报告", "annual_report"),
    ("关于2024年度法治政府建设工作报告", "annual_report"),
    ("白水县自然资源局2024年度工作报告", "self_report"),
    ("关于对云溪县法治政府建设示范创建工作检查情况的通报", "feedback"),
    ("市委第三巡察组向市司法局党组反馈巡察情况", "feedback"),
    ("关于市委巡察反馈问题整改情况的报告", "rectification_report"),
])
def test_more_kinds_from_title(title: str, kind: str) -> None:
    assert detect_kind(title, "") == kind


@pytest.mark.parametrize("text", [NEWS_MEETING, NEWS_PRAISE])
def test_news_items_are_news_even_when_their_headline_names_a_report_topic(text: str) -> None:
    first = text.split("\n")[0]
    assert detect_kind(first, text) == "news"
    assert detect_kind(None, text) == "news"


def test_a_report_with_news_like_words_stays_a_report() -> None:
    title = "青川市司法局2024年度述法报告"
    text = title + "\n" + NEWS_MEETING.split("\n", 1)[1] + "\n" + SELF_NO_TITLE
    assert detect_kind(title, text) == "shufa_report"


def test_kind_from_the_text_when_the_title_says_nothing() -> None:
    assert detect_kind(None, CONGRESS_OPENING) == "work_report"
    assert detect_kind(None, SELF_NO_TITLE) == "self_report"
    assert detect_kind("采购合同", "甲方：青川市某公司\n乙方：某某\n双方就办公设备采购达成如下协议。") == "other"


@pytest.mark.parametrize(("title", "unit"), [
    ("2025年临江省政府工作报告", "临江省"),
    ("2025年北京市政府工作报告", "北京市"),
    ("2025年广西政府工作报告", "广西壮族自治区"),
    ("2024年宁夏政府工作报告", "宁夏回族自治区"),
    ("2025年内蒙古自治区政府工作报告", "内蒙古自治区"),
    ("青川市司法局2024年法治政府建设年度报告", "青川市司法局"),
    ("2024年度云溪县交通运输局法治政府建设年度报告", "云溪县交通运输局"),
    ("青川市中级人民法院工作报告", "青川市中级人民法院"),
])
def test_unit_from_title_as_reviewers_name_it(title: str, unit: str) -> None:
    assert detect_unit(title, "") == unit


def test_unit_from_the_congress_line_completes_or_replaces_the_title() -> None:
    assert detect_unit(None, CONGRESS_OPENING) == "临江省"
    opening = CONGRESS_OPENING.replace("临江省第十四届", "新疆维吾尔自治区第十四届")
    assert detect_unit("2025年新疆政府工作报告", opening) == "新疆维吾尔自治区"
    court = "——在青川市第八届人民代表大会第二次会议上\n青川市中级人民法院院长 某某\n各位代表："
    assert detect_unit("青川市中级人民法院工作报告", court) == "青川市中级人民法院"
    assert detect_unit("2025年河北区政府工作报告", "") == "河北区"  # a district, not the province 河北
