"""Figures on a real annotated round (a folder laid out as ``../shared/real-rounds/gwr2025``: ``docs/*.txt``,
``gold.jsonl``, ``themes.json``), per document and overall, on folds of units the model did not learn from.

One gold problem is one item: a predicted issue matches a gold problem when their texts share a run of at least
four characters that covers half of the shorter one (after NFKC, traditional → simplified, no blanks), the rule
``../shared/tools/round_eval.py`` applies. Nothing of these files is copied into the project: they are read here.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from nlp.doc import AnalysisResult

KIND_OF_GOLD = {"gov-work-report": "work_report"}


@dataclass(frozen=True)
class GoldProblem:
    quote: str
    visibility: str
    theme: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class RealDocument:
    name: str
    path: Path
    unit: str
    kind: str
    achievement_heavy: bool
    problems: tuple[GoldProblem, ...]
    spans: tuple[str, ...] = ()  # the passages that discuss problems


@dataclass
class DocumentScore:
    name: str
    gold: int
    predicted: int
    found: int  # gold problems matched by an item
    correct: int  # items matching some gold problem
    merging: int  # items matching several
    visibility_right: int
    visibility_judged: int
    achievement_heavy_right: bool
    kind_right: bool
    unit_right: bool
    misses: list[str] = field(default_factory=list)


def load_real_round(folder: Path) -> list[RealDocument]:
    """The annotated documents of a real round folder, in file order."""
    out = []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        problems = tuple(GoldProblem(p["quote"], p["type"], p["theme"], (p["theme"], *p.get("also_themes", ())))
                         for p in g["problems"])
        out.append(RealDocument(g["doc"], folder / "docs" / g["doc"], g["unit"], KIND_OF_GOLD.get(g["kind"], g["kind"]),
                                bool(g.get("achievement_heavy")), problems, tuple(g.get("problem_spans", ()))))
    return sorted(out, key=lambda d: d.name)


def folds(docs: Sequence[RealDocument], k: int = 2) -> list[list[RealDocument]]:
    """``k`` folds of units, alternating in file order (so each fold spreads over the country)."""
    return [[d for n, d in enumerate(docs) if n % k == j] for j in range(k)]


def _norm(text: str) -> str:
    return "".join(_T2S(unicodedata.normalize("NFKC", text)).split()) if _T2S else "".join(text.split())


try:  # the round scorer normalises traditional to simplified as well
    from opencc import OpenCC as _OpenCC

    _T2S: Callable[[str], str] | None = _OpenCC("t2s").convert
except Exception:  # noqa: BLE001 - without OpenCC the texts are compared as they are
    _T2S = None


def _overlap(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _hit(quote: str, text: str) -> bool:
    o = _overlap(quote, text)
    return o >= 4 and o >= 0.5 * min(len(quote), len(text))


def score_document(doc: RealDocument, result: AnalysisResult) -> DocumentScore:
    """One document's figures against its gold."""
    issues = [(_norm(" ".join(e.text for e in i.evidence) or i.text), i) for i in result.issues
              if i.latent_basis != "omission"]
    quotes = [(_norm(p.quote), p) for p in doc.problems]
    found = vis_ok = vis_n = 0
    misses = []
    for q, p in quotes:
        scored = [(_overlap(q, t), i) for t, i in issues if _hit(q, t)]
        if not scored:
            misses.append(p.quote)
            continue
        found += 1
        best = max(scored, key=lambda x: x[0])[1]
        vis_n += 1
        vis_ok += best.visibility == p.visibility
    hits = [sum(_hit(q, t) for q, _ in quotes) for t, _ in issues]
    return DocumentScore(doc.name, len(quotes), len(issues), found, sum(h > 0 for h in hits), sum(h > 1 for h in hits),
                         vis_ok, vis_n, bool(result.metrics.achievement_heavy) == doc.achievement_heavy,
                         result.document.kind == doc.kind, (result.document.unit or "") == doc.unit, misses)


def summarize(scores: Sequence[DocumentScore]) -> dict[str, Any]:
    """Overall figures of several documents' scores."""
    gold = sum(s.gold for s in scores)
    predicted = sum(s.predicted for s in scores)
    recall = sum(s.found for s in scores) / max(gold, 1)
    precision = sum(s.correct for s in scores) / max(predicted, 1)
    return {
        "documents": len(scores), "gold_problems": gold, "items": predicted,
        "precision": round(precision, 3), "recall": round(recall, 3),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 3),
        "merging_share": round(sum(s.merging for s in scores) / max(predicted, 1), 3),
        "visibility_accuracy": round(sum(s.visibility_right for s in scores)
                                     / max(sum(s.visibility_judged for s in scores), 1), 3),
        "achievement_heavy_accuracy": round(sum(s.achievement_heavy_right for s in scores) / max(len(scores), 1), 3),
        "kind_right": sum(s.kind_right for s in scores), "unit_right": sum(s.unit_right for s in scores),
    }


def evaluate_real(folder: Path, analyze_doc: Callable[[RealDocument, int], AnalysisResult], k: int = 2
                  ) -> dict[str, Any]:
    """Figures per fold (``analyze_doc(doc, fold)`` analyses a document of fold ``fold`` with a model that did
    not learn from that fold's units), per document, and over all folds."""
    docs = load_real_round(folder)
    per_fold, every = [], []
    for j, fold in enumerate(folds(docs, k)):
        scores = [score_document(d, analyze_doc(d, j)) for d in fold]
        per_fold.append({"fold": j + 1, "units": [d.unit for d in fold], **summarize(scores)})
        every += scores
    return {"folder": str(folder), "folds": per_fold, "overall": summarize(every),
            "documents": [{"name": s.name, **summarize([s]), "misses": s.misses} for s in every]}


def format_real(figures: dict[str, Any]) -> str:
    """The figures as a readable table (Chinese headings)."""
    head = f"真实批次 {figures['folder']}（按单位分{len(figures['folds'])}折，每折用未见过该折单位的模型）"
    rows = ["| 范围 | 文件 | 金标问题 | 条目 | 精确率 | 召回率 | F1 | 合并多条占比 | 显/隐准确率 | 成绩多问题少准确率 | 类型正确 | 单位正确 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, f in [*((f"第{x['fold']}折", x) for x in figures["folds"]), ("合计", figures["overall"])]:
        rows.append(f"| {name} | {f['documents']} | {f['gold_problems']} | {f['items']} | {f['precision']:.3f} | "
                    f"{f['recall']:.3f} | {f['f1']:.3f} | {f['merging_share']:.3f} | {f['visibility_accuracy']:.3f} | "
                    f"{f['achievement_heavy_accuracy']:.3f} | {f['kind_right']}/{f['documents']} | "
                    f"{f['unit_right']}/{f['documents']} |")
    docs = ["", "| 文件 | 金标问题 | 条目 | 精确率 | 召回率 | F1 | 合并 | 显/隐 | 类型 | 单位 |", "|---|---|---|---|---|---|---|---|---|---|"]
    for d in figures["documents"]:
        docs.append(f"| {d['name']} | {d['gold_problems']} | {d['items']} | {d['precision']:.2f} | {d['recall']:.2f} | "
                    f"{d['f1']:.2f} | {d['merging_share']:.2f} | {d['visibility_accuracy']:.2f} | "
                    f"{'✓' if d['kind_right'] else '✗'} | {'✓' if d['unit_right'] else '✗'} |")
    test = figures.get("test_split")
    beside = [] if not test else ["", f"同一模型在语料测试集上：问题抽取 P {test['precision']:.3f} R {test['recall']:.3f} "
                                      f"F1 {test['f1']:.3f}；显/隐准确率 {test['visibility_accuracy']:.3f}"]
    return "\n".join([head, "", *rows, *beside, *docs])


def gold_problem_sentences(doc: RealDocument, result: AnalysisResult) -> list[bool]:
    """For each sentence of the analysis: does it hold a gold problem (a quote, or part of one)?"""
    quotes = [_norm(p.quote) for p in doc.problems]
    return [any(_hit(q, _norm(s.text)) for q in quotes) for s in result.sentences]


def sentence_scores(pairs: Sequence[tuple[RealDocument, AnalysisResult, Sequence[str]]]) -> dict[str, float]:
    """Problem-sentence precision, recall and F1 of the classifier's own labels (``labels``, before any reading in
    context) against the sentences that hold gold problems."""
    tp = fp = fn = 0
    for doc, result, labels in pairs:
        for gold, label in zip(gold_problem_sentences(doc, result), labels, strict=True):
            tp += gold and label == "problem"
            fp += (not gold) and label == "problem"
            fn += gold and label != "problem"
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3)}
