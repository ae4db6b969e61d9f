"""How much of a report is achievements, problems and measures; how many problems are vague or answered."""

from __future__ import annotations

from nlp.config import VerdictPolicy
from nlp.doc import Indicator, Issue, Metrics, Sentence


def compute_metrics(sentences: list[Sentence] | tuple[Sentence, ...], issues: list[Issue],
                    indicators: list[Indicator], *, kind: str = "other", policy: VerdictPolicy | None = None) -> Metrics:
    """problem_share = characters of problem+cause sentences / characters of all labelled body sentences.

    ``achievement_heavy`` (讲成绩多、讲问题少) is judged for every kind but ``policy.achievement_heavy_skip``: the
    problem share is below ``achievement_heavy_share`` while achievements outweigh problems
    ``achievement_heavy_ratio`` times over.
    """
    chars = {"achievement": 0, "problem": 0, "cause": 0, "measure": 0}
    causes = 0
    for s in sentences:
        if s.label in chars:
            chars[s.label] += s.end - s.start
        causes += s.label == "cause"
    body = sum(chars.values()) or 1
    stated = [i for i in issues if i.latent_basis != "omission"]
    problem_share = round((chars["problem"] + chars["cause"]) / body, 4)
    achievement_share = round(chars["achievement"] / body, 4)
    return Metrics(
        problem_share=problem_share,
        achievement_share=achievement_share,
        achievement_heavy=is_achievement_heavy(problem_share, achievement_share, kind, policy or VerdictPolicy()),
        measure_share=round(chars["measure"] / body, 4),
        problems_total=len(stated),
        problems_vague=sum(i.vague for i in stated),
        problems_with_measure=sum(i.measure is not None for i in stated),
        causes_total=causes,
        indicators=tuple(indicators),
    )


def is_achievement_heavy(problem_share: float, achievement_share: float, kind: str, policy: VerdictPolicy) -> bool:
    """True when the text lists achievements and says little about problems."""
    if kind in policy.achievement_heavy_skip or achievement_share <= 0:
        return False
    return (problem_share < policy.achievement_heavy_share
            and achievement_share >= policy.achievement_heavy_ratio * problem_share)
