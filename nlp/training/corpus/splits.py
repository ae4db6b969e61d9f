"""Fixed document-level splits: whole units (and their copies) stay together; one writing style is held out.

A document's split follows from a stable hash of its family key (the unit of the document it copies, or
its own unit), so adding documents never moves an existing one. The ``heldout`` split is one whole
style written by a different hand (batch ``e``): never trained or tuned on, it measures generalisation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from nlp.training.corpus.schema import AnnotatedDocument

SPLITS = ("train", "dev", "test", "heldout")
HELDOUT_BATCHES = frozenset({"e"})
TEST_SHARE = 0.22
DEV_SHARE = 0.12


def family_key(doc: AnnotatedDocument, by_id: dict[str, AnnotatedDocument]) -> str:
    """The unit of the document at the root of the ``copy_of`` chain."""
    seen = set()
    while doc.copy_of and doc.copy_of in by_id and doc.id not in seen:
        seen.add(doc.id)
        doc = by_id[doc.copy_of]
    return doc.unit


def assign_splits(docs: Iterable[AnnotatedDocument]) -> dict[str, str]:
    """Document id → split name."""
    docs = list(docs)
    by_id = {d.id: d for d in docs}
    out = {}
    for doc in docs:
        if doc.batch in HELDOUT_BATCHES:
            out[doc.id] = "heldout"
            continue
        digest = hashlib.sha256(family_key(doc, by_id).encode("utf-8")).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        out[doc.id] = "test" if u < TEST_SHARE else "dev" if u < TEST_SHARE + DEV_SHARE else "train"
    return out
