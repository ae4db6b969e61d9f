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
        if not jieba.dt.initialized and not _load_prefix_dict(jieba.dt, folder):
            jieba.dt.initialize()
            _save_prefix_dict(jieba.dt, folder)
    return jieba.dt


# jieba keeps its prefix dictionary (≈500k entries) in a marshal file that takes 1.4 s to load; the same dict
# pickled loads in 0.4 s, which every batch worker pays at start. Same content, so the same segmentation.
def _prefix_dict_file(dt, folder: Path) -> Path | None:  # type: ignore[no-untyped-def]
    import jieba

    if dt.dictionary is not None or dt.cache_file:  # only jieba's own dictionary
        return None
    source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        stat = source.stat()
    except OSError:
        return None
    return folder / f"jieba-{jieba.__version__}-{stat.st_size}-{stat.st_mtime_ns}.pickle"


def _load_prefix_dict(dt, folder: Path) -> bool:  # type: ignore[no-untyped-def]
    import pickle

    path = _prefix_dict_file(dt, folder)
    if path is None or not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            freq, total = pickle.load(fh)
    except Exception:  # a damaged cache: jieba's own loading instead
        return False
    dt.FREQ, dt.total, dt.initialized = freq, total, True
    return True


def _save_prefix_dict(dt, folder: Path) -> None:  # type: ignore[no-untyped-def]
    import pickle
    import tempfile

    path = _prefix_dict_file(dt, folder)
    if path is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((dt.FREQ, dt.total), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # several workers may write it at once: each rename is whole
    except OSError:
        logging.getLogger(__name__).info("could not write the jieba cache %s", path)


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
