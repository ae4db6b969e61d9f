from __future__ import annotations

from nlp.doc import Issue, Sentence, Span
from nlp.review.metrics import compute_metrics


def test_shares_count_characters_of_labelled_body_sentences() -> None:
    sents = [Sentence(i=0, start=0, end=10, text="a" * 10, label="achievement"),
             Sentence(i=1, start=10, end=16, text="b" * 6, label="problem"),
             Sentence(i=2, start=16, end=20, text="c" * 4, label="cause"),
             Sentence(i=3, start=20, end=30, text="d" * 10, label="measure"),
             Sentence(i=4, start=30, end=80, text="e" * 50, label="other")]
    ev = (Span(start=10, end=16, text="b" * 6),)
    issues = [Issue(id="1", text="x", domain="leadership", visibility="explicit", vague=True, evidence=ev,
                    measure=Span(start=20, end=30, text="d" * 10)),
              Issue(id="2", text="y", domain="leadership", visibility="latent", latent_basis="omission", vague=False)]
    m = compute_metrics(sents, issues, [])
    assert (m.problem_share, m.achievement_share, m.measure_share) == (round(10 / 30, 4), round(10 / 30, 4), round(10 / 30, 4))
    assert (m.problems_total, m.problems_vague, m.problems_with_measure, m.causes_total) == (1, 1, 1, 1)


def _labelled(achievement: int, problem: int, measure: int = 0) -> list[Sentence]:
    out, pos = [], 0
    for label, n in (("achievement", achievement), ("problem", problem), ("measure", measure)):
        if n:
            out.append(Sentence(i=len(out), start=pos, end=pos + n, text="x" * n, label=label))
            pos += n
    return out


import pytest  # noqa: E402

from nlp.config import VerdictPolicy  # noqa: E402


@pytest.mark.parametrize(("achievement", "problem", "measure", "kind", "heavy"), [
    (90, 1, 9, "work_report", True),       # a work report: problems ~1% of the body
    (60, 18, 22, "annual_report", True),   # 18%, achievements three times over
    (100, 0, 0, "news", True),             # a news item that only praises
    (50, 30, 20, "annual_report", False),  # a real problem part
    (25, 15, 60, "self_report", False),    # few problems but few achievements too: plans dominate
    (0, 0, 100, "self_report", False),     # nothing but plans: no achievements to be heavy with
    (90, 1, 9, "transcript", False),       # a conversation is not judged
])
def test_achievement_heavy(achievement: int, problem: int, measure: int, kind: str, heavy: bool) -> None:
    m = compute_metrics(_labelled(achievement, problem, measure), [], [], kind=kind, policy=VerdictPolicy())
    assert m.achievement_heavy is heavy
