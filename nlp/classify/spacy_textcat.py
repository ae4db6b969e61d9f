"""A spaCy ``textcat`` (bag of jieba words and bigrams) trained on the same inputs, for comparison.

The section role is given to it as a leading pseudo-word so both models see the same context. Words come
from jieba without its HMM, the same at training and at inference.
"""

from __future__ import annotations

import random

import numpy as np

from nlp.classify.features import SentenceInput
from nlp.doc import LABELS

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
