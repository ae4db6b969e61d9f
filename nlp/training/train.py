"""``prereview train``: rebuild the model bundle under ``models/`` from ``corpora/`` (deterministic per seed).

The dev split is measured before the final refit on train + dev; the test split and the held-out style are only
measured, never tuned on. (A spaCy ``textcat`` comparison lives in ``benchmarks/spacy_textcat.py``.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from nlp.bundle import library_versions
from nlp.classify.features import SentenceInput
from nlp.classify.sentence_model import SentenceClassifier
from nlp.extract.issue_typer import IssueTyper
from nlp.segment.tokens import words
from nlp.training.corpus import load_splits
from nlp.training.corpus.pools import read_paraphrases
from nlp.training.corpus.schema import AnnotatedDocument, load_documents
from nlp.training.data import corpus_inputs
from nlp.training.encoder_train import train_encoder

logger = logging.getLogger(__name__)


def with_role_dropout(X: list[SentenceInput], y: list[str]) -> tuple[list[SentenceInput], list[str]]:
    """Every example again without its section role: reports without headings (run-on styles) are common,
    and a model that leans on headings fails on them."""
    return X + [dataclasses.replace(x, role=None) for x in X], y + y


def corpus_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in [root / "annotated/documents.jsonl", root / "splits.json", *sorted((root / "pools").glob("paraphrases*.jsonl"))]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def issue_rows(docs: list[AnnotatedDocument]) -> list[tuple[str, str, bool, bool]]:
    """(evidence text, domain, hedged, vague) of every stated issue."""
    rows = []
    for doc in docs:
        for issue in doc.issues:
            if issue.evidence:
                text = " ".join(doc.text[e.start:e.end] for e in issue.evidence)
                rows.append((text, issue.domain, issue.latent_basis == "hedged", issue.vague))
    return rows


def fit_issue_typer(root: Path, docs: list[AnnotatedDocument], more: list[tuple[str, str, bool, bool]] | None = None
                    ) -> tuple[IssueTyper, list[tuple[str, str, bool, bool]], list[tuple[str, str, bool]]]:
    """The issue typer fitted on the stated issues of ``docs``, ``more`` rows of the same shape (reviewers'
    corrections, ``nlp.training.feedback``) and the paraphrase pool; returns it with its rows and pool examples."""
    rows = issue_rows(docs) + list(more or ())
    extra = [(t, g["domain"], bool(g["vague"])) for g in read_paraphrases(root) for t in g["problems"]]
    typer = IssueTyper().fit([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
                             extra=extra)
    return typer, rows, extra


def train_bundle(root: Path, out: Path, seed: int = 0, log: Callable[[str], None] = logger.info,
                 doc_filter: Callable[[AnnotatedDocument], bool] | None = None,
                 with_encoder: bool = True) -> dict[str, Any]:
    """Train, measure on dev, refit on train + dev, save the bundle to ``out``; return the dev figures."""
    t0 = time.perf_counter()
    docs = [d for d in load_documents(root / "annotated") if doc_filter is None or doc_filter(d)]
    splits = load_splits(root)
    part = {name: [d for d in docs if splits.get(d.id) == name] for name in ("train", "dev", "test", "heldout")}
    X_tr, y_tr, _ = corpus_inputs(part["train"])
    X_dev, y_dev, _ = corpus_inputs(part["dev"])
    X_aug, y_aug = with_role_dropout(X_tr, y_tr)
    log(f"训练句子分类器：训练集{len(X_tr)}句，开发集{len(X_dev)}句")
    sk = SentenceClassifier(random_state=seed).fit(X_aug, y_aug)
    words.cache_clear()  # the timing pays for its own segmentation
    t = time.perf_counter()
    dev_pred = sk.predict(X_dev) if X_dev else np.array([])
    dev_ms = (time.perf_counter() - t) * 1000 / max(len(X_dev), 1)
    dev_f1 = float(f1_score(y_dev, dev_pred, average="macro")) if y_dev else 0.0
    log(f"开发集宏平均F1：{dev_f1:.3f}（{dev_ms:.2f} ms/句）")
    # the bundle's model is refitted on train + dev
    X_final, y_final = with_role_dropout(X_tr + X_dev, y_tr + y_dev)
    sk_final = SentenceClassifier(random_state=seed).fit(X_final, y_final)
    typer, rows, extra = fit_issue_typer(root, part["train"] + part["dev"])
    log(f"训练问题分类器：{len(rows)}个语料问题，另加{len(extra)}条释义句（领域、空泛）")
    selection = {"dev_macro_f1": {"sklearn": dev_f1}, "dev_ms_per_sentence": {"sklearn": dev_ms}, "chosen": "sklearn",
                 "seed": seed, "train_sentences": len(X_tr), "dev_sentences": len(X_dev), "train_issues": len(rows),
                 "paraphrase_sentences": len(extra), "seconds": round(time.perf_counter() - t0, 1)}
    encoder = train_encoder(root, out.with_name(out.name + ".encoder"), seed=seed, log=log) if with_encoder else None
    selection["encoder"] = encoder
    save_bundle(out, sk_final, typer, root, selection)
    if encoder is not None:
        shutil.move(str(out.with_name(out.name + ".encoder")), str(out / "encoder"))
    return selection


def save_bundle(out: Path, sk: SentenceClassifier, typer: IssueTyper, root: Path, selection: dict[str, Any]) -> None:
    import joblib

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    joblib.dump(sk, tmp / "sentence_sklearn.joblib", compress=3)
    joblib.dump(typer, tmp / "issue_typer.joblib", compress=3)
    (tmp / "policy.toml").write_bytes(resources.files("nlp").joinpath("data/policy.toml").read_bytes())
    encoder = '\n[encoder]\npath = "encoder"\n' if selection.get("encoder") else ""
    (tmp / "pipeline.toml").write_text(
        f'# written by `prereview train`\n[sentence_model]\nkind = "sklearn"\n\n[issue_typer]\nfile = "issue_typer.joblib"\n'
        f"{encoder}", encoding="utf-8")
    meta = {"name": out.name, "versions": library_versions(), "corpus_sha256": corpus_hash(root),
            "selection": selection, "metrics": {}}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
