"""``prereview adapt FOLDER``: improve a bundle's sentence classifier from a folder of real reports, without labels.

A reviewing office's archive has no sentence labels, but its reports have structure: a paragraph that a problem
lead-in opens (“清醒看到…主要是：”) lists problems, the part a tasks heading opens lists measures, a cause lead-in
gives causes, and the review part gives achievements (``nlp.segment.parts``). Those parts give weak labels; the
classifier is fitted again on ``corpora/`` (train + dev) plus the weak examples, each capped per document and
label so that a few long reports do not drown the corpus. The adapted bundle keeps the base bundle's issue typer,
encoder and policy; its ``meta.json`` and card say what it learned from.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from nlp.classify.features import SentenceInput, parsed_inputs
from nlp.classify.sentence_model import SentenceClassifier
from nlp.errors import PrereviewError
from nlp.extract.clauses import clause_spans, states_problem
from nlp.pipeline import parse
from nlp.segment.parts import read_parts
from nlp.training.corpus import load_splits
from nlp.training.corpus.schema import load_documents
from nlp.training.data import corpus_inputs

logger = logging.getLogger(__name__)

PART_LABELS = {"achievements": "achievement", "causes": "cause", "measures": "measure"}
MAX_PER_LABEL = 20  # weak examples per document and label: more drowns the corpus (held-out real F1 0.588 at 20)
SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")


def report_files(folder: Path) -> list[Path]:
    """The reports of a folder (its ``docs/`` subfolder when there is one), in name order."""
    root = folder / "docs" if (folder / "docs").is_dir() else folder
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def weak_examples(paths: Iterable[Path], seed: int = 0, cap: int = MAX_PER_LABEL
                  ) -> tuple[list[SentenceInput], list[str], dict[str, Any]]:
    """(inputs, weak labels, what was read) from the parts of each report; a file that cannot be read is skipped
    and counted."""
    rng = random.Random(seed)
    inputs: list[SentenceInput] = []
    labels: list[str] = []
    read, skipped = 0, 0
    for path in paths:
        try:
            parsed = parse(path.read_bytes(), path.name)
        except PrereviewError as err:
            logger.warning("adapt: %s skipped (%s)", path.name, err.code)
            skipped += 1
            continue
        read += 1
        doc = parsed.document
        parts, listing = read_parts(doc.text, parsed.sections, parsed.sentences)
        x = parsed_inputs(doc.text, doc.kind, parsed.sections, parsed.sentences, parts)
        by_label: dict[str, list[SentenceInput]] = {}
        for s, part, inp in zip(parsed.sentences, parts, x, strict=True):
            label = _weak_label(s.i, s.text, part, listing)
            if label is not None:
                by_label.setdefault(label, []).append(inp)
        for label, items in sorted(by_label.items()):
            chosen = items if len(items) <= cap else rng.sample(items, cap)
            inputs += chosen
            labels += [label] * len(chosen)
    counts = Counter(labels)
    return inputs, labels, {"documents": read, "skipped": skipped, "weak_labels": dict(sorted(counts.items()))}


def _weak_label(i: int, text: str, part: str | None, listing: frozenset[int]) -> str | None:
    if i in listing:  # a problems paragraph: what states a problem is one; its lead-in sentence teaches nothing
        return "problem" if any(states_problem(text[a:b]) for a, b in clause_spans(text)) else None
    return PART_LABELS.get(part or "")


def fit_adapted(corpus: Path, weak: tuple[list[SentenceInput], list[str]], seed: int = 0) -> SentenceClassifier:
    """The sentence classifier fitted on the corpus (train + dev, with and without section roles, as ``prereview
    train`` does) plus the weak examples."""
    docs = load_documents(corpus / "annotated")
    splits = load_splits(corpus)
    X, y, _ = corpus_inputs([d for d in docs if splits.get(d.id) in ("train", "dev")])
    X, y = X + [replace(x, role=None) for x in X], y + y
    return SentenceClassifier(random_state=seed).fit(X + weak[0], y + weak[1])


def adapt_bundle(folder: Path, base: Path, out: Path, corpus: Path, seed: int = 0, cap: int = MAX_PER_LABEL,
                 files: list[Path] | None = None, log: Callable[[str], None] = logger.info) -> dict[str, Any]:
    """Write to ``out`` the ``base`` bundle with its sentence classifier refitted on ``corpus`` plus weak labels
    from the reports of ``folder`` (or ``files`` of it); returns what it learned from."""
    import joblib

    paths = files if files is not None else report_files(folder)
    X, y, read = weak_examples(paths, seed=seed, cap=cap)
    log(f"弱标注：读取{read['documents']}份报告（跳过{read['skipped']}份），得到{len(y)}句：{read['weak_labels']}")
    model = fit_adapted(corpus, (X, y), seed=seed)
    tmp = out.with_name(out.name + ".adapting")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(base, tmp, ignore=shutil.ignore_patterns("*.lock"))
    joblib.dump(model, tmp / "sentence_sklearn.joblib", compress=3)
    learned = {"folder": str(folder), "files": [p.name for p in paths], "seed": seed, "per_report": cap,
               "base": str(base), **read}
    meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    meta["adapted"] = learned
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return learned
