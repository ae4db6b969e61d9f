"""Labels read in context: a sentence of a problems paragraph that states a problem is a problem.

The sentence classifier sees each sentence with its part (``nlp.segment.parts``), but a listed problem that
opens with “主要是：” reads like a cause to it, and one worded as a task (“…任务依然艰巨”) like other text. Inside a
paragraph a lead-in opened, what states a problem (``nlp.extract.clauses.states_problem`` of any clause) is one;
a pledge or a cause lead-in is not in ``listing`` to begin with.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.doc import Sentence
from nlp.extract.clauses import clause_spans, states_problem


def relabel_listed(sentences: Sequence[Sentence], listing: frozenset[int]) -> list[Sentence]:
    """``sentences`` with those of ``listing`` that state a problem labelled problem (copies of those only)."""
    out = []
    for s in sentences:
        if s.i in listing and s.label != "problem" and any(
                states_problem(s.text[a:b]) for a, b in clause_spans(s.text)):
            s = s.model_copy(update={"label": "problem"})
        out.append(s)
    return out
