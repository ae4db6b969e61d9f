"""Sentence and heading pools by label × domain × kind × style, built from the TRAIN split only.

The generator composes documents from these pools, so generated data used for augmentation or
benchmarks never carries a test or held-out sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlp.segment.sections import guess_role
from nlp.training.corpus.schema import AnnotatedDocument

_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|"
                   r"其[一二三四五六七八九十][，、是]|首先，|其次，|再次，|最后，|此外，)\s*")


def strip_enumerator(text: str) -> str:
    """“二是执法不规范；” → “执法不规范；”: the generator numbers items itself."""
    return _ENUM.sub("", text, count=1)


def build_pools(docs: Iterable[AnnotatedDocument], splits: dict[str, str],
                use: frozenset[str] = frozenset({"train"})) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(sentence pool, heading pool) from the documents of the ``use`` splits."""
    sentences: list[dict[str, Any]] = []
    headings: list[dict[str, Any]] = []
    for doc in docs:
        if splits.get(doc.id) not in use or doc.kind == "transcript":
            continue
        first_issue = {}
        for issue in doc.issues:
            if issue.evidence:
                first_issue[(issue.evidence[0].start, issue.evidence[0].end)] = issue
        continued = {(e.start, e.end) for i in doc.issues for e in i.evidence[1:]}
        for s in doc.sentences:
            issue = first_issue.get((s.start, s.end))
            sentences.append({
                "text": doc.sentence_text(s), "label": s.label, "kind": doc.kind, "style": doc.style, "doc": doc.id,
                "continuation": (s.start, s.end) in continued,
                "domain": issue.domain if issue else None,
                "visibility": issue.visibility if issue else None,
                "latent_basis": issue.latent_basis if issue else None,
                "vague": issue.vague if issue else None,
            })
        for h in doc.headings:
            headings.append({"text": h.text, "level": h.level, "role": guess_role(h.text), "kind": doc.kind,
                             "doc": doc.id})
    return sentences, headings


def write_pools(folder: Path, sentences: list[dict[str, Any]], headings: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("sentences.jsonl", sentences), ("headings.jsonl", headings)):
        with (folder / name).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


GROUP_KINDS = {  # what a paraphrase group's six problems are, by its ``kind``
    "theme": "themes (six sub-problems of one kind, the broad reading of 共性)",
    "same": "single problems, each worded differently by six units",
}


def group_kind(group: dict[str, Any]) -> str:
    """The group's kind (``GROUP_KINDS``); a group without ``kind`` is a theme group (the older groups)."""
    return str(group.get("kind", "theme"))


def read_paraphrases(root: Path) -> list[dict[str, Any]]:
    """Every paraphrase group of ``corpora/pools/paraphrases*.jsonl``."""
    return [g for path in sorted((root / "pools").glob("paraphrases*.jsonl")) for g in read_jsonl(path)]


EQUIVALENCES = "equivalences.jsonl"
RELATIONS = ("same", "a_in_b", "b_in_a", "different")


def read_equivalences(root: Path) -> list[dict[str, str]]:
    """Pairs of paraphrase groups judged by reading them (``corpora/pools/equivalences.jsonl``): ``relation`` is
    ``same`` (one problem, or one theme, written twice), ``a_in_b`` / ``b_in_a`` (one group's problem is a part of
    the other's theme) or ``different``. Empty when the file is absent."""
    path = root / "pools" / EQUIVALENCES
    return read_jsonl(path) if path.exists() else []


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
