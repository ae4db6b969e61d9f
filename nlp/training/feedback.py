"""``prereview train --feedback``: reviewers' corrections (``nlp.feedback``) as training data on top of ``corpora/``.

What each kind of correction teaches:

- ``sentence``: the sentence with its context (part of the report, document kind, position, speaker) and the
  reviewer's label, for the sentence classifier.
- ``issue`` (edited or restored) and ``added_issue``: a row for the issue typer (domain, visibility as hedged or
  not, vague), its answer filling what the machine said; an added issue's text (the document's span, else
  ``answer.text``) and an edited issue's new ``answer.text`` are problem sentences.
- ``issue`` dismissed as not a problem (reason ``not_a_problem`` or 非问题): its text is a non-problem sentence,
  labelled ``answer.label`` when the line gives one (an optional key this module reads), else ``other``. A
  dismissal as a duplicate or as badly worded says nothing about the sentence and teaches nothing.
- ``verdict`` and ``document`` (unit, kind, year) corrections train no model and are only counted.

Corrections are gold written by the office's own reviewers on its own reports, and there are few of them beside
some 3,300 corpus sentences: each is repeated ``weight`` times. Alone they are a one-sided sample (only what was
wrong), so the sentences of the corrected reports that no correction touches come too, with the label the
reviewers saw and left (``confirmed_examples``; ``train --feedback --reports DIR``): without them corrections on
政府工作报告, a kind the corpus lacks, lowered held-out problem-sentence F1; with them it rises
(``benchmarks/RESULTS.md``, "Learning from reviewers' corrections", where the weight mattered little). The
sentence classifier is fitted as ``prereview adapt`` fits it (``fit_adapted``: corpus train + dev, with and
without section roles, plus the extra examples); the issue typer as ``prereview train`` fits it.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.bundle import ModelBundle, load_bundle
from nlp.classify.features import SentenceInput, parsed_inputs
from nlp.classify.sentence_model import SentenceClassifier
from nlp.doc import KINDS, LABELS, AnalysisResult, Label
from nlp.feedback import FeedbackExample, Target
from nlp.glossary import DISMISS_REASONS, EXTRA_DOMAINS
from nlp.segment.parts import read_parts
from nlp.taxonomy import load_taxonomy
from nlp.training.adapt import fit_adapted, report_files
from nlp.training.corpus import load_splits
from nlp.training.corpus.schema import load_documents
from nlp.training.train import fit_issue_typer

SENTENCE_WEIGHT = 5  # repeats of each sentence example (benchmarks/RESULTS.md, "Learning from reviewers' corrections")
ISSUE_WEIGHT = 3  # repeats of each issue-typer row
CONFIRMED_PER_LABEL = 20  # sentences a reviewer left as they were, per corrected report and label
NOT_A_PROBLEM = "not_a_problem"


@dataclass(frozen=True)
class TyperRow:
    """An issue as a reviewer left it; what the reviewer did not say is ``None`` (the base typer's guess fills it)."""

    text: str
    domain: str | None
    hedged: bool | None
    vague: bool | None


@dataclass
class FeedbackData:
    """The training examples of a set of corrections, and what was learned from and what not, by target."""

    inputs: list[SentenceInput] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    rows: list[TyperRow] = field(default_factory=list)
    learned: Counter[str] = field(default_factory=Counter)  # corrections that gave an example, by target
    ignored: Counter[str] = field(default_factory=Counter)  # corrections that gave none, by target

    def summary(self) -> dict[str, Any]:
        """Counts for meta.json and the card."""
        return {"corrections": sum(self.learned.values()) + sum(self.ignored.values()),
                "learned": dict(sorted(self.learned.items())), "ignored": dict(sorted(self.ignored.items())),
                "sentence_examples": dict(sorted(Counter(self.labels).items())), "issue_rows": len(self.rows)}


def _input(example: FeedbackExample, text: str) -> SentenceInput:
    ctx = example.context
    if ctx is None:
        return SentenceInput(text, None, example.document_kind)
    return SentenceInput(text, ctx.part, example.document_kind, ctx.position, ctx.speaker)


def is_not_a_problem(answer: dict[str, Any]) -> bool:
    """A dismissal that says the issue is no problem (by code or by its Chinese word)."""
    return bool(answer.get("dismissed")) and answer.get("reason") in (NOT_A_PROBLEM, DISMISS_REASONS[0])


def _known_domains() -> frozenset[str]:
    return frozenset(d.code for d in load_taxonomy().domains) | frozenset(EXTRA_DOMAINS)


def _typer_row(example: FeedbackExample, text: str, domains: frozenset[str]) -> TyperRow:
    said = {**example.machine, **example.answer}  # what the reviewer left unchanged is the machine's
    domain = said.get("domain") if said.get("domain") in domains else None
    hedged = {"latent": True, "explicit": False}.get(str(said.get("visibility")))
    vague = said.get("vague") if isinstance(said.get("vague"), bool) else None
    return TyperRow(text, domain, hedged, vague)


def feedback_data(examples: Sequence[FeedbackExample]) -> FeedbackData:
    """The training examples the corrections give (see the module's docstring)."""
    data = FeedbackData()
    domains = _known_domains()

    def add(example: FeedbackExample, text: str, label: str) -> None:
        data.inputs.append(_input(example, text))
        data.labels.append(label)

    for ex in examples:
        before = len(data.labels), len(data.rows)
        answer = ex.answer
        if ex.target == Target.SENTENCE and answer.get("label") in LABELS and ex.text.strip():
            add(ex, ex.text, answer["label"])
        elif ex.target == Target.ISSUE and answer.get("dismissed"):
            if is_not_a_problem(answer) and ex.text.strip():
                label = answer.get("label") if answer.get("label") in LABELS else Label.OTHER.value
                add(ex, ex.text, label)
        elif ex.target in (Target.ISSUE, Target.ADDED_ISSUE):
            new_text = str(answer.get("text") or "").strip()
            text = (ex.text.strip() or new_text) if ex.target == Target.ADDED_ISSUE else (new_text or ex.text.strip())
            if text:
                data.rows.append(_typer_row(ex, text, domains))
                if ex.target == Target.ADDED_ISSUE or new_text:
                    add(ex, text, Label.PROBLEM.value)
        learned = (len(data.labels), len(data.rows)) != before
        (data.learned if learned else data.ignored)[str(ex.target)] += 1
    return data


def filled_rows(rows: Sequence[TyperRow], typer: Any) -> list[tuple[str, str, bool, bool]]:
    """(text, domain, hedged, vague) rows, what a correction left open taken from ``typer``'s prediction."""
    guesses = typer.predict([r.text for r in rows]) if rows else []
    return [(r.text, r.domain if r.domain is not None else g[0], r.hedged if r.hedged is not None else bool(g[1]),
             r.vague if r.vague is not None else bool(g[2])) for r, g in zip(rows, guesses, strict=True)]


def confirmed_examples(results: Sequence[AnalysisResult], examples: Sequence[FeedbackExample],
                       cap: int = CONFIRMED_PER_LABEL, seed: int = 0) -> tuple[list[SentenceInput], list[str]]:
    """The sentences of the corrected reports (``results``: their analyses by the bundle the reviewers saw) that no
    correction touches, with the label the machine gave them: at most ``cap`` per report and label, drawn at random.

    Corrections alone are a one-sided sample of a report (only what was wrong). For a kind of report the corpus
    does not hold (政府工作报告), they alone set what the classifier expects of that kind, and a set of mostly
    dismissed problems makes it call nothing a problem there (``benchmarks/RESULTS.md``); the sentences the
    reviewer left as they were say what is right beside them.
    """
    rng = random.Random(seed)
    touched: dict[str | None, list[tuple[int, int]]] = {}
    indexed: dict[str | None, set[int]] = {}
    for ex in examples:
        if ex.context is not None:
            indexed.setdefault(ex.document, set()).add(ex.context.i)
        if ex.start is not None and ex.end is not None:
            touched.setdefault(ex.document, []).append((ex.start, ex.end))
    X: list[SentenceInput] = []
    y: list[str] = []
    for result in results:
        doc = result.document
        if doc.id not in touched and doc.id not in indexed:
            continue
        parts, _ = read_parts(doc.text, result.sections, result.sentences)
        inputs = parsed_inputs(doc.text, doc.kind, result.sections, result.sentences, parts)
        by_label: dict[str, list[SentenceInput]] = {}
        for s, x in zip(result.sentences, inputs, strict=True):
            if s.label is None or s.i in indexed.get(doc.id, ()) \
                    or any(a < s.end and s.start < b for a, b in touched.get(doc.id, ())):
                continue
            by_label.setdefault(str(s.label), []).append(x)
        for label, items in sorted(by_label.items()):
            chosen = items if len(items) <= cap else rng.sample(items, cap)
            X += chosen
            y += [label] * len(chosen)
    return X, y


def reviewed_analyses(folder: Path, examples: Sequence[FeedbackExample], bundle: ModelBundle) -> list[AnalysisResult]:
    """The analyses by ``bundle`` (the one the reviewers saw) of the reports of ``folder`` that corrections are
    about (found by the sha256 of their bytes), each read as the kind the reviewers left it."""
    from nlp.pipeline import analyze

    kinds = {ex.document: ex.document_kind for ex in examples if ex.document}
    out = []
    for path in report_files(folder):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in kinds:
            kind = kinds[digest] if kinds[digest] in KINDS else None
            out.append(analyze(data, path.name, bundle, kind=kind))
    return out


def fit_sentence_model(corpus: Path, data: FeedbackData, weight: int = SENTENCE_WEIGHT, seed: int = 0,
                       confirmed: tuple[list[SentenceInput], list[str]] = ([], [])) -> SentenceClassifier:
    """The sentence classifier fitted on the corpus plus each correction ``weight`` times and the ``confirmed``
    sentences once."""
    return fit_adapted(corpus, (data.inputs * weight + confirmed[0], data.labels * weight + confirmed[1]), seed=seed)


def fit_typer(corpus: Path, data: FeedbackData, base_typer: Any, weight: int = ISSUE_WEIGHT) -> Any:
    """The issue typer refitted on the corpus plus each corrected issue ``weight`` times; ``base_typer`` itself
    when no correction is about an issue."""
    if not data.rows:
        return base_typer
    docs = load_documents(corpus / "annotated")
    splits = load_splits(corpus)
    chosen = [d for d in docs if splits.get(d.id) in ("train", "dev")]
    typer, _, _ = fit_issue_typer(corpus, chosen, filled_rows(data.rows, base_typer) * weight)
    return typer


def feedback_bundle(examples: Sequence[FeedbackExample], base: Path, out: Path, corpus: Path, seed: int = 0,
                    weight: int = SENTENCE_WEIGHT, files: Sequence[Path] = (),
                    reviewed: Sequence[AnalysisResult] = (), cap: int = CONFIRMED_PER_LABEL,
                    log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Write to ``out`` the ``base`` bundle with its sentence classifier and issue typer refitted on ``corpus`` plus
    the corrections (and the sentences left as they were in the ``reviewed`` reports' analyses by ``base``); returns
    what it learned from (also stored in its meta.json under ``feedback``)."""
    import joblib

    data = feedback_data(examples)
    confirmed = confirmed_examples(reviewed, examples, cap=cap, seed=seed)
    learned = {"files": [str(p) for p in files], "base": str(base), "seed": seed, "sentence_weight": weight,
               "issue_weight": ISSUE_WEIGHT, **data.summary(), "reviewed_reports": len(reviewed),
               "confirmed_per_label": cap, "confirmed": dict(sorted(Counter(confirmed[1]).items()))}
    log(f"审核更正：共{learned['corrections']}条，用于训练{sum(data.learned.values())}条：句子{len(data.labels)}句"
        f"{learned['sentence_examples']}，问题分类{len(data.rows)}条；另有{len(reviewed)}份已审报告中未更正的句子"
        f"{len(confirmed[1])}句")
    model = fit_sentence_model(corpus, data, weight=weight, seed=seed, confirmed=confirmed)
    typer = fit_typer(corpus, data, load_bundle(base).issue_typer)
    tmp = out.with_name(out.name + ".feedback")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(base, tmp, ignore=shutil.ignore_patterns("*.lock"))
    joblib.dump(model, tmp / "sentence_sklearn.joblib", compress=3)
    joblib.dump(typer, tmp / "issue_typer.joblib", compress=3)
    meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    meta["name"] = out.name
    meta["feedback"] = learned
    meta.pop("feedback_metrics", None)  # the base's figures are not this bundle's
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return learned


def format_before_after(before: dict[str, Any], after: dict[str, Any], real_before: dict[str, Any] | None = None,
                        real_after: dict[str, Any] | None = None) -> str:
    """The corpus test split (and a real round's) figures before and after learning from corrections."""
    rows = ["| 指标 | 更正前 | 更正后 |", "|---|---|---|"]
    b, a = before["test"], after["test"]
    for name, get in (("语料测试集 句子宏平均F1", lambda r: r["sentences"]["macro_f1"]),
                      ("语料测试集 问题抽取精确率", lambda r: r["issue_extraction"]["precision"]),
                      ("语料测试集 问题抽取召回率", lambda r: r["issue_extraction"]["recall"]),
                      ("语料测试集 问题抽取F1", lambda r: r["issue_extraction"]["f1"]),
                      ("语料测试集 显/隐准确率", lambda r: r["visibility_accuracy"]),
                      ("语料测试集 领域准确率", lambda r: r["domain_accuracy"])):
        rows.append(f"| {name} | {get(b):.3f} | {get(a):.3f} |")
    if real_before and real_after:
        for name, get in (("真实批次 问题F1", lambda r: r["overall"]["f1"]),
                          ("真实批次 问题精确率", lambda r: r["overall"]["precision"]),
                          ("真实批次 问题召回率", lambda r: r["overall"]["recall"]),
                          ("真实批次 显/隐准确率", lambda r: r["overall"]["visibility_accuracy"]),
                          ("真实批次 问题句F1（句子分类器）", lambda r: r["sentences"]["f1"])):
            rows.append(f"| {name} | {get(real_before):.3f} | {get(real_after):.3f} |")
    return "\n".join(rows)
