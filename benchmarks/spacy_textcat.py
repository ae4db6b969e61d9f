"""A spaCy ``textcat`` (bag of jieba words and bigrams) against the bundle's sentence classifier, on the dev split.

Run by hand: ``python benchmarks/spacy_textcat.py [--epochs 12] [--seed 0]``. Both models train on the train
split (with the same role dropout as ``prereview train``) and are scored on dev: macro-F1 and ms per sentence for
scikit-learn, spaCy and their average. ``prereview train`` no longer trains the spaCy model: it lost on dev
(0.932 against 0.941; the average, 0.949, costs both models' time).

The section role is given to spaCy as a leading pseudo-word so both models see the same context. Words come
from jieba without its HMM, the same at training and at inference.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.classify.features import SentenceInput  # noqa: E402
from nlp.doc import LABELS  # noqa: E402

_ROLE_WORD = {"achievements": "〔成效部分〕", "problems": "〔问题部分〕", "causes": "〔原因部分〕", "measures": "〔措施部分〕",
              "other": "〔其他部分〕", None: "〔无标题〕"}


def _words(x: SentenceInput) -> list[str]:
    """The role pseudo-word, then jieba's words (no HMM: several times faster, and the same at training)."""
    from nlp.segment.tokens import words

    return [_ROLE_WORD.get(x.role, "〔无标题〕"), *words(x.text)]


def _doc(vocab, x: SentenceInput):  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc

    words = _words(x)
    return Doc(vocab, words=words, spaces=[False] * len(words))


class SpacyTextcat:
    """Train and apply a spaCy exclusive-class text categorizer on ``SentenceInput``."""

    def __init__(self, epochs: int = 12, seed: int = 0) -> None:
        self.epochs = epochs
        self.seed = seed

    def fit(self, X: list[SentenceInput], y: list[str]) -> SpacyTextcat:
        import spacy
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        from nlp.segment.tokens import jieba_tokenizer

        fix_random_seed(self.seed)
        jieba_tokenizer()
        zh = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        textcat = zh.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3",
                                                           "exclusive_classes": True, "ngram_size": 2,
                                                           "no_output_layer": False}})
        for label in LABELS:
            textcat.add_label(label)
        examples = [Example.from_dict(_doc(zh.vocab, x), {"cats": {lab: float(lab == gold) for lab in LABELS}})
                    for x, gold in zip(X, y, strict=True)]
        optimizer = zh.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                zh.update(batch, sgd=optimizer, drop=0.2)
        self.nlp_ = zh
        self.classes_ = np.array(sorted(LABELS))  # the order scikit-learn uses
        return self

    def predict_proba(self, X: list[SentenceInput]) -> np.ndarray:
        # Docs are built from our own segmentation and go straight to the textcat: spaCy's tokenizer is skipped.
        textcat = self.nlp_.get_pipe("textcat")
        docs = textcat.pipe((_doc(self.nlp_.vocab, x) for x in X), batch_size=256)
        return np.array([[doc.cats[label] for label in self.classes_] for doc in docs])

    def predict(self, X: list[SentenceInput]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def main() -> None:
    from sklearn.metrics import f1_score

    from nlp.classify.sentence_model import SentenceClassifier
    from nlp.segment.tokens import words
    from nlp.training.corpus import default_corpus_dir, load_splits
    from nlp.training.corpus.schema import load_documents
    from nlp.training.data import corpus_inputs
    from nlp.training.train import with_role_dropout

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    root = default_corpus_dir()
    splits = load_splits(root)
    docs = load_documents(root / "annotated")
    X_tr, y_tr, _ = corpus_inputs([d for d in docs if splits.get(d.id) == "train"])
    X_dev, y_dev, _ = corpus_inputs([d for d in docs if splits.get(d.id) == "dev"])
    X_aug, y_aug = with_role_dropout(X_tr, y_tr)
    models = {"sklearn": SentenceClassifier(random_state=args.seed).fit(X_aug, y_aug),
              "spacy": SpacyTextcat(epochs=args.epochs, seed=args.seed).fit(X_aug, y_aug)}
    proba, ms = {}, {}
    for name, model in models.items():
        words.cache_clear()  # each model pays for its own segmentation
        t = time.perf_counter()
        proba[name] = model.predict_proba(X_dev)
        ms[name] = (time.perf_counter() - t) * 1000 / max(len(X_dev), 1)
    proba["ensemble"], ms["ensemble"] = (proba["sklearn"] + proba["spacy"]) / 2, ms["sklearn"] + ms["spacy"]
    classes = models["sklearn"].classes_
    print(f"dev split: {len(X_dev)} sentences; trained on {len(X_tr)} (doubled without section roles)")
    print(f"{'model':<12}{'macro-F1':>10}{'ms/sentence':>14}")
    for name, p in proba.items():
        f1 = f1_score(y_dev, classes[np.argmax(p, axis=1)], average="macro")
        print(f"{name:<12}{f1:>10.3f}{ms[name]:>14.2f}")


if __name__ == "__main__":
    main()
