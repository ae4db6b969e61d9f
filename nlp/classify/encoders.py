"""Sentence embeddings through sentence-transformers, built here and offline.

No Chinese model can be downloaded, so the default encoder is a ``StaticEmbedding`` whose tokenizer is a
``tokenizers`` Unigram model with jieba's own word probabilities (Viterbi over the same scores as
``jieba.lcut(HMM=False)``, digit runs normalised), with weights initialised by LSA on the train split and
tuned contrastively on same-problem paraphrase pairs. Any other sentence-transformers model folder (a larger
Chinese model copied onto an intranet) loads through the same ``load_encoder(path)``, never from a hub.

torch and sentence-transformers are imported only here.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

_INSTALL_HINT = ("sentence-transformers needs torch: install it first with `pip install torch==2.13.0` "
                 "(the CPU build), then `pip install sentence-transformers`")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
BLOCK = r"[^\u4e00-\u9fa5a-zA-Z0-9+#&._%\-]+"  # what jieba's default cut treats as separators


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


CARD_FILE = "prereview_encoder.json"  # our figures beside a model folder, calibrated grouping similarity included


def calibrated_similarity(path: Path, key: str = "group_similarity") -> float | None:
    """A grouping value ``prereview train`` calibrated for the model at ``path`` (``group_similarity``, or
    ``theme_similarity``); None for other models, or when it was not calibrated."""
    import json

    try:
        value = json.loads((path / CARD_FILE).read_text(encoding="utf-8")).get(key)
    except FileNotFoundError:  # a model we did not train or calibrate
        return None
    except (OSError, ValueError) as err:  # unreadable: say so, since grouping then falls back to the default
        logging.getLogger(__name__).warning("cannot read %s (%s): default grouping similarity", path / CARD_FILE, err)
        return None
    return float(value) if value is not None else None


class HashEncoder:
    """Deterministic bag of character bigrams hashed into ``dim`` buckets: the test double for any encoder."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                out[row, int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


class SentenceTransformerEncoder:
    """Any sentence-transformers model folder on disk, loaded with hub access off."""

    def __init__(self, path: str | Path, batch_size: int = 256) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(_INSTALL_HINT) from exc
        self.path = Path(path)
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self.group_similarity = calibrated_similarity(self.path)
        self.theme_similarity = calibrated_similarity(self.path, "theme_similarity")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.get_sentence_embedding_dimension() or 0), dtype=np.float32)
        return self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def load_encoder(path: str | Path | None) -> Encoder:
    """The encoder at ``path`` (a sentence-transformers folder); ``None`` gives the HashEncoder.

    A folder holding only a StaticEmbedding runs on numpy (same vectors, no torch import); any other
    sentence-transformers model loads through sentence-transformers with hub access off.
    """
    if path is None:
        return HashEncoder()
    if is_static_only(Path(path)):
        return StaticNumpyEncoder(path)
    return SentenceTransformerEncoder(path)


# --- the jieba-compatible tokenizer -------------------------------------------------------------------------

def jieba_frequencies() -> tuple[dict[str, int], int]:
    """jieba's dictionary: word → frequency, and the total."""
    from nlp.segment.tokens import jieba_tokenizer

    dt = jieba_tokenizer()
    return {w: f for w, f in dt.FREQ.items() if f > 0}, dt.total


def normalise_digits(text: str) -> str:
    return DIGITS.sub("0", text)


def build_tokenizer(vocabulary: Iterable[str], freq: dict[str, int], total: int):  # type: ignore[no-untyped-def]
    """A Unigram tokenizer scoring each piece log(freq/total), as jieba's DAG route does."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    logtotal = math.log(total)
    pieces = {"[UNK]": -logtotal * 2, "0": math.log(max(freq.get("0", 1), 1)) - logtotal}
    for word in vocabulary:
        if word and word not in pieces:
            pieces[word] = math.log(freq.get(word, 1) or 1) - logtotal
    vocab = sorted(pieces.items(), key=lambda kv: (kv[0] != "[UNK]", kv[0]))
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
    tok.normalizer = normalizers.Replace(Regex(r"\d+(?:\.\d+)?"), "0")
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(BLOCK), behavior="removed")
    return tok


def choose_vocabulary(texts: Iterable[str], freq: dict[str, int], top: int = 50_000) -> list[str]:
    """Words on jieba's best paths through ``texts``, the ``top`` commonest dictionary words, every single character."""
    import jieba

    from nlp.segment.tokens import jieba_tokenizer

    jieba_tokenizer()
    seen = Counter()
    for text in texts:
        for block in re.split(BLOCK, normalise_digits(text)):
            if block:
                seen.update(jieba.lcut(block, HMM=False))
    common = [w for w, _ in sorted(freq.items(), key=lambda kv: -kv[1])[:top]]
    chars = {ch for w in seen for ch in w} | {ch for w in common for ch in w}
    return sorted(set(seen) | set(common) | chars)


class StaticNumpyEncoder:
    """Our own StaticEmbedding folders, run with numpy: the same vectors as sentence-transformers (mean of the
    token rows, L2-normalised) without importing torch, which costs ~10 s per process."""

    def __init__(self, path: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(path) / _static_module_dir(Path(path))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        weights = load_file(str(folder / "model.safetensors"))
        self.weights = next(iter(weights.values())).astype(np.float32)
        self.group_similarity = calibrated_similarity(Path(path))
        self.theme_similarity = calibrated_similarity(Path(path), "theme_similarity")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.weights.shape[1]), dtype=np.float32)
        for row, enc in enumerate(self.tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            if enc.ids:
                out[row] = self.weights[enc.ids].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _static_module_dir(path: Path) -> str:
    import json

    modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
    return modules[0].get("path", "") if modules else ""


def is_static_only(path: Path) -> bool:
    """True when the folder is a single StaticEmbedding module (what ``prereview train`` writes)."""
    import json

    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return len(modules) == 1 and modules[0].get("type", "").endswith("StaticEmbedding")
