"""A problem sentence as a reviewer lists it: one item per clause that states a problem of its own, each typed
explicit or latent by its wording.

Real problem paragraphs list several problems in one sentence (“A不足，B不振，C乏力；D…”). A clause is an item
when it has its own problem predicate (不足, 滞后, 压力较大, 还需加强 …); a clause without one (a subject, a
qualifier) joins its neighbour, and so does a clause shorter than ``MIN_ITEM`` characters (“消费不振，外资下降”
stays one item). A lead-in before the list's colon (“…面临的困难和挑战，主要是：”) is never an item.

explicit / latent is decided by the wording, not by how serious the problem is: a defect stated with a negative
predicate is explicit; a hedge or aspiration (还需, 有待, 需要进一步), a minimiser (少数, 个别), a euphemism of
pressure or phase (面临压力, 难度加大, 攻坚期, 阵痛) or a problem only implied (短板弱项, 还有很多工作要做) is latent.
Ordinary quantifiers (部分, 一些) do not change the type.
"""

from __future__ import annotations

import re

# fmt: off
NEGATIVE = re.compile(
    r"不足|不强|不够|不高|不优|不多|不快|不大|不畅|不稳|不牢|不实|不严|不力|不到位|不规范|不平衡|不充分|不均衡|不完善|"
    r"不健全|不顺|不明显|不及|不适应|跟不上|不匹配|不协调|不合理|不彻底|不落实|偏弱|偏低|偏慢|偏少|偏高|偏大|偏重|偏紧|较弱|"
    r"较低|较慢|较大|较多|较少|较重|较高|滞后|乏力|不振|低迷|下降|下滑|减少|困难|难题|难点|突出|矛盾|短板|弱项|薄弱|欠缺|"
    r"缺乏|缺少|短缺|没有|未能|尚未|未完成|未达到|未实现|未达|问题|风险|隐患|挑战|压力|瓶颈|制约|障碍|顽疾|顽瘴痼疾|"
    r"差距|失衡|过剩|过度|过多|过高|过大|过长|过低|多发|频发|时有发生|承压|艰巨|严峻|不确定|阵痛|攻坚期|较劲期|调整期|"
    r"放缓|趋缓|回落|收窄|萎缩|低于|流于形式|形式主义|官僚主义|腐败|不作为|慢作为|乱作为|不担当|受制于人|瑕疵|积压|超期|"
    r"违法|违规|投诉|败诉|纠错|不合格|差错|漏洞|空白|盲区|短缺|落后|缓慢|受到[^，；。]{0,6}影响|加大|上升|增多|加深|"
    r"不容忽视|不可放松|不容[^，；。]{0,2}松懈|须臾|有待|亟待|亟需|还需|仍需|尚需|需要进一步|需进一步|需要持续|还要|"
    r"任重道远|硬骨头|久久为功|还有很多工作|还有不少工作|很多期待|不少期待|不平衡|不充分|不尽|"
    r"调整过程|处于调整|转型调整|趋紧|首当其冲|冲击|偏小|缺口|需要改进|需要增强|需要提升|需要加强|冒头|脆弱|有限|"
    r"未(?!来)[\u4e00-\u9fff]|仅有?\d|只有\d|尚有\d|还有\d+[个件项家名人条]|超出|不一致|为0|为零|零办件|逾期|推诿")
HEDGED = re.compile(  # latent (a): a hedge or an aspiration, no defect stated
    r"还需|仍需|尚需|有待|亟待|亟需|需要进一步|需进一步|需要持续|需要加力|还要|任重道远|硬骨头|久久为功|需加力|"
    r"(?:与|同|和|离)[^，；。]{1,20}(?:期盼|期待|要求|预期|目标|期望)[^，；。]{0,6}(?:还有|仍有|存在|有)?(?:一定)?差距")
MINIMISER = re.compile(r"少数|个别")  # latent (b)
EUPHEMISM = re.compile(  # latent (c): pressure, difficulty, task or phase words
    r"压力|难度(?:加大|较大|增大|不小)|承压|任务(?:依然|仍然|十分)?(?:艰巨|较重|繁重)|调整(?:过程|期)|攻坚期|较劲期|"
    r"阵痛|受到[^，；。]{0,6}影响|形势(?:依然|仍然|更加)?(?:严峻|复杂)|爬坡过坎|关口")
IMPLIED = re.compile(  # latent (d): only implied
    r"短板弱项|还有很多工作要做|还有不少工作要做|还有很多期待|很多期待|不可放松|不容[^，；。]{0,2}松懈|须臾|"
    r"还有提升空间|提升空间|不同程度")
# explicit wording that wins over a euphemism word in the same clause (矛盾突出 against 压力)
DEFECT = re.compile(r"矛盾[^，；。]{0,4}(?:突出|加大)|不足|不强|不振|乏力|滞后|下降|困难|突出|未完成|未达到|尚未|不及预期")
# a past difficulty presented as overcome, or a measure that names a problem: not an item
OVERCOME = re.compile(r"来之不易|顶压前行|逆势而上|迎难而上|攻坚克难|克服|战胜|化解了|顶住|扛住|^面对[^，；。]{2,30}[，,]")
ACTION = re.compile(r"^(?:解决|推动|加快|着力|坚持|持续|深入|全面|扎实|切实|大力|积极|努力|加强|强化|深化|健全|完善|推进|实施|"
                    r"落实|统筹|优化|提升|提高|促进|保持|确保|力争|争取|抓好|做好|用好|打好|守住|守牢|防范|化解|稳妥)")
# an umbrella lead-in or a pledge: names that there are problems, states none
UMBRELLA = re.compile(
    r"清醒|认识到|看到|说透|讲够|这些问题|上述问题|以上问题|这些困难|^(?:[^，；]{0,24}?)(?:还|仍|仍然|依然|也)?(?:面临|存在|遇到|有)"
    r"(?:着)?(?:一些|不少|诸多|许多|很多|较多|一定的?)?(?:困难|问题|挑战|不足|风险挑战|困难挑战)(?:和|与|、)?"
    r"(?:困难|问题|挑战|不足)?$|是发展中|转型中的问题|^(?:主要是|主要表现在|主要表现为|具体表现为|表现为|主要有|具体是|包括)$")
# good news and outlook: a sentence that weighs a difficulty against what is favourable, or reports progress
FAVOURABLE = re.compile(r"没有变|没有改变|不会变|有利条件|机遇|有信心|有底气|有条件|有基础|支撑条件|态势持续向好|有序有效|扎实有效|"
                        r"不断增强|稳步提升|全面加强|更加稳固|扎实推进|稳步发展|不断彰显|战胜|惟有|唯有")
# fmt: on
MIN_ITEM = 6  # non-blank characters: a shorter clause joins its neighbour
# goes on about the clause before it, with no subject of its own (“有的还比较突出”)
_ELABORATES = re.compile(r"^(?:有的|有些|其中|特别是|尤其是|甚至)(?:还|仍|也|都|较|比较|更|尤为|相对|已)")
ANNOUNCES = re.compile(r"以下|如下|几个?方面")  # a sentence that announces the list is no item of it
_SEPARATORS = "，；：,;:"


def states_problem(text: str) -> bool:
    """The clause has a problem predicate, is not a difficulty overcome, an umbrella lead-in or good news, and is not
    a measure naming a problem."""
    if not NEGATIVE.search(text) or OVERCOME.search(text) or UMBRELLA.search(text) or FAVOURABLE.search(text):
        return False
    return not (ACTION.match(text) and not HEDGED.search(text) and not re.search(r"不|未|没有|尚", text))


def visibility(text: str) -> tuple[str, str | None]:
    """(visibility, latent basis) of one problem clause, by its wording."""
    if HEDGED.search(text) or MINIMISER.search(text) or IMPLIED.search(text):
        return "latent", "hedged"
    if EUPHEMISM.search(text) and not DEFECT.search(text):
        return "latent", "hedged"
    return "explicit", None


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each problem item the sentence states; one span for a sentence that states one
    problem, none for a lead-in alone."""
    pieces = _pieces(text, 0)
    items: list[list[int]] = []
    carry: int | None = None  # a clause without a predicate of its own, waiting for the next one
    for a, b in pieces:
        start = a if carry is None else carry
        piece = text[a:b]
        if UMBRELLA.search(piece):  # “我们也清醒认识到”, “还面临不少困难和挑战”: no item, and nothing to carry
            carry = None
            continue
        short = _length(text, [a, b]) < MIN_ITEM
        if _ELABORATES.match(piece):
            if items:
                items[-1][1] = b
            carry = None
            continue
        if not NEGATIVE.search(piece):
            carry = start
            continue
        if items and (short or _both_short(text, items[-1], (a, b))):
            items[-1][1] = b  # “消费不振，外资下降”
        else:
            items.append([start, b])
        carry = None
    if carry is not None:
        if items:
            items[-1][1] = pieces[-1][1]
        else:
            return []
    merged: list[list[int]] = []  # a short first clause joins the next one (“消费不振，外资下降…”)
    for item in items:
        if merged and _length(text, merged[-1]) < MIN_ITEM:
            merged[-1][1] = item[1]
        else:
            merged.append(item)
    return [(a, b) for a, b in merged]


def _length(text: str, span: list[int]) -> int:
    return len(re.sub(r"\s", "", text[span[0]:span[1]]))


def _both_short(text: str, prev: list[int], cur: tuple[int, int]) -> bool:
    return _length(text, prev) < MIN_ITEM and _length(text, list(cur)) < MIN_ITEM


def _pieces(text: str, start: int) -> list[tuple[int, int]]:
    """Clauses of ``text[start:]`` between separators, trailing punctuation and blanks left out."""
    out, a = [], start
    for k in range(start, len(text) + 1):
        if k == len(text) or text[k] in _SEPARATORS:
            b = k
            while b > a and text[b - 1] in "。；;，,、！：: 　":
                b -= 1
            while a < b and text[a] in " 　":
                a += 1
            lead = re.match(r"(?:主要是|主要表现在|主要表现为|具体表现为|表现为|主要有|具体是|包括)", text[a:b])
            if lead and lead.end() < b - a:  # “主要是：A” after the colon: A, without the marker
                a += lead.end()
            while a < b and text[a] in "：: 　":
                a += 1
            if b > a:
                out.append((a, b))
            a = k + 1
    return out
