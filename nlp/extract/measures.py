"""Link each issue to the measure in the same document that answers it."""

from __future__ import annotations

from nlp.doc import Issue, Sentence, Span
from nlp.taxonomy import load_taxonomy

MIN_SIMILARITY = 0.15  # tuned on the train and dev splits' gold links


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _cues(text: str) -> set[str]:
    return {d.code for d in load_taxonomy().domains if any(c in text for c in (*d.cues, *d.subs))}


_STOP = _bigrams("进一步加强工作推进落实建立健全完善制度机制全面持续下一步我们将要切实认真提高能力水平问题")


def match_measures(issues: list[Issue], sentences: list[Sentence] | tuple[Sentence, ...],
                   min_similarity: float = MIN_SIMILARITY) -> list[Issue]:
    """Issues with ``measure`` set to the best-answering measure sentence above ``min_similarity``."""
    measures = [s for s in sentences if s.label == "measure" and len(s.text) >= 8]
    if not measures:
        return list(issues)
    profiles = [(m, _bigrams(m.text) - _STOP, _cues(m.text)) for m in measures]
    out = []
    for issue in issues:
        text = " ".join(e.text for e in issue.evidence)
        grams, cues = _bigrams(text) - _STOP, _cues(text) | {issue.domain}
        best, best_score = None, 0.0
        for m, m_grams, m_cues in profiles:
            overlap = len(grams & m_grams) / max(1, min(len(grams), len(m_grams)))
            score = overlap + (0.1 if cues & m_cues else 0.0)
            if score > best_score:
                best, best_score = m, score
        measure = Span(start=best.start, end=best.end, text=best.text) if best and best_score >= min_similarity else None
        out.append(issue.model_copy(update={"measure": measure}))
    return out
