from __future__ import annotations

import pytest

from nlp.ingest.normalize import fix_characters, is_chrome, normalize
from nlp.ingest.raw import RawDocument, RawLine


def clean(lines: list[str], wrapped: bool = False, media_type: str = "text/plain"):  # type: ignore[no-untyped-def]
    return normalize(RawDocument([RawLine(t) for t in lines], media_type=media_type, wrapped=wrapped))


@pytest.mark.parametrize(("raw", "fixed"), [
    ("全年办理案件３６件，纠错率为１３．９％", "全年办理案件36件，纠错率为13.9%"),
    ("存 在 的 问 题", "存在的问题"),
    ("一 、 存 在 的 问 题", "一、存在的问题"),
    ("⽣态环境⽤地", "生态环境用地"),  # Kangxi radicals from some PDF fonts
    ("全年办理案件36件,纠错5件;下一步:加强", "全年办理案件36件，纠错5件；下一步：加强"),
    ("会议于10:30召开", "会议于10:30召开"),
    ("(一)强化领导", "（一）强化领导"),
    ("文号(2024)3号", "文号(2024)3号"),
    ("零\u200b宽\u00a0字符", "零宽字符"),
])
def test_character_repairs(raw: str, fixed: str) -> None:
    assert fix_characters(raw) == fixed


def test_pinyin_after_words_and_single_characters_is_removed() -> None:
    result = clean(["存在的问题(wèntí)主要是执法（zhífǎ）不规范。", "現(xiàn)在還有差距。", "保留PDF(A)与(2024)不动。"])
    assert result.text.split("\n")[:2] == ["存在的问题主要是执法不规范。", "现在还有差距。"]
    assert "保留PDF(A)与(2024)不动。" in result.text
    assert any("拼音" in w for w in result.warnings)


def test_traditional_is_converted_and_recorded() -> None:
    result = clean(["行政執法規範化建設還存在薄弱環節，執法人員數量不足。"] * 3)
    assert "执法规范化建设还存在薄弱环节" in result.text
    assert result.script == "traditional"


def test_mixed_script() -> None:
    result = clean(["行政執法規範化建設還存在薄弱環節。", "全年办理行政复议案件三十六件，纠错五件。", "规范性文件合法性审核全覆盖。"])
    assert result.script == "mixed"


@pytest.mark.parametrize("line", [
    "您现在的位置：首页 > 政务公开 > 法治政府", "来源：青川市司法局 发布时间：2025-03-01 浏览次数：321",
    "字体：[大][中][小]", "分享到：", "责任编辑：王某", "版权所有：青川市人民政府", "索引号：113611/2025-0012",
    "【打印本页】【关闭窗口】", "相关推荐", "主办单位：青川市人民政府办公室",
])
def test_site_chrome_lines(line: str) -> None:
    assert is_chrome(fix_characters(line))


@pytest.mark.parametrize("line", [
    "来源于基层的意见建议共收集126条，已全部办结。", "我局坚持打印、归档执法文书全过程留痕。",
])
def test_body_sentences_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_repeated_body_and_title_are_kept_once() -> None:
    body = ["一、主要成效", "全年办理行政复议案件36件，纠错5件，纠错率为13.9%。", "二、存在的问题", "执法人员力量不足。"]
    result = clean(["某局2024年度报告", "某局2024年度报告", *body, "某局2024年度报告", *body, *body])
    assert result.text.split("\n") == ["某局2024年度报告", *body]
    assert any("标题重复" in w for w in result.warnings)
    assert any("重复出现的正文" in w for w in result.warnings)


def test_wrapped_lines_are_joined_but_headings_and_ends_are_not() -> None:
    lines = [
        "二、存在的问题",
        "一是执法人员力量不足，全局持证执法人员仅11人，与承担",
        "的执法任务不相适应；二是部分案卷文书制作不规范，评查",
        "发现瑕疵案卷6件。",
        "三、下一步打算",
        "将在2025年6月底前完成全部执法人员轮训，每半年开展一",
        "次案卷交叉评查。",
    ]
    result = clean(lines, wrapped=True)
    assert result.text.split("\n") == [
        "二、存在的问题",
        "一是执法人员力量不足，全局持证执法人员仅11人，与承担的执法任务不相适应；二是部分案卷文书制作不规范，评查发现瑕疵案卷6件。",
        "三、下一步打算",
        "将在2025年6月底前完成全部执法人员轮训，每半年开展一次案卷交叉评查。",
    ]
    assert any("换行" in w for w in result.warnings)


def test_page_map_survives_repairs() -> None:
    raw = RawDocument([RawLine("第一页的内容很长，需要一直写到行尾都没有", 1), RawLine("结束。", 2), RawLine("第二页另起一段。", 2)],
                      media_type="application/pdf", wrapped=True)
    result = normalize(raw)
    assert result.text.split("\n") == ["第一页的内容很长，需要一直写到行尾都没有结束。", "第二页另起一段。"]
    assert result.page_starts[0] == 0
    assert result.text[result.page_starts[1]:].startswith("第二页")


def test_masked_numbers_are_kept_with_a_warning() -> None:
    result = clean(["年内组织专题学习*次，查处案件××件。"])
    assert "*次" in result.text and "××件" in result.text
    assert any("遮盖" in w for w in result.warnings)


def test_page_number_lines_dropped() -> None:
    result = clean(["正文一句。", "- 3 -", "第 4 页 共 10 页", "正文二句。"])
    assert result.text == "正文一句。\n正文二句。"


def test_a_question_asked_again_is_kept_but_a_copied_transcript_body_is_not() -> None:
    asked = "问：你单位去年行政诉讼案件负责人出庭应诉情况如何？"
    turns = [asked, "答：这个要问法规科，我不太清楚。", "问：规范性文件是谁负责起草的？", "答：一般是业务科室起草，法规科审核把关。",
             asked, "请你具体说一下局长本人出庭了几次。", "答：我回去查了台账，局长本人只出庭过一次。"]
    result = clean(["某局谈话记录", *turns])
    assert result.text.split("\n") == ["某局谈话记录", *turns] and not result.warnings
    named = ["陈某某：你单位去年行政诉讼案件负责人出庭应诉情况如何？", "王某某：我不太清楚，要问法规科。", "陈某某：那规范性文件由谁起草？",
             "王某某：业务科室起草。", "陈某某：你单位去年行政诉讼案件负责人出庭应诉情况如何？", "王某某：局长本人只出庭过一次。"]
    assert clean(["某局座谈记录", *named]).text.split("\n") == ["某局座谈记录", *named]
    # a page showing the whole transcript twice is still cleaned: a copied block of turns goes
    copied = clean(["某局谈话记录", *turns, *turns])
    assert copied.text.split("\n") == ["某局谈话记录", *turns]
    assert any("重复出现的正文" in w for w in copied.warnings)
