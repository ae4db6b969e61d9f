"""``prereview corpus check``: every invariant of the corpus, as a list of plain problems (empty = valid)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from nlp.taxonomy import load_taxonomy
from nlp.training.corpus.pools import GROUP_KINDS, group_kind
from nlp.training.corpus.schema import AnnotatedDocument, load_documents
from nlp.training.corpus.sources import REASONS, SourceError, parse_source
from nlp.training.corpus.splits import HELDOUT_BATCHES, SPLITS, assign_splits, family_key

NEAR_DUPLICATE_COSINE = 0.9
MIN_CHECKED_CHARS = 25  # stock phrases (现将有关情况报告如下) legitimately recur; longer sentences must not


def check_corpus(root: Path) -> list[str]:
    """Problems found in the corpus folder ``root`` (``corpora/``)."""
    problems: list[str] = []
    try:
        docs = load_documents(root / "annotated")
    except (ValueError, OSError) as exc:
        return [f"annotated documents do not load: {exc}"]
    if not docs:
        return ["no annotated documents"]
    problems += _check_sources_compiled(root, docs)
    problems += _check_codes(docs)
    problems += check_paraphrase_groups(root)
    splits = _load_splits(root, problems)
    if splits is not None:
        problems += _check_splits(docs, splits)
        problems += _check_leakage(docs, splits)
    return problems


def _check_sources_compiled(root: Path, docs: list[AnnotatedDocument]) -> list[str]:
    """The JSONL must be exactly what the hand-written sources compile to."""
    problems = []
    codes = frozenset(load_taxonomy().codes)
    compiled = {d.id: d for d in docs}
    sources = sorted((root / "sources").glob("*/*.txt"))
    for path in sources:
        try:
            record = parse_source(path.read_text(encoding="utf-8"), str(path), codes)
        except SourceError as exc:
            problems.append(str(exc))
            continue
        record["batch"] = path.parent.name
        doc = compiled.get(record["id"])
        if doc is None or doc.model_dump(mode="json") != AnnotatedDocument.model_validate(record).model_dump(mode="json"):
            problems.append(f"{path}: annotated/ is out of date; run python corpora/tools/compile_sources.py")
    if len(sources) != len(docs):
        problems.append(f"{len(sources)} source files but {len(docs)} annotated documents")
    return problems


def _check_codes(docs: list[AnnotatedDocument]) -> list[str]:
    codes = set(load_taxonomy().codes)
    problems = []
    ids = defaultdict(int)
    for doc in docs:
        ids[doc.id] += 1
        problems += [f"{doc.id}: unknown domain {i.domain!r}" for i in doc.issues if i.domain not in codes]
        problems += [f"{doc.id}: unknown reason {r!r}" for r in doc.reasons if r not in REASONS]
        if doc.copy_of and doc.copy_of not in {d.id for d in docs}:
            problems.append(f"{doc.id}: copy_of {doc.copy_of!r} names no document")
    problems += [f"document id {k!r} appears {n} times" for k, n in ids.items() if n > 1]
    return problems


def _load_splits(root: Path, problems: list[str]) -> dict[str, str] | None:
    path = root / "splits.json"
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: {exc}")
        return None
    out = {}
    for split, ids in table.items():
        if split not in SPLITS:
            problems.append(f"unknown split {split!r}")
        for doc_id in ids:
            if doc_id in out:
                problems.append(f"{doc_id} is in both {out[doc_id]} and {split}")
            out[doc_id] = split
    return out


def _check_splits(docs: list[AnnotatedDocument], splits: dict[str, str]) -> list[str]:
    problems = []
    by_id = {d.id: d for d in docs}
    expected = assign_splits(docs)
    for doc in docs:
        if doc.id not in splits:
            problems.append(f"{doc.id} is in no split; run python corpora/tools/compile_sources.py")
        elif splits[doc.id] != expected[doc.id]:
            problems.append(f"{doc.id} is in {splits[doc.id]} but its family belongs in {expected[doc.id]}")
        if (splits.get(doc.id) == "heldout") != (doc.batch in HELDOUT_BATCHES):
            problems.append(f"{doc.id}: only the held-out style's batch may be in heldout")
    problems += [f"split lists unknown document {k}" for k in splits if k not in by_id]
    families: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        if doc.batch not in HELDOUT_BATCHES:
            families[family_key(doc, by_id)].add(splits.get(doc.id, "?"))
    problems += [f"unit family {k} spans splits {sorted(v)}" for k, v in families.items() if len(v) > 1]
    return problems


def _check_leakage(docs: list[AnnotatedDocument], splits: dict[str, str]) -> list[str]:
    """No non-trivial sentence of test or heldout may nearly repeat one of train or dev."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    def sentences(names: set[str]) -> list[tuple[str, str]]:
        return [(d.id, d.sentence_text(s)) for d in docs if splits.get(d.id) in names for s in d.sentences
                if s.label != "other" and s.end - s.start >= MIN_CHECKED_CHARS]

    seen = sentences({"train", "dev"})
    held = sentences({"test", "heldout"})
    if not seen or not held:
        return []
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit([t for _, t in seen + held])
    sims = vec.transform([t for _, t in held]) @ vec.transform([t for _, t in seen]).T
    problems = []
    rows, cols = (sims >= NEAR_DUPLICATE_COSINE).nonzero()
    for r, c in zip(rows, cols, strict=True):
        problems.append(f"{held[r][0]} (held out) nearly repeats {seen[c][0]} (train/dev): {held[r][1][:30]}…")
    return problems


def check_paraphrase_groups(root: Path) -> list[str]:
    """Paraphrase groups (``pools/paraphrases*.jsonl``): the shape the encoder and the round generator rely on,
    unique ids, known domains, and no sentence in two groups (a shared sentence would be a false paraphrase)."""
    codes = frozenset(load_taxonomy().codes)
    problems: list[str] = []
    seen_groups: set[str] = set()
    owner: dict[str, str] = {}
    for path in sorted((root / "pools").glob("paraphrases*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                g = json.loads(line)
                gid, domain, problems_, measures = g["group"], g["domain"], g["problems"], g["measures"]
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(f"{where}: not a paraphrase group ({exc})")
                continue
            if gid in seen_groups:
                problems.append(f"{where}: group {gid} appears twice")
            seen_groups.add(gid)
            if domain not in codes:
                problems.append(f"{where}: unknown domain {domain!r}")
            if group_kind(g) not in GROUP_KINDS:
                problems.append(f"{where}: kind must be one of {', '.join(GROUP_KINDS)}")
            if not isinstance(g.get("vague"), bool):
                problems.append(f"{where}: 'vague' must be true or false")
            if len(problems_) < 4 or len(measures) < 1:
                problems.append(f"{where}: {gid} needs at least 4 problems and 1 measure")
            for text in (*problems_, *measures):
                if not isinstance(text, str) or len(text.strip()) < 8:
                    problems.append(f"{where}: {gid} has an empty or too short sentence")
                elif owner.setdefault(text, gid) != gid:
                    problems.append(f"{where}: {gid} repeats a sentence of {owner[text]}: {text[:30]}")
    return problems
