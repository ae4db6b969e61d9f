"""Link each issue to the measure in the same document that answers it.

A measure answers a problem when it takes up the problem's content, not when it merely shares a word: the two
must share two of the problem's content words (or one term of four or more characters, such as 村规民约, or
what is most of the problem's content), those words must make
up a real part of the measure, and the link is scored by how much of the problem's content, weighted by how
rare each word is among the document's sentences, the measure covers. Content words are jieba tokens without
the generic words of any report (加强, 工作, 机制, 进一步, 短板…), so “持续加强学习” answers nothing by itself.

Calibrated on the train and dev splits' gold links (``prereview evaluate`` prints the link precision and
recall). The order of listed items counts too (一是…二是… answered by 一是…二是…); the nearness of a measure to
its problem was measured and did not help on those splits, so it is not used.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence

from nlp.doc import Issue, Sentence, Span
from nlp.segment.tokens import jieba_tokenizer
from nlp.taxonomy import load_taxonomy

# fmt: off
# Tuned on the train and dev splits' gold links (the test split and the held-out style only measured).
MIN_SCORE = 0.30        # coverage + density + bonuses of the best measure
MIN_DENSITY = 0.06      # share of the measure's Han characters in words of the problem
CUE_BONUS = 0.2         # the same domain by the taxonomy's cue words
ORDER_BONUS = 0.1       # the k-th listed problem answered by the k-th listed measure (一是…二是… to 一是…二是…)
SOLE_COVERAGE = 0.6     # one shared word is enough when it is most of the problem's content (司法所 in 司法所力量薄弱)
LONG_TERM = 4           # characters: a shared term this long (村规民约) is content enough alone
MIN_MEASURE_CHARS = 8
GENERIC = frozenset("""
进一步 加强 工作 推进 落实 建立 健全 完善 制度 机制 全面 持续 下一步 我们 切实 认真 提高 能力 水平 问题 存在 不够 不足
有待 提升 深入 严格 强化 推动 开展 做好 确保 不断 继续 还 需要 方面 情况 有的 部分 一些 个别 相关 有关 进行 还有
仍然 依然 尚未 比较 不到位 到位 不高 不强 不严 不多 薄弱 欠缺 缺乏 较弱 明显 突出 今年 明年 年度 全年 同时 加大 力度
重视 注重 坚持 着力 积极 主动 有效 努力 大力 扎实 全力 各项 各类 建设 管理 服务 发展 难题 短板 矛盾 压力 困难 挑战
领域 重点 质量 高质量 体系 效能 增长 不均衡 不平衡 不充分 较为 仍需 还需 仍是 巩固 成效 优化 改进 完成 亟待 单位
只有 力量 一步 其中
""".split())
# fmt: on
_HAN = re.compile(r"[\u4e00-\u9fff]")
_N = "一二三四五六七八九十"
_ORDINAL = re.compile(rf"^(?:[{_N}]+是|第[{_N}]+|其[{_N}])$")  # a token such as 一是 or 第二: a place, not content
_ITEM = re.compile(rf"^\s*(?:([{_N}]+)是|第([{_N}]+)[，、]|[（(]([{_N}\d]+)[)）]|(\d+)[.、．])")  # 一是 （二） 3.


def content_words(text: str) -> set[str]:
    """The text's jieba tokens of two or more characters with a Han character, without the generic words (nor
    a token made of two of them, such as 巩固提升)."""
    out = set()
    for word in jieba_tokenizer().lcut(text, HMM=False):
        if len(word) < 2 or not _HAN.search(word) or word in GENERIC or _ORDINAL.match(word):
            continue
        if any(word[:k] in GENERIC and word[k:] in GENERIC for k in range(2, len(word) - 1)):
            continue
        out.add(word)
    return out


def _cues(text: str) -> set[str]:
    return {d.code for d in load_taxonomy().domains if any(c in text for c in (*d.cues, *d.subs))}


def item_number(text: str) -> str | None:
    """The numeral of a listed item's marker (一是 → 一, （二） → 二, 3. → 3), None when the text is not an item."""
    m = _ITEM.match(text)
    return next((g for g in m.groups() if g), None) if m else None


def _outermost(words: set[str]) -> set[str]:
    """Words not inside another of them (执法 inside 执法记录仪 counts once)."""
    return {w for w in words if not any(w != v and w in v for v in words)}


def link_score(words: dict[str, float], measure: str, shared: set[str] | None = None) -> float | None:
    """How well ``measure`` takes up a problem's content words (word → weight); None when it does not address
    them at all: fewer than two shared words, no shared term of ``LONG_TERM`` characters and less than
    ``SOLE_COVERAGE`` of the problem's content, or too small a part of the measure. ``shared``: the words of
    ``words`` in ``measure``, when known."""
    shared = {w for w in words if w in measure} if shared is None else shared
    coverage = sum(words[w] for w in shared) / sum(words.values())
    outer = _outermost(shared)
    if len(outer) < 2 and not any(len(w) >= LONG_TERM for w in outer) and coverage < SOLE_COVERAGE:
        return None
    density = sum(len(w) for w in outer) / max(1, len(_HAN.findall(measure)))
    if density < MIN_DENSITY:
        return None
    return coverage + density


def match_measures(issues: Sequence[Issue], sentences: Sequence[Sentence],
                   min_score: float = MIN_SCORE) -> list[Issue]:
    """Issues with ``measure`` set to the best-answering measure sentence, or None when none scores
    ``min_score``."""
    measures = [s for s in sentences if s.label == "measure" and len(s.text) >= MIN_MEASURE_CHARS]
    if not measures:
        return list(issues)
    whole = "\n".join(s.text for s in sentences)
    starts = list(itertools.accumulate((len(s.text) + 1 for s in sentences[:-1]), initial=0))
    idf: dict[str, float] = {}

    def weight(word: str) -> float:  # rarer among the document's sentences, more telling
        if word not in idf:
            found, at = set(), whole.find(word)
            while at >= 0:
                found.add(bisect.bisect_right(starts, at))
                at = whole.find(word, at + 1)
            idf[word] = math.log((len(sentences) + 1) / (len(found) + 1)) + 1
        return idf[word]

    measure_cues: dict[int, set[str]] = {}  # looked up for the candidates only
    out = []
    for issue in issues:
        text = " ".join(e.text for e in issue.evidence) or issue.text
        words = {w: weight(w) for w in content_words(text)}
        cues = _cues(text) | {issue.domain}
        item = item_number(issue.evidence[0].text) if issue.evidence else None
        shared: dict[int, set[str]] = {}  # measure → the problem's words in it; only these are candidates
        for w in words:
            for k, m in enumerate(measures):
                if w in m.text:
                    shared.setdefault(k, set()).add(w)
        best, best_score = None, 0.0
        for k, found in shared.items():
            m = measures[k]
            score = link_score(words, m.text, found)
            if score is None:
                continue
            if k not in measure_cues:
                measure_cues[k] = _cues(m.text)
            score += CUE_BONUS if cues & measure_cues[k] else 0.0
            score += ORDER_BONUS if item is not None and item == item_number(m.text) else 0.0
            if score > best_score:
                best, best_score = m, score
        measure = Span(start=best.start, end=best.end, text=best.text) if best and best_score >= min_score else None
        out.append(issue.model_copy(update={"measure": measure}))
    return out
