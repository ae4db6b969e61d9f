from __future__ import annotations

from nlp.ingest.web import read_html
from nlp.pipeline import parse
from tests.builders import BODY_SENTENCES, REPORT, REPORT_TITLE, make_noisy_html


def test_ruby_annotations_are_dropped() -> None:
    html = "<html><body><p>" + "<ruby>問<rt>wèn</rt></ruby>題在於執法不規範，需要加以整改落實到位。" * 3 + "</p></body></html>"
    raw = read_html(html.encode())
    assert "wèn" not in "".join(ln.text for ln in raw.lines)


def test_gbk_page_with_meta_charset() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
    html += "<p>全年办理行政复议案件36件，纠错5件。</p>" * 5 + "</body></html>"
    raw = read_html(html.encode("gbk"))
    assert any("行政复议" in ln.text for ln in raw.lines)


def test_noisy_saved_page_parses_to_the_body_once() -> None:
    """The foundation issue's acceptance case: body thrice, pinyin after words, site chrome everywhere."""
    parsed = parse(make_noisy_html(repeat=3, pinyin=True), "page.html")
    doc = parsed.document
    assert doc.title == REPORT_TITLE
    for _, line in REPORT[1:]:
        assert doc.text.count(line) == 1, line
    for noise in ("wèntí", "zhífǎ", "bàogào", "您现在的位置", "浏览次数", "索引号", "责任编辑", "版权所有", "分享到", "统计代码"):
        assert noise not in doc.text
    assert len(parsed.sentences) == BODY_SENTENCES
    assert [(s.title, s.level, s.role) for s in parsed.sections] == [
        ("一、主要举措和成效", 1, "achievements"), ("（一）健全执法制度", 2, "achievements"),
        ("（二）规范执法程序", 2, "achievements"), ("二、存在的不足和原因", 1, "problems"),
        ("三、下一年度主要安排", 1, "measures"),
    ]
    assert doc.kind == "annual_report" and doc.unit == "白水县应急管理局" and doc.year == 2024
    assert any("重复" in w for w in doc.warnings) and any("拼音" in w for w in doc.warnings)


def test_traditional_page_is_converted() -> None:
    parsed = parse(make_noisy_html(repeat=1, pinyin=False, traditional=True), "page.htm")
    assert parsed.document.script in ("traditional", "mixed")
    assert "执法人员力量不足" in parsed.document.text
