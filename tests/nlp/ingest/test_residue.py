"""Residue of real pages: removed line by line, each kind with its own warning; previews and cut-off endings
warned about. All texts are our own, with invented units."""

from __future__ import annotations

import pytest

from nlp.ingest.residue import remove_neutral_pinyin, residue_kind, truncated_ending
from nlp.pipeline import parse

BODY = [
    "桐山县司法局2024年法治政府建设年度报告",
    "一、主要举措和成效",
    "全年审核县政府规范性文件17件，提出修改意见52条，全部被采纳。",
    "办理行政复议案件29件，直接纠错4件，纠错率13.8%。",
    "二、存在的不足和原因",
    "一是基层执法人员法律素养参差不齐，2个乡镇的执法案卷存在文书填写不规范问题；二是合法性审核人员仅3名，审核力量与任务不相适应。",
    "三、下一年度主要安排",
    "2025年6月底前完成全县执法人员轮训，每季度开展一次案卷交叉评查。",
    "桐山县司法局",
    "2025年3月20日",
]
# fmt: off
RESIDUE_LINES = {
    "preview": ["仅展示628字，全文共2002字", "……此处隐藏1374字。VIP会员可见……", "阅读全文", "开通VIP会员，免费下载全文"],
    "comments": ["发表评论", "暂无评论", "网友评论", "网友山间清风：写得很实在。", "共3条评论"],
    "credits": ["责任编辑：周某", "来源：桐山县司法局 编辑：方某", "版权所有 桐山县人民政府", "未经授权，禁止一切形式转载。",
                "本网站所刊登的信息，未经许可不得转载。"],
    "metadata": ["索引号：113622/2025-00047", "发布机构：桐山县司法局 | 成文日期：2025-03-20", "索引号"],
    "welcome": ["欢迎访问桐山县人民政府门户网站"],
}
# fmt: on
WARNING_WORDS = {"preview": "预览或付费提示", "comments": "评论区", "credits": "版权声明", "metadata": "元数据",
                 "welcome": "欢迎语"}


def _txt_with_residue() -> bytes:
    lines = ["欢迎访问桐山县人民政府门户网站", *RESIDUE_LINES["metadata"], "113622/2025-00048", BODY[0], "来源：桐山县司法局 编辑：方某",
             *BODY[1:4], "仅展示628字，全文共2002字", "……此处隐藏1374字。VIP会员可见……", "阅读全文",
             "开通VIP会员，免费下载全文", *BODY[4:], "责任编辑：周某", "版权所有 桐山县人民政府", "未经授权，禁止一切形式转载。",
             "本网站所刊登的信息，未经许可不得转载。", *RESIDUE_LINES["comments"]]
    return "\n".join(lines).encode("utf-8")


def _html_with_residue() -> bytes:
    body = "".join(f"<p>{line}</p>" for line in BODY[1:])
    meta = ("<table><tr><td>索引号：</td><td>113622/2025-00047</td><td>发布机构：</td><td>桐山县司法局</td></tr>"
            "<tr><td>成文日期：</td><td>2025-03-20</td><td>主题分类：</td><td>司法</td></tr></table>")
    html = f"""<html><head><meta charset="utf-8"><title>{BODY[0]}</title></head><body>
<div class="top">欢迎访问桐山县人民政府门户网站</div>{meta}<h1>{BODY[0]}</h1>
<div class="article">{body}</div>
<div class="vip">仅展示628字，全文共2002字</div><div class="more">阅读全文</div>
<div class="editor">责任编辑：周某</div><div class="copy">版权所有 桐山县人民政府 未经授权，禁止一切形式转载。</div>
<div class="comment"><h3>网友评论</h3><p>暂无评论</p><p>发表评论</p></div></body></html>"""
    return html.encode("utf-8")


@pytest.mark.parametrize(("kind", "line"), [(k, line) for k, lines in RESIDUE_LINES.items() for line in lines])
def test_each_residue_line_is_recognised(kind: str, line: str) -> None:
    assert residue_kind(line) == kind


@pytest.mark.parametrize("line", [
    "全年审核县政府规范性文件17件，提出修改意见52条，全部被采纳。",
    "查处未经许可擅自从事法律服务的案件2起，已移送有关部门。",
    "组织干部职工阅读全文并撰写心得体会86篇，评论区留言的群众意见已逐条回复。",
    "主办单位：县司法局、县教育局，各乡镇人民政府",
    "编辑出版《桐山县行政执法案例汇编》一册，发放至各执法单位。",
])
def test_body_lines_are_not_residue(line: str) -> None:
    assert residue_kind(line) is None


@pytest.mark.parametrize(("name", "data"), [("page.txt", _txt_with_residue()), ("page.html", _html_with_residue())])
def test_residue_is_removed_with_a_warning_per_kind(name: str, data: bytes) -> None:
    doc = parse(data, name).document
    for noise in ("欢迎访问", "索引号", "113622/2025", "发布机构", "仅展示", "VIP", "阅读全文", "责任编辑", "版权所有",
                  "转载", "评论"):
        assert noise not in doc.text, noise
    for line in BODY[1:]:
        assert line in doc.text
    joined = "\n".join(doc.warnings)
    expected = ["preview", "comments", "credits", "metadata", "welcome"]
    for kind in expected:
        assert WARNING_WORDS[kind] in joined, (kind, doc.warnings)
    assert any("仅展示628字，全文共2002字" in w and "不是全文" in w for w in doc.warnings)
    assert doc.kind == "annual_report" and doc.unit == "桐山县司法局"


def test_a_clean_report_gets_no_residue_or_truncation_warning() -> None:
    doc = parse("\n".join(BODY).encode("utf-8"), "clean.txt").document
    assert not any(w for w in doc.warnings if "删除" in w or "全文" in w), doc.warnings


def test_a_page_cut_off_mid_sentence_is_warned_about() -> None:
    cut = [*BODY[:6], "一是基层执法人员法律素养参差不齐，2个乡镇的执法案卷存在文书填写不规范问题；二是合法性审核人员仅3名，审核力量与"]
    doc = parse("\n".join(cut).encode("utf-8"), "cut.txt").document
    assert any("没有结束" in w for w in doc.warnings), doc.warnings
    dots = [*BODY[:6], "一是基层执法人员法律素养参差不齐，2个乡镇的执法案卷存在……"]
    doc = parse("\n".join(dots).encode("utf-8"), "dots.txt").document
    assert any("省略号" in w for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("last", ["桐山县司法局", "2025年3月20日", "特此报告", "附件：桐山县2024年度行政执法案件统计表",
                                  "桐山县司法局党组书记、局长 某某某"])
def test_signatures_and_dates_are_not_cut_off_endings(last: str) -> None:
    assert truncated_ending(["全年办理案件29件。", last]) is None


def test_neutral_tone_pinyin_is_removed() -> None:
    text, n = remove_neutral_pinyin("依法行政的(de)要求落实了(le)。", anywhere=False)
    assert (text, n) == ("依法行政的要求落实了。", 2)
    text, n = remove_neutral_pinyin("规范(gui fan)执法", anywhere=False)
    assert n == 0  # toneless syllables after other characters stay unless the page annotates
    text, n = remove_neutral_pinyin("规范(gui fan)执法的(de)要求", anywhere=True)
    assert text == "规范执法的要求"
    doc = parse("\n".join([*BODY[:2], "全年审核规范(guīfàn)性文件17件，落实的(de)要求全部到位，问题(wèn tí)已整改。", *BODY[3:]]).encode(),
                "py.txt").document
    assert "(de)" not in doc.text and "guīfàn" not in doc.text and "落实的要求全部到位" in doc.text
    assert any("拼音" in w for w in doc.warnings)
