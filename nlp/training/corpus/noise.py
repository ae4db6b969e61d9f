"""Inject the noise of real files (``shared/docs/domain.md``) into a generated document's rendering.

Every pattern here is one that ingestion repairs; parsing the noisy file must give back the clean text.
"""

from __future__ import annotations

import random
import re

# fmt: off
CHROME_TOP = ["您现在的位置：首页 > 政务公开 > 法治政府建设", "来源：{unit}　发布时间：{year}-03-28 09:30　浏览次数：{views}",
              "字体：[大][中][小]　【打印本页】【关闭窗口】", "索引号：{code}/{year}-00031", "主题分类：司法"]
CHROME_BOTTOM = ["分享到：", "责任编辑：办公室", "相关推荐", "主办单位：{unit}　版权所有　网站标识码：{code}"]
PINYIN = {"问题": "(wèntí)", "执法": "（zhífǎ）", "整改": "(zhěnggǎi)", "审核": "(shěnhé)", "报告": "(bàogào)"}
# fmt: on


def mask_numbers(text: str, rng: random.Random, share: float = 0.15) -> str:
    """Mask some counts (“组织专题学习**次”) character for character, so offsets stay valid."""
    return re.sub(r"(?<![\d.])\d{1,3}(?=[次件个项名人家份场条])",
                  lambda m: "*" * len(m.group()) if rng.random() < share else m.group(), text)


def noisy_text(text: str, title: str | None, unit: str, year: int, noises: list[str], rng: random.Random) -> str:
    """The text as a noisy TXT file (a saved page pasted into a file, a converted traditional page...)."""
    lines = text.split("\n")
    if "pinyin" in noises:
        lines = [_pinyin(line, rng) for line in lines]
    if "fullwidth" in noises:
        lines = [line.translate(_FULLWIDTH) if rng.random() < 0.5 else line for line in lines]
    if "repeat_body" in noises:
        body = lines[1:] if title else lines
        lines = lines + ([title] if title else []) + body + (body if rng.random() < 0.5 else [])
    if "chrome" in noises:
        values = {"unit": unit, "year": year + 1, "views": rng.randint(100, 9000), "code": rng.randint(10**9, 10**10)}
        top = [c.format(**values) for c in CHROME_TOP]
        lines = top + ([title] if title else []) + lines + [c.format(**values) for c in CHROME_BOTTOM]
    if "wrap" in noises:
        width = rng.randint(30, 40)
        lines = [piece for line in lines for piece in ([line[i:i + width] for i in range(0, len(line), width)] or [""])]
    out = "\n".join(lines)
    if "traditional" in noises:
        import opencc

        out = opencc.OpenCC("s2t").convert(out)
    return out


_FULLWIDTH = {c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)}


def _pinyin(line: str, rng: random.Random) -> str:
    for word, reading in PINYIN.items():
        if word in line and rng.random() < 0.6:
            line = line.replace(word, word + reading, 1)
    return line
