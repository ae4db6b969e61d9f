"""``prereview train``: rebuild the model bundle under ``models/`` from ``corpora/`` (deterministic per seed).

Selection is on the dev split; the test split and the held-out style are only measured, never tuned on.
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
from nlp.classify.data import corpus_inputs
from nlp.classify.encoder_train import train_encoder
from nlp.classify.features import SentenceInput
from nlp.classify.sentence_model import SentenceClassifier
from nlp.classify.spacy_textcat import SpacyTextcat
from nlp.corpus import load_splits
from nlp.corpus.pools import read_paraphrases
from nlp.corpus.schema import AnnotatedDocument, load_documents
from nlp.extract.issue_typer import IssueTyper
from nlp.segment.tokens import words

logger = logging.getLogger(__name__)


def with_role_dropout(X: list[SentenceInput], y: list[str]) -> tuple[list[SentenceInput], list[str]]:
    """Every example again without its section role: reports without headings (run-on styles) are common,
    and a model that leans on headings fails on them."""
    return X + [dataclasses.replace(x, role=None) for x in X], y + y


F1_TOLERANCE = 0.01  # about one standard error of macro-F1 on ~450 dev sentences


def choose_model(dev_f1: dict[str, float], dev_ms: dict[str, float]) -> str:
    """The fastest candidate whose dev macro-F1 is within F1_TOLERANCE of the best: batches of thousands of
    reports pay for every millisecond, and a difference inside the dev split's noise buys nothing."""
    best = max(dev_f1.values())
    close = [k for k in dev_f1 if dev_f1[k] >= best - F1_TOLERANCE]
    return min(close, key=lambda k: (dev_ms[k], k))


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


def train_bundle(root: Path, out: Path, seed: int = 0, spacy_epochs: int = 12,
                 log: Callable[[str], None] = logger.info, doc_filter: Callable[[AnnotatedDocument], bool] | None = None,
                 with_encoder: bool = True) -> dict[str, Any]:
    """Train, select on dev, save the bundle to ``out``; return the selection figures."""
    t0 = time.perf_counter()
    docs = [d for d in load_documents(root / "annotated") if doc_filter is None or doc_filter(d)]
    splits = load_splits(root)
    part = {name: [d for d in docs if splits.get(d.id) == name] for name in ("train", "dev", "test", "heldout")}
    X_tr, y_tr, _ = corpus_inputs(part["train"])
    X_dev, y_dev, _ = corpus_inputs(part["dev"])
    X_aug, y_aug = with_role_dropout(X_tr, y_tr)
    log(f"训练句子分类器：训练集{len(X_tr)}句，开发集{len(X_dev)}句")
    sk = SentenceClassifier(random_state=seed).fit(X_aug, y_aug)
    sp = SpacyTextcat(epochs=spacy_epochs, seed=seed).fit(X_aug, y_aug)
    candidates, dev_ms = {}, {}
    for name, model in (("sklearn", sk), ("spacy", sp)):
        words.cache_clear()  # each model pays for its own segmentation in the timing
        t = time.perf_counter()
        candidates[name] = model.predict_proba(X_dev)
        dev_ms[name] = (time.perf_counter() - t) * 1000 / max(len(X_dev), 1)
    candidates["ensemble"] = (candidates["sklearn"] + candidates["spacy"]) / 2
    dev_ms["ensemble"] = dev_ms["sklearn"] + dev_ms["spacy"]
    classes = sk.classes_
    dev_f1 = {k: float(f1_score(y_dev, classes[np.argmax(p, axis=1)], average="macro")) if y_dev else 0.0
              for k, p in candidates.items()}
    chosen = choose_model(dev_f1, dev_ms)
    log("开发集宏平均F1：" + "，".join(f"{k} {v:.3f}（{dev_ms[k]:.2f} ms/句）" for k, v in dev_f1.items())
        + f"；选用 {chosen}")
    # the chosen model is refitted on train + dev for the bundle
    X_final, y_final = with_role_dropout(X_tr + X_dev, y_tr + y_dev)
    sk_final = SentenceClassifier(random_state=seed).fit(X_final, y_final) if chosen in ("sklearn", "ensemble") else None
    sp_final = SpacyTextcat(epochs=spacy_epochs, seed=seed).fit(X_final, y_final) if chosen in ("spacy", "ensemble") else None
    rows = issue_rows(part["train"] + part["dev"])
    extra = [(t, g["domain"], bool(g["vague"])) for g in read_paraphrases(root) for t in g["problems"]]
    typer = IssueTyper().fit([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
                             extra=extra)
    log(f"训练问题分类器：{len(rows)}个语料问题，另加{len(extra)}条释义句（领域、空泛）")
    selection = {"dev_macro_f1": dev_f1, "dev_ms_per_sentence": dev_ms, "chosen": chosen, "seed": seed, "train_sentences": len(X_tr),
                 "dev_sentences": len(X_dev), "train_issues": len(rows), "paraphrase_sentences": len(extra),
                 "seconds": round(time.perf_counter() - t0, 1)}
    encoder = train_encoder(root, out.with_name(out.name + ".encoder"), seed=seed, log=log) if with_encoder else None
    selection["encoder"] = encoder
    save_bundle(out, chosen, sk_final, sp_final, typer, root, selection)
    if encoder is not None:
        shutil.move(str(out.with_name(out.name + ".encoder")), str(out / "encoder"))
    return selection


def save_bundle(out: Path, chosen: str, sk: Any, sp: Any, typer: IssueTyper, root: Path,
                selection: dict[str, Any]) -> None:
    import joblib

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if sk is not None:
        joblib.dump(sk, tmp / "sentence_sklearn.joblib", compress=3)
    if sp is not None:
        sp.nlp_.to_disk(tmp / "sentence_spacy")
    joblib.dump(typer, tmp / "issue_typer.joblib", compress=3)
    (tmp / "policy.toml").write_bytes(resources.files("nlp").joinpath("data/policy.toml").read_bytes())
    encoder = '\n[encoder]\npath = "encoder"\n' if selection.get("encoder") else ""
    (tmp / "pipeline.toml").write_text(
        f'# written by `prereview train`\n[sentence_model]\nkind = "{chosen}"\n\n[issue_typer]\nfile = "issue_typer.joblib"\n'
        f"{encoder}", encoding="utf-8")
    meta = {"name": out.name, "versions": library_versions(), "corpus_sha256": corpus_hash(root),
            "selection": selection, "metrics": {}}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
