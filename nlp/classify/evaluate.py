"""``prereview evaluate``: the bundle measured on the test split and the held-out style.

Sentence roles are scored on the gold sentences; issues, typing and verdicts through the full pipeline on
each document's text, exactly as a user's file would go.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from nlp.bundle import ModelBundle
from nlp.classify.data import corpus_inputs
from nlp.cluster.duplicates import shingles
from nlp.corpus import load_splits
from nlp.corpus.schema import AnnotatedDocument, load_documents
from nlp.doc import LABELS
from nlp.errors import PrereviewError
from nlp.pipeline import analyze

REPORT_KINDS = ("shufa_report", "annual_report", "self_report", "rectification_report")


def sentence_scores(bundle: ModelBundle, docs: list[AnnotatedDocument]) -> dict[str, Any]:
    X, y, _ = corpus_inputs(docs)
    proba = bundle.sentence_model.predict_proba(X)
    pred = bundle.sentence_model.classes_[np.argmax(proba, axis=1)]
    labels = sorted(LABELS)
    p, r, f, n = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    return {
        "sentences": len(y),
        "per_class": {lab: {"precision": round(float(p[k]), 4), "recall": round(float(r[k]), 4),
                            "f1": round(float(f[k]), 4), "support": int(n[k])} for k, lab in enumerate(labels)},
        "macro_f1": round(float(np.mean(f)), 4),
        "accuracy": round(float(np.mean(np.array(y) == pred)), 4),
        "confusion": {"labels": labels, "matrix": confusion_matrix(y, pred, labels=labels).tolist()},
    }


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def document_scores(bundle: ModelBundle, docs: list[AnnotatedDocument], reference: list[tuple[str, frozenset[int]]]
                    ) -> dict[str, Any]:
    """Verdict agreement, issue extraction F1 (span overlap), domain / visibility / vague accuracy."""
    verdicts: list[tuple[str, str]] = []
    tp = fp = fn = 0
    typing = Counter()
    errors = []
    for doc in docs:
        try:
            # a report is compared with those submitted before it (corpus order), as in a round
            earlier = [r for r in reference if r[0] < f"{doc.id}.txt"]
            result = analyze(doc.text.encode("utf-8"), f"{doc.id}.txt", bundle, kind=doc.kind, unit=doc.unit,
                             year=doc.year, reference=earlier)
        except PrereviewError as err:
            errors.append(f"{doc.id}: {err.code}")
            continue
        if doc.kind in REPORT_KINDS:
            verdicts.append((doc.verdict, result.verdict.decision))
        gold = [i for i in doc.issues if i.evidence]
        # issues the system states with evidence: from problem sentences and from breached indicators
        pred = [i for i in result.issues if i.evidence and i.latent_basis != "omission"]
        gold_spans = [[(e.start, e.end) for e in i.evidence] for i in gold]
        matched_gold: set[int] = set()
        for issue in pred:
            spans = [(e.start, e.end) for e in issue.evidence]
            hit = next((k for k, g in enumerate(gold_spans) if k not in matched_gold
                        and any(_overlap(a, b) for a in spans for b in g)), None)
            if hit is None:
                fp += 1
                continue
            tp += 1
            matched_gold.add(hit)
            g = gold[hit]
            typing["n"] += 1
            typing["domain"] += issue.domain == g.domain
            typing["visibility"] += issue.visibility == g.visibility
            typing["vague"] += issue.vague == g.vague
        fn += len(gold) - len(matched_gold)
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    n = max(typing["n"], 1)
    agreement = sum(g == p for g, p in verdicts) / max(len(verdicts), 1)
    return {
        "documents": len(docs), "errors": errors,
        "verdict_agreement": round(agreement, 4), "verdict_documents": len(verdicts),
        "verdict_confusion": dict(Counter(f"{g}->{p}" for g, p in verdicts)),
        "issue_extraction": {"precision": round(precision, 4), "recall": round(recall, 4),
                             "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4)},
        "domain_accuracy": round(typing["domain"] / n, 4), "visibility_accuracy": round(typing["visibility"] / n, 4),
        "vague_accuracy": round(typing["vague"] / n, 4), "typed_issues": typing["n"],
    }


def speaker_accuracy(transcripts: list[AnnotatedDocument]) -> dict[str, Any]:
    """Share of transcript sentences attributed to the right speaker (the turn marker as written)."""
    from nlp.segment.transcript import find_turns, speaker_at

    n = ok = 0
    for doc in transcripts:
        turns = find_turns(doc.text)
        for s in doc.sentences:
            turn = speaker_at(turns, s.start)
            n += 1
            ok += (turn.speaker if turn else None) == s.speaker
    return {"sentences": n, "accuracy": round(ok / n, 4) if n else None}


def evaluate_bundle(bundle: ModelBundle, root: Path, splits: tuple[str, ...] = ("test", "heldout"),
                    with_round: bool = True) -> dict[str, Any]:
    docs = load_documents(root / "annotated")
    table = load_splits(root)
    # Near-copies are judged against every other report of the corpus, as a round would be.
    reference = [(f"{d.id}.txt", shingles(d.text)) for d in docs if d.kind in REPORT_KINDS]
    out: dict[str, Any] = {}
    for split in splits:
        chosen = [d for d in docs if table.get(d.id) == split]
        out[split] = {"sentences": sentence_scores(bundle, chosen), **document_scores(bundle, chosen, reference)}
        out[split]["speaker_accuracy"] = speaker_accuracy([d for d in chosen if d.kind == "transcript"])
    if with_round:
        out["round"] = round_scores(bundle, root)
    return out


def format_report(results: dict[str, Any]) -> str:
    """The figures as a readable table."""
    lines = []
    for split, res in results.items():
        if split == "round":
            lines.append(f"== generated round: {res['units']} units, {res['issues']} issues, {res['gold_common']} in planted "
                         f"common problems ==\ncommon/specific F1: common {res['f1_common']:.3f}, macro {res['f1_macro']:.3f}; "
                         f"identical across {res['shuffles']} shuffled orders: {res['identical_across_orders']}")
            continue
        s = res["sentences"]
        lines.append(f"== {split}: {s['sentences']} sentences, {res['documents']} documents ==")
        lines.append(f"{'label':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>6}")
        for lab, m in s["per_class"].items():
            lines.append(f"{lab:<12}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>6}")
        lines.append(f"macro-F1 {s['macro_f1']:.3f}   accuracy {s['accuracy']:.3f}")
        labels = s["confusion"]["labels"]
        lines.append("confusion (rows gold, columns predicted): " + " ".join(x[:4] for x in labels))
        for lab, row in zip(labels, s["confusion"]["matrix"], strict=True):
            lines.append(f"  {lab:<12}" + "".join(f"{v:>6}" for v in row))
        ie = res["issue_extraction"]
        lines.append(f"verdict agreement {res['verdict_agreement']:.3f} over {res['verdict_documents']} reports "
                     f"{res['verdict_confusion']}")
        lines.append(f"issue extraction P {ie['precision']:.3f} R {ie['recall']:.3f} F1 {ie['f1']:.3f}; "
                     f"domain acc {res['domain_accuracy']:.3f}, visibility acc {res['visibility_accuracy']:.3f}, "
                     f"vague acc {res['vague_accuracy']:.3f} ({res['typed_issues']} matched issues)")
        sp = res.get("speaker_accuracy") or {}
        if sp.get("sentences"):
            lines.append(f"transcripts: speaker attribution {sp['accuracy']:.3f} over {sp['sentences']} sentences")
        if res["errors"]:
            lines.append(f"unreadable: {res['errors']}")
    return "\n".join(lines)


def round_scores(bundle: ModelBundle, root: Path, units: int = 200, seed: int = 11, shuffles: int = 5) -> dict[str, Any]:
    """Common/specific on a generated round whose common problems are planted from paraphrase groups the
    encoder never trained on; identical results across shuffled input orders are required."""
    import random

    from nlp.classify.encoder_train import split_groups
    from nlp.cluster.rounds import RoundIssue, common_threshold, group_issues, scope_by_issue
    from nlp.corpus.generate import GeneratorConfig, generate
    from nlp.corpus.pools import read_paraphrases
    from nlp.corpus.writer import load_pools
    from nlp.extract.issues import checklist_line

    _, held = split_groups(read_paraphrases(root))
    cfg = GeneratorConfig(n=units, units=units, seed=seed, profiles={"good": 1.0}, target_chars=3500,
                          plant_from=tuple(g["group"] for g in held))
    issues, group_of = [], {}
    for rec in generate(cfg, load_pools(root)):
        for issue in rec["issues"]:
            if issue["evidence"]:
                ev = issue["evidence"][0]
                text = checklist_line(rec["text"][ev["start"]:ev["end"]])
                issues.append(RoundIssue(issue["id"], rec["unit"], text, issue["domain"]))
                group_of[issue["id"]] = issue["group"] or issue["id"]
    units_of: dict[str, set[str]] = {}
    for x in issues:
        units_of.setdefault(group_of[x.id], set()).add(x.unit)
    need = common_threshold(units)
    gold = {x.id: "common" if len(units_of[group_of[x.id]]) >= need else "specific" for x in issues}
    runs = []
    for k in range(shuffles):
        order = list(issues)
        random.Random(k).shuffle(order)
        groups = group_issues(order, bundle.encoder, n_units=units)
        runs.append({i: (s, g) for i, (s, g) in scope_by_issue(groups).items()})
    pred = {i: s for i, (s, _) in runs[0].items()}
    tp = sum(gold[i] == "common" and pred[i] == "common" for i in gold)
    fp = sum(gold[i] == "specific" and pred[i] == "common" for i in gold)
    fn = sum(gold[i] == "common" and pred[i] != "common" for i in gold)
    tn = len(gold) - tp - fp - fn
    f1_common = 2 * tp / max(2 * tp + fp + fn, 1)
    f1_specific = 2 * tn / max(2 * tn + fp + fn, 1)
    return {"units": units, "issues": len(issues), "gold_common": sum(v == "common" for v in gold.values()),
            "f1_common": round(f1_common, 4), "f1_macro": round((f1_common + f1_specific) / 2, 4),
            "identical_across_orders": all(r == runs[0] for r in runs[1:]), "shuffles": shuffles}
