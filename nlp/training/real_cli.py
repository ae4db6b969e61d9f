"""What ``prereview evaluate --real`` and ``prereview adapt`` run: figures on a real round, by folds of units, for a
bundle and for bundles adapted without each fold."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nlp.bundle import ModelBundle
from nlp.classify.features import parsed_inputs
from nlp.doc import AnalysisResult
from nlp.pipeline import analyze, parse
from nlp.segment.parts import read_parts
from nlp.training.adapt import MAX_PER_LABEL, fit_adapted, weak_examples
from nlp.training.real import RealDocument, evaluate_real, folds, load_real_round, sentence_scores
from nlp.training.real_round import format_round, round_figures


def classifier_labels(bundle: ModelBundle, doc: RealDocument) -> list[str]:
    """The sentence classifier's own labels of a document (before labels are read in context)."""
    parsed = parse(doc.path.read_bytes(), doc.name)
    parts, _ = read_parts(parsed.document.text, parsed.sections, parsed.sentences)
    inputs = parsed_inputs(parsed.document.text, parsed.document.kind, parsed.sections, parsed.sentences, parts)
    return [str(x) for x in bundle.sentence_model.predict(inputs)] if inputs else []


def fold_bundles(bundle: ModelBundle, folder: Path, corpus: Path, k: int = 2, seed: int = 0, cap: int = MAX_PER_LABEL,
                 log: Callable[[str], None] = print) -> list[ModelBundle]:
    """For each fold, ``bundle`` with its sentence classifier adapted on the reports of the other folds only."""
    out = []
    for j, fold in enumerate(folds(load_real_round(folder), k)):
        held = {d.name for d in fold}
        others = [d.path for d in load_real_round(folder) if d.name not in held]
        X, y, _ = weak_examples(others, seed=seed, cap=cap)
        log(f"第{j + 1}折：由其余{len(others)}份报告的{len(y)}句弱标注适配")
        out.append(dataclasses.replace(bundle, sentence_model=fit_adapted(corpus, (X, y), seed=seed)))
    return out


def real_figures(folder: Path, bundles: list[ModelBundle], k: int = 2) -> dict[str, Any]:
    """Issue figures (``nlp.training.real.evaluate_real``) and the classifier's problem-sentence figures, each
    fold analysed with ``bundles[fold]`` (one bundle for all folds when given one)."""
    pick = (lambda j: bundles[j]) if len(bundles) == k else (lambda j: bundles[0])
    analysed: list[tuple[RealDocument, AnalysisResult, list[str]]] = []

    def analyze_doc(doc: RealDocument, j: int) -> AnalysisResult:
        result = analyze(doc.path.read_bytes(), doc.name, pick(j))
        analysed.append((doc, result, classifier_labels(pick(j), doc)))
        return result

    figures = evaluate_real(folder, analyze_doc, k)
    figures["sentences"] = sentence_scores(analysed)
    by_name = {doc.name: (doc, result) for doc, result, _ in analysed}
    figures["round"] = round_figures([by_name[d.name] for d in load_real_round(folder)], bundles[0])
    return figures


def format_sentences(figures: dict[str, Any]) -> str:
    s = figures["sentences"]
    line = f"句子分类器（未结合上下文）问题句：精确率 {s['precision']:.3f}，召回率 {s['recall']:.3f}，F1 {s['f1']:.3f}"
    return line + ("\n" + format_round(figures["round"]) if "round" in figures else "")
