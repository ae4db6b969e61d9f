"""Does the model learn from reviewers' corrections? A reviewer simulated on a real round (issue #18 part 3).

Run by hand: ``python benchmarks/feedback_loop.py [--round ../shared/real-rounds/gwr2025] [--seeds 0 1]
[--counts 0 5 10 15] [--weight 5] [--cap 20] [--issue-weight 3]``.

The round's provinces are split in two halves by a seeded shuffle. Each report of the *corrected* half is analysed
by the default bundle and a simulated reviewer corrects it from the gold alone (``nlp.training.real_feedback``);
the corrections are written and read back as feedback lines (``nlp.feedback``). The sentence classifier and the
issue typer are refitted on ``corpora/`` plus the corrections of the first 0, 5, 10, 15 corrected reports and the
sentences the reviewer left as they were in those reports (``--cap`` per report and label; as ``prereview train
--feedback --reports DIR`` does) and measured on the *other* half only: issue F1 of the round scorer, the
classifier's own problem-sentence F1 (before any reading in context), and the corpus test split (issue extraction
F1, sentence macro-F1) to see that the corpus does not get worse. Each seed is run both ways round (A corrects,
B is measured; then B corrects, A is measured); the table gives the mean over runs and the range.

Nothing of the real round is written into the project: the reports are read at run time, the corrections go to a
temporary folder (``--keep DIR`` to keep them).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.bundle import ModelBundle, load_bundle  # noqa: E402
from nlp.doc import AnalysisResult  # noqa: E402
from nlp.feedback import FeedbackExample, read_feedback, write_feedback  # noqa: E402
from nlp.pipeline import analyze  # noqa: E402
from nlp.training.corpus import default_corpus_dir  # noqa: E402
from nlp.training.evaluate import evaluate_bundle  # noqa: E402
from nlp.training.feedback import (  # noqa: E402
    CONFIRMED_PER_LABEL,
    ISSUE_WEIGHT,
    SENTENCE_WEIGHT,
    confirmed_examples,
    feedback_data,
    fit_sentence_model,
    fit_typer,
)
from nlp.training.real import RealDocument, load_real_round, score_document, sentence_scores, summarize  # noqa: E402
from nlp.training.real_cli import classifier_labels  # noqa: E402
from nlp.training.real_feedback import quote_spans, reviewer_corrections  # noqa: E402

ROUND = Path(__file__).resolve().parents[2] / "shared" / "real-rounds" / "gwr2025"


def corrections(docs: list[RealDocument], bundle: ModelBundle, folder: Path
                ) -> tuple[dict[str, list[FeedbackExample]], dict[str, AnalysisResult]]:
    """Each unit's corrections, written as feedback lines and read back, and the analysis the reviewer saw."""
    path = folder / "corrections.jsonl"
    seen = {d.unit: analyze(d.path.read_bytes(), d.name, bundle) for d in docs}
    write_feedback([ex for d in docs for ex in reviewer_corrections(d, seen[d.unit])], path)
    by_unit: dict[str, list[FeedbackExample]] = {d.unit: [] for d in docs}
    for ex in read_feedback([path]):
        by_unit[ex.unit or ""].append(ex)
    return by_unit, seen


def holding_scores(pairs: list[tuple[RealDocument, AnalysisResult, list[str]]]) -> float:
    """Problem-sentence F1 of the classifier's own labels against the sentences a gold quote overlaps word for word
    (the simulated reviewer's rule; ``sentence_scores`` also counts sentences that echo a quote's words)."""
    tp = fp = fn = 0
    for doc, result, labels in pairs:
        spans = quote_spans(doc, result.document.text)
        for s, label in zip(result.sentences, labels, strict=True):
            gold = any(a < s.end and s.start < b for a, b in spans)
            tp += gold and label == "problem"
            fp += (not gold) and label == "problem"
            fn += gold and label != "problem"
    return round(2 * tp / max(2 * tp + fp + fn, 1), 3)


def measure(bundle: ModelBundle, held: list[RealDocument], corpus: Path) -> dict[str, float]:
    pairs, scores = [], []
    for d in held:
        result = analyze(d.path.read_bytes(), d.name, bundle)
        scores.append(score_document(d, result))
        pairs.append((d, result, classifier_labels(bundle, d)))
    real, sent = summarize(scores), sentence_scores(pairs)
    holding = holding_scores(pairs)
    test = evaluate_bundle(bundle, corpus, splits=("test",), with_round=False)["test"]
    return {"sentence_f1": sent["f1"], "sentence_p": sent["precision"], "sentence_r": sent["recall"],
            "holding_f1": holding,
            "issue_f1": real["f1"], "issue_p": real["precision"], "issue_r": real["recall"],
            "visibility": real["visibility_accuracy"], "corpus_issue_f1": test["issue_extraction"]["f1"],
            "corpus_macro_f1": test["sentences"]["macro_f1"], "corpus_visibility": test["visibility_accuracy"]}


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    docs = load_real_round(args.round)
    base = load_bundle()
    corpus = default_corpus_dir()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="feedback-loop-"))
    folder.mkdir(parents=True, exist_ok=True)
    by_unit, seen = corrections(docs, base, folder)
    every = [ex for exs in by_unit.values() for ex in exs]
    print(f"{len(every)} corrections over {len(docs)} reports: "
          f"{dict(sorted(feedback_data(every).summary()['learned'].items()))}", file=sys.stderr)
    rows = []
    for seed in args.seeds:
        units = sorted(by_unit)
        random.Random(seed).shuffle(units)
        half = (len(units) + 1) // 2
        for way, (corrected, held_units) in enumerate(((units[:half], units[half:]), (units[half:], units[:half]))):
            held = [d for d in docs if d.unit in held_units]
            fitted: dict[int, dict[str, float]] = {}
            for n in args.counts:
                m = min(n, len(corrected))
                if m not in fitted:
                    t = time.perf_counter()
                    examples = [ex for u in corrected[:m] for ex in by_unit[u]]
                    bundle = base
                    if examples:
                        data = feedback_data(examples)
                        confirmed = ([], []) if args.cap == 0 else \
                            confirmed_examples([seen[u] for u in corrected[:m]], examples, cap=args.cap)
                        model = fit_sentence_model(corpus, data, weight=args.weight, confirmed=confirmed)
                        bundle = dataclasses.replace(
                            base, sentence_model=model,
                            issue_typer=fit_typer(corpus, data, base.issue_typer, weight=args.issue_weight))
                    fitted[m] = {**measure(bundle, held, corpus), "corrections": len(examples)}
                    print(f"seed {seed} way {way} n {m}: {fitted[m]} ({time.perf_counter() - t:.0f} s)",
                          file=sys.stderr)
                rows.append({"seed": seed, "way": way, "n": n, "reports": m, **fitted[m]})
    return rows


COLUMNS = (("sentence_f1", "problem-sentence F1 (classifier)"), ("sentence_p", "its P"), ("sentence_r", "its R"),
           ("holding_f1", "quote-holding sentence F1"),
           ("issue_f1", "issue F1"), ("visibility", "explicit/latent acc."),
           ("corpus_issue_f1", "corpus test issue-extraction F1"), ("corpus_macro_f1", "corpus test sentence macro-F1"))


def table(rows: list[dict[str, Any]]) -> str:
    """Mean over runs, range in brackets; the gain of problem-sentence F1 over the same run's 0 reports."""
    base = {(r["seed"], r["way"]): r for r in rows if r["n"] == 0}
    out = ["| corrected reports | corrections | " + " | ".join(c[1] for c in COLUMNS) + " | sentence-F1 gain |",
           "|---" * (len(COLUMNS) + 3) + "|"]
    for n in sorted({r["n"] for r in rows}):
        sel = [r for r in rows if r["n"] == n]
        cells = [f"{statistics.mean(r[k] for r in sel):.3f} ({min(r[k] for r in sel):.3f}–{max(r[k] for r in sel):.3f})"
                 for k, _ in COLUMNS]
        gains = [r["sentence_f1"] - base[(r["seed"], r["way"])]["sentence_f1"] for r in sel
                 if (r["seed"], r["way"]) in base]
        gain = f"{statistics.mean(gains):+.3f} ({min(gains):+.3f}…{max(gains):+.3f})" if gains else "–"
        used = statistics.mean(r["corrections"] for r in sel)
        out.append(f"| {n} | {used:.0f} | " + " | ".join(cells) + f" | {gain} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--round", type=Path, default=ROUND)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 5, 10, 15])
    parser.add_argument("--weight", type=int, default=SENTENCE_WEIGHT, help="repeats of each sentence example")
    parser.add_argument("--cap", type=int, default=CONFIRMED_PER_LABEL,
                        help="sentences left as they were, per corrected report and label (0: corrections only)")
    parser.add_argument("--issue-weight", type=int, default=ISSUE_WEIGHT, help="repeats of each issue-typer row")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the simulated corrections in")
    args = parser.parse_args()
    if not (args.round / "gold.jsonl").exists():
        sys.exit(f"real round absent: {args.round}")
    t = time.perf_counter()
    rows = run(args)
    print(f"sentence weight {args.weight}, confirmed per report and label {args.cap}, issue weight "
          f"{args.issue_weight}, seeds {args.seeds} × both ways; {time.perf_counter() - t:.0f} s")
    print(table(rows))


if __name__ == "__main__":
    main()
