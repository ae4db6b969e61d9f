"""Prediction through fitted scikit-learn models without scikit-learn's per-call overhead, same numbers.

A report is one prediction call of a hundred-odd sentences, where scikit-learn's generic machinery dominates:
``TfidfVectorizer.transform`` counts n-grams in a Python dict per document, and every step of a pipeline
re-validates its input (dataframe checks, finiteness, feature counts). :func:`accelerate` switches the fitted
objects inside a model to subclasses that do the same arithmetic in the same order on the same arrays, so
every prediction is identical bit for bit, about four times faster:

- ``TfidfVectorizer`` → :class:`FastTfidfVectorizer`: the n-grams of all documents in one batch, character
  n-grams as integers on code points looked up in a numpy hash table, word n-grams in one ``map`` over the
  vocabulary, counts by ``np.unique``; then TF-IDF weighting and l2 normalisation as scikit-learn does them.
- ``FeatureUnion`` → :class:`FastFeatureUnion` and ``LogisticRegression`` → :class:`FastLogisticRegression`:
  the same transforms, stacking and decision function without re-validating matrices built just before.

Anything outside the configurations covered (another analyzer, stop words, a dense input, a transform-output
setting…) takes scikit-learn's own path. Accelerated objects pickle and copy as their scikit-learn classes.
"""

from __future__ import annotations

import copyreg
import weakref
from itertools import repeat
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

try:  # scikit-learn's own helpers (private: when one is missing, its public path is taken instead)
    from sklearn.utils._sparse import _align_api_if_sparse as _align
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2 as _normalize_l2
except ImportError:  # pragma: no cover
    _align = _normalize_l2 = None


class _PicklesAsParent:
    """Pickled (and copied) as the scikit-learn class it accelerates, so saved models never depend on it."""

    def __reduce_ex__(self, protocol: Any) -> Any:
        import sklearn

        parent = type(self).__mro__[2]  # the class after this mixin: the scikit-learn class
        state = {k: v for k, v in self.__getstate__().items() if not k.startswith("_prereview")}  # type: ignore[attr-defined]
        state.setdefault("_sklearn_version", sklearn.__version__)  # as BaseEstimator.__getstate__ adds for its own
        return copyreg._reconstructor, (parent, object, None), state


class FastTfidfVectorizer(_PicklesAsParent, TfidfVectorizer):
    """A fitted ``TfidfVectorizer`` whose ``transform`` counts all documents' n-grams at once."""

    def transform(self, raw_documents: Any) -> Any:
        counts = _bulk_counts(self, raw_documents)
        tfidf = self._tfidf
        if counts is None or _normalize_l2 is None or tfidf.norm not in ("l2", None):
            return super().transform(raw_documents)
        # TfidfTransformer.transform's arithmetic, in its order, without its input validation (the counts are
        # a float64 CSR matrix built just above); normalize(norm="l2") on CSR is this same in-place routine
        if tfidf.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if hasattr(tfidf, "idf_"):
            counts.data *= tfidf.idf_[counts.indices]
        if tfidf.norm == "l2":
            _normalize_l2(counts)
        return _align(counts)


class FastFeatureUnion(_PicklesAsParent, FeatureUnion):
    """A fitted ``FeatureUnion`` whose ``transform`` skips the container machinery for sparse outputs."""

    def transform(self, X: Any, **params: Any) -> Any:
        out = None if params else _union_transform(self, X)
        return out if out is not None else super().transform(X, **params)


class FastLogisticRegression(_PicklesAsParent, LogisticRegression):
    """A fitted ``LogisticRegression`` whose decision function does not re-validate a finite CSR matrix."""

    def decision_function(self, X: Any) -> Any:
        if (sparse.issparse(X) and X.format == "csr" and X.dtype in (np.float64, np.float32)
                and X.shape[1] == getattr(self, "n_features_in_", -1) and np.isfinite(X.data).all()):
            from sklearn.utils.extmath import safe_sparse_dot

            coef = self.coef_.T if self.coef_.ndim == 2 else self.coef_
            scores = safe_sparse_dot(X, coef, dense_output=True) + self.intercept_
            return scores.reshape(-1) if scores.ndim > 1 and scores.shape[1] == 1 else scores
        return super().decision_function(X)


_FAST = {TfidfVectorizer: FastTfidfVectorizer, FeatureUnion: FastFeatureUnion,
         LogisticRegression: FastLogisticRegression}


def accelerate(estimator: Any) -> Any:
    """Switch the fitted scikit-learn objects inside ``estimator`` (pipeline steps, union members and fitted
    attributes ending in ``_``, at any depth) to their fast subclasses. Predictions do not change. Returns
    ``estimator``; cheap to call again (an estimator already visited is marked)."""
    try:
        if estimator in _ACCELERATED:
            return estimator
    except TypeError:  # not weak-referenceable
        pass
    seen: set[int] = set()

    def visit(obj: Any) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, (list, tuple)):
            for item in obj:
                visit(item)
            return
        if not isinstance(obj, BaseEstimator):
            return
        fast = _FAST.get(type(obj))
        if fast is not None:
            obj.__class__ = fast
        for name in ("steps", "transformer_list"):
            for item in getattr(obj, name, None) or ():
                visit(item)
        for key, value in vars(obj).items():
            if key.endswith("_") and not key.startswith("_"):
                visit(value)

    visit(estimator)
    try:
        _ACCELERATED.add(estimator)
    except TypeError:
        pass
    return estimator


_ACCELERATED: weakref.WeakSet[Any] = weakref.WeakSet()  # not an attribute: it would be pickled with the model


def _union_transform(union: FeatureUnion, X: Any) -> Any:
    """``FeatureUnion.transform`` for sparse outputs: each transformer's output times its weight, stacked as
    CSR; None when another path is needed (a transform-output setting, passthrough, a dense output)."""
    from sklearn import get_config

    if get_config()["transform_output"] != "default":
        return None
    weights = union.transformer_weights or {}
    blocks = []
    for name, transformer in union.transformer_list:
        if isinstance(transformer, str):
            if transformer == "drop":
                continue
            return None  # "passthrough"
        if type(transformer) is Pipeline:
            out = X
            for _, step in transformer.steps:
                if step is not None and step != "passthrough":
                    out = step.transform(out)
        else:
            out = transformer.transform(X)
        weight = weights.get(name)
        blocks.append(out if weight is None else out * weight)
    if not blocks or not all(sparse.issparse(b) for b in blocks):
        return None
    return sparse.hstack(blocks).tocsr()


# --- counting n-grams in bulk -------------------------------------------------------------------------------

def _bulk_counts(vec: TfidfVectorizer, raw_documents: Any) -> Any:
    """The document-term count matrix of ``CountVectorizer.transform``, or None when not covered."""
    if (_align is None or isinstance(raw_documents, str) or vec.analyzer not in ("char", "word") or vec.binary
            or vec.input != "content" or vec.stop_words is not None or not hasattr(vec, "vocabulary_")):
        return None
    docs = list(raw_documents)
    if not all(type(d) is str for d in docs):
        return None
    n_features = len(vec.vocabulary_)
    found = _char_ids(vec, docs) if vec.analyzer == "char" else None
    if found is None:
        found = _gram_ids(vec, docs)
    rows, columns = found
    keys, counts = np.unique(rows * n_features + columns, return_counts=True)
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // n_features, minlength=len(docs)), out=indptr[1:])
    index_dtype = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
    X = sparse.csr_array((counts.astype(np.intc), (keys % n_features).astype(index_dtype), indptr.astype(index_dtype)),
                         shape=(len(docs), n_features), dtype=vec.dtype)
    X.sort_indices()
    return _align(X)


_BASE = 0x110001  # one more than the code points: an n-gram of ≤ 3 characters is one int64 in base _BASE


def _char_ids(vec: TfidfVectorizer, docs: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """(row, column) of every in-vocabulary character n-gram, on code points with numpy.

    Each n-gram is the integer sum((c_k + 1) · BASE^(n-1-k)), looked up in a hash table of the vocabulary's keys.
    The documents are joined with NUL between them: an n-gram across a NUL is in no vocabulary (no document
    holds a NUL), so every position of the joined text can be looked up without a mask.
    """
    min_n, max_n = vec.ngram_range
    if max_n > 3 or min_n < 1 or vec.preprocessor is not None or vec.strip_accents:
        return None
    table = vec.__dict__.get("_prereview_char_table")
    if table is None:
        terms = list(vec.vocabulary_)
        if any(not 1 <= len(t) <= 3 or "\0" in t for t in terms):
            return None
        keys = np.array([_key(t) for t in terms], dtype=np.int64)
        table = vec.__dict__["_prereview_char_table"] = _IntTable(keys, np.fromiter(
            vec.vocabulary_.values(), dtype=np.int64, count=len(terms)))
    joined = "\0".join(docs)
    if not docs or joined.count("\0") != len(docs) - 1:
        return None  # no documents, or one holds a NUL itself
    if vec.lowercase:
        joined = joined.lower()  # NUL is neither cased nor case-ignorable: lowering the whole is lowering each
    joined = vec._white_spaces.sub(" ", joined)  # NUL is no space: no run crosses a boundary
    try:
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64) + 1
    except UnicodeEncodeError:  # pragma: no cover
        return None
    separators = np.flatnonzero(points == 1)
    lengths = np.diff(np.concatenate(([-1], separators, [len(points)])))  # each document and its NUL
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)[: len(points)]
    rows, columns = [], []
    for n in range(min_n, max_n + 1):
        count = len(points) - n + 1
        if count <= 0:
            break
        key = points[:count].copy()
        for k in range(1, n):
            key *= _BASE
            key += points[k:k + count]
        found = table.get(key)
        hit = found >= 0
        rows.append(doc_of[:count][hit])
        columns.append(found[hit])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(columns)


def _key(term: str) -> int:
    key = 0
    for ch in term:
        key = key * _BASE + ord(ch) + 1
    return key


class _IntTable:
    """A read-only hash table from positive int64 keys to int64 values, looked up for a whole array at once
    (open addressing, linear probing; 0 marks an empty slot)."""

    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        bits = max(4, int(2 * len(keys)).bit_length())  # load factor below one half
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.keys = np.zeros(1 << bits, dtype=np.int64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        slots = self._slots(keys)
        pending = np.arange(len(keys))
        while pending.size:  # each round, every free slot takes the first key that wants it; the rest move on
            want = slots[pending]
            free = self.keys[want] == 0
            taken, first = np.unique(want[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken] = keys[winners]
            self.values[taken] = values[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & self.mask

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * self._MULTIPLIER) >> self.shift).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 for a key not in the table."""
        out = np.full(len(keys), -1, dtype=np.int64)
        slots = self._slots(keys)
        todo = np.arange(len(keys))
        while todo.size:
            slot = slots[todo]
            stored = self.keys[slot]
            hit = stored == keys[todo]
            out[todo[hit]] = self.values[slot[hit]]
            going = ~hit & (stored != 0)
            todo = todo[going]
            slots[todo] = (slot[going] + 1) & self.mask
        return out


def _gram_ids(vec: TfidfVectorizer, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every in-vocabulary n-gram: the n-grams of all documents in one list, looked up in one
    ``map`` over the vocabulary."""
    preprocess = vec.build_preprocessor()
    min_n, max_n = vec.ngram_range
    grams: list[str] = []
    lengths = np.empty(len(docs), dtype=np.int64)
    if vec.analyzer == "char":
        spaces = vec._white_spaces
        for k, doc in enumerate(docs):
            text = spaces.sub(" ", preprocess(doc))
            before = len(grams)
            for n in range(min_n, min(max_n + 1, len(text) + 1)):
                grams += text if n == 1 else [text[i:i + n] for i in range(len(text) - n + 1)]
            lengths[k] = len(grams) - before
    else:
        tokenize = vec.build_tokenizer()
        for k, doc in enumerate(docs):
            tokens = list(tokenize(preprocess(doc)))
            before = len(grams)
            for n in range(min_n, min(max_n + 1, len(tokens) + 1)):
                grams += tokens if n == 1 else map(" ".join, zip(*(tokens[k:] for k in range(n)), strict=False))
            lengths[k] = len(grams) - before
    columns = np.fromiter(map(vec.vocabulary_.get, grams, repeat(-1)), dtype=np.int64, count=len(grams))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    known = columns >= 0
    return rows[known], columns[known]
