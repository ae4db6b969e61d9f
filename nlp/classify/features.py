"""Features for the sentence classifier: characters, jieba words, and the sentence's place in the report.

Everything here is a module-level class or function so that fitted pipelines pickle (no lambdas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.doc import Kind, SectionRole
from nlp.segment.enumeration import ENUMERATION_FEATURE

if TYPE_CHECKING:
    from nlp.doc import Section, Sentence

ROLES = (*SectionRole, None)
# every kind has its column: a 政府工作报告's sentences (``prereview adapt``) must not be read as another genre's
KINDS = tuple(Kind)

# fmt: off
CUES = {
    "problem": ("不够", "不足", "有待", "欠缺", "薄弱", "滞后", "不到位", "差距", "短板", "仍然", "个别", "还存在", "仍存在",
                "不强", "不高", "不严", "不规范", "不全面", "不及时", "不平衡", "较弱", "偏少", "偏低", "缺乏", "未能", "尚未",
                "没有", "流于形式", "提升空间", "问题", "不同程度", "弱项", "短处", "困难", "风险", "隐患", "瑕疵"),
    "measure":  ("下一步", "将", "持续", "进一步", "着力", "力争", "确保", "计划", "拟", "要", "今后", "加快", "推动", "年底前",
                 "月底前", "以前", "整改", "建立健全", "抓好", "切实"),
    "cause":    ("原因", "究其", "主要是", "根源", "根子", "之所以", "主观上", "客观上", "所致", "导致", "造成", "认识不到位",
                 "重视不够", "在于"),
    "achievement": ("全面", "实现", "完成", "达到", "建成", "推行", "开展", "办理", "累计", "同比", "提高", "下降", "成效",
                    "取得", "获评", "首次", "率先", "均", "全部", "100%"),
}
# fmt: on
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class SentenceInput:
    """What the classifier sees of one sentence: its text and where it stands."""

    text: str
    role: str | None = None  # the role of the section it is in (from the heading)
    kind: str = "other"
    position: float = 0.0  # 0 at the start of the document, 1 at the end
    speaker: str | None = None


def parsed_inputs(text: str, kind: str, sections: tuple[Section, ...] | list[Section],
                  sentences: tuple[Sentence, ...] | list[Sentence],
                  parts: list[str | None] | None = None) -> list[SentenceInput]:
    """Classifier inputs for a parsed document: each sentence with the part of the report it stands in
    (``nlp.segment.parts``; ``nlp.training.data.document_inputs`` reads the corpus the same way)."""
    from nlp.segment.parts import sentence_parts

    n = max(len(text), 1)
    parts = sentence_parts(text, sections, sentences) if parts is None else parts
    return [SentenceInput(s.text, part, kind, s.start / n, s.speaker) for s, part in zip(sentences, parts, strict=True)]


def texts(items: list[SentenceInput]) -> list[str]:
    return [x.text for x in items]


class JiebaTokenizer:
    """jieba word tokenizer for TfidfVectorizer; drops the heavy jieba state when pickled."""

    def __call__(self, text: str) -> list[str]:
        from nlp.segment.tokens import words

        return list(words(text))

    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        pass


class TextColumn(BaseEstimator, TransformerMixin):
    """Select the sentence text for a text vectorizer."""

    def fit(self, X: list[SentenceInput], y: object = None) -> TextColumn:
        return self

    def transform(self, X: list[SentenceInput]) -> list[str]:
        return texts(X)


class ContextFeatures(BaseEstimator, TransformerMixin):
    """Section role, document kind, position, length, numbers, enumeration and cue-word counts."""

    def fit(self, X: list[SentenceInput], y: object = None) -> ContextFeatures:
        return self

    def transform(self, X: list[SentenceInput]) -> sparse.csr_matrix:
        rows = [self._row(x) for x in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32))

    @staticmethod
    def _row(x: SentenceInput) -> list[float]:
        text = x.text
        found = [0] * len(CUES)  # how many of each group's cue words occur, as sum(c in text for c in words)
        for first in _CUE_FIRSTS.intersection(text):  # only words whose first character occurs can
            for group, cue in _CUES_BY_FIRST[first]:
                if cue in text:
                    found[group] += 1
        cues = [min(n, 3) / 3 for n in found]
        question = 1.0 if text.endswith(("？", "?")) or text.startswith(("问：", "问:")) else 0.0
        return [*_ROLE_ONE_HOT.get(x.role, _NO_ROLE), *_KIND_ONE_HOT.get(x.kind, _NO_KIND), *cues, x.position,
                min(len(text), 200) / 200, 1.0 if _NUMBER.search(text) else 0.0,
                1.0 if ENUMERATION_FEATURE.match(text) else 0.0, 1.0 if text.endswith("：") else 0.0, question]


# cue words by first character, and the one-hot parts of a row, built once
_CUES_BY_FIRST: dict[str, list[tuple[int, str]]] = {}
for _group, _words in enumerate(CUES.values()):
    for _cue in _words:
        _CUES_BY_FIRST.setdefault(_cue[0], []).append((_group, _cue))
_CUE_FIRSTS = frozenset(_CUES_BY_FIRST)
_ROLE_ONE_HOT = {r: [1.0 if r == q else 0.0 for q in ROLES] for r in ROLES}
_NO_ROLE = [0.0] * len(ROLES)
_KIND_ONE_HOT = {k: [1.0 if k == q else 0.0 for q in KINDS] for k in KINDS}
_NO_KIND = [0.0] * len(KINDS)
