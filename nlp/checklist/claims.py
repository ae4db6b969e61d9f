"""What a sentence asserts, for comparing a report with what interviewees say about the same unit.

- ``claim_figures`` / ``UNIVERSAL``: a report's checkable claims: a count with its counter (12件, 6次) and the
  universal words (100%, 全部, 全覆盖, 均已…).
- ``stance``: what an interviewee's sentence does to such a claim: ``deny`` (an exception with a failing: 有3件没有…,
  a limit: 只有1件, or an outright denial: 不准确, 达不到), ``negate`` (a failing without a count: 没有经过审查),
  ``affirm`` (a universal or a double negation and no failing left: 都按时报了，没有超期的) or ``neutral``.
- ``said``: a transcript sentence without its turn marker (答：, 某某某（科长）：) and the recorder's remarks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_NUM = r"(?:\d+|[一两二三四五六七八九十几]+)"
_COUNTER = r"[件个项份卷名次期起家所人条宗场批台]"
UNIVERSAL = re.compile(r"100%|百分之百|全覆盖|全部|全都|(?<![人平])均(?!衡|等|值)|一律|无一|从未|零差错|实现了?全|应\S尽\S|有件必备|"
                       r"悉数|一件不落|每[一个件项份次卷名期]")
_FIGURE = re.compile(rf"(\d+)\s*({_COUNTER})")
_EXCEPTION = re.compile(rf"(?:有|还有|另有|其中|另外|其余|剩下|这|那)的?\s*{_NUM}\s*{_COUNTER}")
_LIMIT = re.compile(rf"(?:只有|仅有|只|仅|才|不到|不足)[^，。；\d]{{0,6}}?({_NUM})\s*({_COUNTER})")
_DENY = re.compile(r"不准确|不属实|不实|不符合实际|不是实际|不是这样|达不到|谈不上|算不上|没有那么多|并非如此|言过其实|水分")
_NEGATIVE = re.compile(r"没有|没|未|不(?![仅断少但过]|会[少漏缺])|超过|超期|逾期|拖|补报|补的|漏|缺|坏|代为|委托")
# failings said without a negation: a problem, though nothing it says denies a count
_FAILING = re.compile(r"过长|过多|过高|过低|过大|偏少|偏低|偏高|偏多|偏弱|偏大|薄弱|滞后|流于形式|走过场|形式主义|推诿|泄露|"
                      r"随意|多头|重复检查|积压|拖延|困难|难以|短板|差距|隐患|风险|瑕疵|乱象|影响|有待|还需|仍需|尚需|欠缺")
_DOUBLE = re.compile(r"(?:没有|没|未|无)(?:出现|发现|发生)?")  # a negation; with another inside its clause, a double one
_SOME = re.compile(r"个别|有的|少数|一些")
_ALL_BEFORE = re.compile(r"都|全部|均|每[一个件项份次卷名期]|一件不少")
_CLAUSE = re.compile(r"[，,。；;！？]")
_MARKER = re.compile(r"^(?:[问答QA]|谈话人|谈话对象|主持人|[\u4e00-\u9fff]{0,2}某{1,3})"
                     r"(?:[（(][^）)]{0,40}[）)])?\s*[：:]\s*")
_REMARK = re.compile(r"^(?:[（(][^）)]{1,30}[）)]\s*)+")
_COUNTED = re.compile(rf"(?:有|还有|另有|其中|另外|其余|剩下|这|那|只有|仅有|只|仅|才|不到|不足)[^，。；\d]{{0,6}}?"
                     rf"({_NUM})\s*({_COUNTER})")
_POPULATION = re.compile(rf"(\d+)\s*({_COUNTER})([\u4e00-\u9fff]{{0,6}}?)(?:当中|里面|里|中)")
_CHINESE_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def said(text: str) -> str:
    """The words of a transcript sentence: without the turn marker and the recorder's bracketed remarks."""
    return _REMARK.sub("", _MARKER.sub("", text, count=1), count=1)


def claim_figures(text: str) -> list[tuple[int, str]]:
    """(count, counter) pairs: 共7件 → (7, 件); percentages and years are not counts."""
    return [(int(m.group(1)), m.group(2)) for m in _FIGURE.finditer(text) if len(m.group(1)) < 4]


def counted(text: str) -> list[tuple[int, str, str]]:
    """(count, counter, what): 41个乡镇 → (41, 个, 乡镇); the thing counted, when it follows, tells 41 townships
    from 41 departments."""
    return [(int(m.group(1)), m.group(2), text[m.end():m.end() + 2] if re.match(r"[\u4e00-\u9fff]{2}", text[m.end():])
             else "") for m in _FIGURE.finditer(text) if len(m.group(1)) < 4]


def populations(text: str) -> list[tuple[int, str, str]]:
    """(count, counter, what) of a population an exception is drawn from: 184名执法人员中 → (184, 名, 执法人员)."""
    return [(int(m.group(1)), m.group(2), m.group(3)) for m in _POPULATION.finditer(text)]


def _number(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return _CHINESE_NUM.get(value)


def _double_negations(text: str) -> list[tuple[int, int]]:
    """Spans that deny a failing, so affirm: 没有…不合格的, 没有出现…不出庭, 未发生…问题, 没有提出过…意见, and after an
    all-clause (都按时报了) a closing 没有…的 (没有挂账的)."""
    spans = []
    for m in _DOUBLE.finditer(text):
        end = _CLAUSE.search(text, m.end())
        stop = end.start() if end else len(text)
        clause = re.sub(r"[也又或、和](?:没有|没|未|不)[^，。；]*", "", text[m.end():stop])  # 既未答复也未转送: two failings
        closing_none = m.group() in ("没有", "没") and clause.endswith("的") and _ALL_BEFORE.search(text, 0, m.start())
        if (_NEGATIVE.search(clause) or re.search(r"问题|纠纷|差错|事故", clause) or closing_none
                or re.match(r"提出?过?[^，。；]{0,6}(?:意见|异议)", clause)):
            spans.append((m.start(), stop))
    return spans


def stance(text: str) -> str:
    """deny, negate, affirm or neutral (see the module docstring)."""
    doubles = _double_negations(text)

    def outside(m: re.Match[str]) -> bool:
        return not any(a <= m.start() < b for a, b in doubles)

    negatives = [m for m in _NEGATIVE.finditer(text) if outside(m)]
    capped = [m for m in _LIMIT.finditer(text) if outside(m)]
    if _DENY.search(text) or capped or (negatives and any(outside(m) for m in _EXCEPTION.finditer(text))):
        return "deny"
    if negatives or _FAILING.search(text) or (_SOME.search(text) and re.search(r"没|未|不|超|缺|漏", text)):
        return "negate"
    if doubles or UNIVERSAL.search(text) or _ALL_BEFORE.search(text) or re.search(r"不会(?:少|漏|缺)", text):
        return "affirm"
    return "neutral"


def counts(text: str) -> list[tuple[int, str]]:
    """Every (count, counter) of an exception or a limit: 有3件, 其中2个, 只有1件."""
    out = []
    for m in _COUNTED.finditer(text):
        value = _number(m.group(1))
        if value is not None:
            out.append((value, m.group(2)))
    return out


def limits(text: str) -> list[tuple[int, str]]:
    """(count, counter) after 只有/仅/才/不到: 只有1件 → (1, 件)."""
    out = []
    for m in _LIMIT.finditer(text):
        value = _number(m.group(1))
        if value is not None:
            out.append((value, m.group(2)))
    return out


def confirms(statement: str, claim: str) -> bool:
    """The statement repeats the claim's own count with a universal and no exception: 7件都是局长出的庭."""
    figures = set(claim_figures(claim))
    same = any(f in figures for f in claim_figures(statement))
    return same and bool(UNIVERSAL.search(statement) or re.search(r"都", statement)) \
        and not _EXCEPTION.search(statement) and not _LIMIT.search(statement) and not _DENY.search(statement)


def bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of Chinese characters."""
    out = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[k:k + 2] for k in range(len(run) - 1))
    return out


class TopicOverlap:
    """Shared words weighted by rarity among the sentences compared (bigram IDF): 投诉/办结 count, 我们/全年 barely."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.grams = [bigrams(t) for t in texts]
        df = Counter(g for grams in self.grams for g in grams)
        n = len(texts)
        self.idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}

    def shared(self, a: int, b: int) -> float:
        """Total weight of the bigrams both sentences use."""
        return sum(self.idf[g] for g in self.grams[a] & self.grams[b])


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, split at commas, semicolons, colons and end marks."""
    return [c for c in re.split(r"[，,；;。！？：:]", text) if c.strip()]


def claim_focus(text: str) -> str:
    """The clauses that carry the claim: those with a universal word or a rate, and the count they quantify."""
    parts = clauses(text)
    keep = set()
    for k, c in enumerate(parts):
        if UNIVERSAL.search(c) or re.search(r"率", c):
            keep.add(k)
            if not claim_figures(c):
                prev = next((j for j in range(k - 1, -1, -1) if claim_figures(parts[j])), None)
                if prev is not None:
                    keep.add(prev)
    if not keep:
        keep = {k for k, c in enumerate(parts) if claim_figures(c)}
    return "，".join(parts[k] for k in sorted(keep)) or text


def statement_focus(text: str) -> str:
    """The clauses that carry the failing (the exception, limit, denial or negation), the one before each, and the
    first (the subject)."""
    parts = clauses(text)
    keep = {0}  # the subject is usually named first
    for k, c in enumerate(parts):
        if _DENY.search(c) or _LIMIT.search(c) or _EXCEPTION.search(c) or _NEGATIVE.search(c):
            keep.update((k - 1, k) if k else (k,))
    return "，".join(parts[k] for k in sorted(keep)) or text
