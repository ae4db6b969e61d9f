"""``prereview corpus stats``: the counts the corpus datasheet promises."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nlp.training.corpus.schema import AnnotatedDocument


def corpus_stats(docs: list[AnnotatedDocument], splits: dict[str, str] | None = None) -> dict[str, Any]:
    issues = [i for d in docs for i in d.issues]
    labels = Counter(s.label for d in docs for s in d.sentences)
    out: dict[str, Any] = {
        "documents": sum(1 for d in docs if d.kind != "transcript"),
        "sentences": sum(labels.values()),
        "labels": dict(sorted(labels.items())),
        "issues": len(issues),
        "transcripts": sum(1 for d in docs if d.kind == "transcript"),
        "latent_share": round(sum(i.visibility == "latent" for i in issues) / max(len(issues), 1), 4),
        "vague_share": round(sum(i.vague for i in issues) / max(len(issues), 1), 4),
        "domains": dict(sorted(Counter(i.domain for i in issues).items())),
        "kinds": dict(sorted(Counter(d.kind for d in docs).items())),
        "verdicts": dict(sorted(Counter(d.verdict for d in docs if d.kind != "transcript").items())),
        "characters": sum(len(d.text) for d in docs),
    }
    if splits:
        out["splits"] = dict(sorted(Counter(splits.get(d.id, "none") for d in docs).items()))
    return out
