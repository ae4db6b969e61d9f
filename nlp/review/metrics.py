"""How much of a report is achievements, problems and measures; how many problems are vague or answered."""

from __future__ import annotations

from nlp.doc import Indicator, Issue, Metrics, Sentence


def compute_metrics(sentences: list[Sentence] | tuple[Sentence, ...], issues: list[Issue],
                    indicators: list[Indicator]) -> Metrics:
    """problem_share = characters of problem+cause sentences / characters of all labelled body sentences."""
    chars = {"achievement": 0, "problem": 0, "cause": 0, "measure": 0}
    causes = 0
    for s in sentences:
        if s.label in chars:
            chars[s.label] += s.end - s.start
        causes += s.label == "cause"
    body = sum(chars.values()) or 1
    stated = [i for i in issues if i.latent_basis != "omission"]
    return Metrics(
        problem_share=round((chars["problem"] + chars["cause"]) / body, 4),
        achievement_share=round(chars["achievement"] / body, 4),
        measure_share=round(chars["measure"] / body, 4),
        problems_total=len(stated),
        problems_vague=sum(i.vague for i in stated),
        problems_with_measure=sum(i.measure is not None for i in stated),
        causes_total=causes,
        indicators=tuple(indicators),
    )
