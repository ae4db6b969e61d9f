"""Latent ``omission`` issues: a topic this kind of document must cover is absent."""

from __future__ import annotations

import re
import zlib

from nlp.config import AnalysisConfig
from nlp.doc import Document, Issue
from nlp.extract.issues import issue_id
from nlp.taxonomy import load_taxonomy


def find_omissions(doc: Document, config: AnalysisConfig) -> list[Issue]:
    """One issue per required or expected topic of ``doc.kind`` whose words appear nowhere in the text."""
    taxonomy = load_taxonomy()
    out = []
    topics = dict(config.expected_topics.get(doc.kind, ()))
    topics.update(dict(config.required_topics.get(doc.kind, ())))
    for code, pattern in topics.items():
        if re.search(pattern, doc.text):
            continue
        out.append(Issue(id=issue_id(doc.id, -1, zlib.crc32(code.encode())), text=f"报告未涉及“{taxonomy.name(code)}”方面的内容",
                         domain=code, visibility="latent", latent_basis="omission", vague=False))
    return out
