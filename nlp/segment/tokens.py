"""The token layer: jieba, initialised once and quietly, inside a spaCy ``blank("zh")`` pipeline.

No downloadable Chinese spaCy model exists offline (PyPI's ``zh-core-web-sm`` is a placeholder), so the
tokenizer is spaCy's own Chinese tokenizer with the jieba segmenter.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()


def default_cache_dir() -> Path:
    """Where jieba keeps its dictionary cache: ``$PREREVIEW_JIEBA_CACHE`` or ``~/.cache/prereview``."""
    return Path(os.environ.get("PREREVIEW_JIEBA_CACHE", Path.home() / ".cache" / "prereview"))


@lru_cache(maxsize=4)
def jieba_tokenizer(cache_dir: str | None = None):  # type: ignore[no-untyped-def]
    """jieba's default tokenizer, initialised once with its cache in a folder we control."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with _lock:
        jieba.dt.tmp_dir = str(folder)
        jieba.dt.initialize()
    return jieba.dt


def cut(text: str) -> list[str]:
    """Segment ``text`` into words (jieba, HMM on), initialising jieba on first use."""
    return jieba_tokenizer().lcut(text)


@lru_cache(maxsize=50_000)
def words(text: str) -> tuple[str, ...]:
    """jieba's dictionary words of ``text`` without the HMM (several times faster), cached: the sentence
    models both read them, and a sentence is segmented once."""
    return tuple(w for w in jieba_tokenizer().lcut(text, HMM=False) if w.strip())


@lru_cache(maxsize=1)
def blank_zh():  # type: ignore[no-untyped-def]
    """A spaCy ``blank("zh")`` pipeline whose tokenizer is jieba."""
    import spacy

    jieba_tokenizer()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
