"""Build test files in memory: DOCX (python-docx), PDF (reportlab, CJK CID font), noisy HTML and TXT.

All text here is written for the tests; nothing is copied from real documents.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from nlp.training.corpus.render import docx_bytes, pdf_bytes

REPORT_TITLE = "白水县应急管理局2024年度法治政府建设情况报告"
# fmt: off
REPORT = [
    ("title", REPORT_TITLE),
    ("p", "2024年，我局围绕安全生产执法规范化，扎实推进法治政府建设。现将有关情况报告如下。"),
    ("h1", "一、主要举措和成效"),
    ("h2", "（一）健全执法制度"),
    ("p", "修订安全生产行政处罚裁量基准，细化裁量情形126项。全年开展“双随机、一公开”检查38次，检查企业214家。"),
    ("h2", "（二）规范执法程序"),
    ("p", "落实重大执法决定法制审核制度，审核案件27件，提出修改意见9条；执法全过程记录设备配备到3个执法中队。"),
    ("h1", "二、存在的不足和原因"),
    ("p", "一是执法人员力量不足，全局持证执法人员仅11人；二是部分案卷文书制作不规范，评查发现瑕疵案卷6件。"),
    ("p", "究其原因，主要是对执法规范化重视不够，培训考核没有跟上。"),
    ("h1", "三、下一年度主要安排"),
    ("p", "下一步，我局将在2025年6月底前完成全部执法人员轮训，并每半年开展一次案卷交叉评查。"),
]
# fmt: on
BODY_SENTENCES = 10  # sentences in REPORT outside title and headings


def report_lines() -> list[str]:
    return [text for _, text in REPORT]


def make_txt(encoding: str = "utf-8", lines: Sequence[str] | None = None) -> bytes:
    return "\n".join(lines or report_lines()).encode(encoding)


def make_docx(items: Sequence[tuple[str, str]] | None = None, table: Sequence[Sequence[str]] | None = None,
              styles: bool = True) -> bytes:
    return docx_bytes(items or REPORT, table=table, styles=styles)


def make_pdf(pages: Sequence[Sequence[str]], header: str | None = None, page_numbers: bool = True,
             encrypt: str | None = None, letter_spacing: Sequence[str] = ()) -> bytes:
    return pdf_bytes(pages, header=header, page_numbers=page_numbers, encrypt=encrypt, letter_spacing=letter_spacing)


def make_image_only_pdf() -> bytes:
    import PIL.Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = PIL.Image.new("RGB", (200, 100), "white")
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(io.BytesIO(raw.getvalue())), 72, 600, width=200, height=100)
    c.showPage()
    c.save()
    return buf.getvalue()


PINYIN = {"问题": "(wèntí)", "执法": "(zhífǎ)", "报告": "（bàogào）"}


def make_noisy_html(repeat: int = 3, pinyin: bool = True, traditional: bool = False) -> bytes:
    """A page as a government site would save it: chrome, metadata table, title thrice, body repeated."""
    body = []
    for kind, text in REPORT[1:]:
        if pinyin:
            for word, reading in PINYIN.items():
                text = text.replace(word, word + reading)
        tag = {"h1": "h3", "h2": "h4"}.get(kind, "p")
        body.append(f"<{tag}>{text}</{tag}>")
    article = "\n".join(body)
    if traditional:
        import opencc

        article = opencc.OpenCC("s2t").convert(article)
    copies = "\n".join(f'<div class="TRS_Editor">{article}</div>' for _ in range(repeat))
    html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{REPORT_TITLE}_白水县人民政府门户网站</title>
<script>var tracker = "统计代码";</script><style>.nav{{color:red}}</style></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hd">互动交流</a></div>
<div class="crumb">您现在的位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<table class="meta"><tr><td>索引号：</td><td>11361125MB1234567X/2025-00031</td><td>主题分类：</td><td>司法</td></tr>
<tr><td>发文机关：</td><td>白水县应急管理局</td><td>发文日期：</td><td>2025-03-28</td></tr></table>
<h1>{REPORT_TITLE}</h1>
<div class="info">来源：白水县应急管理局　发布时间：2025-03-28 10:12　浏览次数：1287　字体：[大][中][小]</div>
<div class="title2">{REPORT_TITLE}</div>
<div class="content">
<p class="title3">{REPORT_TITLE}</p>
{copies}
</div>
<div class="share">分享到：微信 微博</div><div>【打印本页】【关闭窗口】</div>
<div class="editor">责任编辑：李某</div>
<div class="related">相关推荐</div><ul><li>白水县召开安全生产工作会议</li></ul>
<div class="footer">主办单位：白水县人民政府办公室　版权所有：白水县人民政府　网站标识码：3611250001　皖ICP备12345678号</div>
</body></html>"""
    return html.encode("utf-8")
