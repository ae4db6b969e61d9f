"""Generated review rounds with planted common problems, and the common/specific F1 of a grouping on them.

Used twice, on disjoint paraphrase groups: by ``prereview train`` to calibrate the encoder's grouping
similarity (dev groups the dev encoder never saw) and by ``prereview evaluate`` to report scope quality
(held-out groups the final encoder never saw).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from nlp.classify.encoders import Encoder
from nlp.cluster.rounds import RoundIssue, common_threshold, group_issues, scope_by_issue


@dataclass(frozen=True)
class PlantedRound:
    units: int
    issues: tuple[RoundIssue, ...]
    common: frozenset[str]  # ids of the issues whose problem spans at least the common threshold of units
    # the same, when groups that restate one problem count as one (``equivalences``); ``common`` when none are given
    common_read: frozenset[str] | None = None


def planted_round(pools: Any, groups: Sequence[str], seed: int, units: int = 200,
                  equivalences: Sequence[dict[str, str]] = ()) -> PlantedRound:
    """A round of ``units`` reports (one each) whose common problems are planted from paraphrase ``groups``.

    Specific problems come from the other paraphrase groups only: the train pool's issue sentences repeat stock
    problems (普法针对性不强 …) dozens of times, so counting each as a problem of its own would score grouping
    them as a false common problem.

    ``equivalences`` (``corpora/pools/equivalences.jsonl``, judged by reading the groups): two groups written apart
    can restate one problem (报备不及时 twice), or one can be a sub-problem of another's theme. ``common_read``
    counts them so: a line of a group that restates a planted problem, or is a part of a planted theme, has that
    problem too. ``common`` stays the strict reading (its own group only).
    """
    from nlp.extract.issues import checklist_line
    from nlp.training.corpus.generate import GeneratorConfig, generate

    cfg = GeneratorConfig(n=units, units=units, seed=seed, profiles={"good": 1.0}, target_chars=3500,
                          plant_from=tuple(groups), specific_from_pool=False)
    issues, group_of = [], {}
    for rec in generate(cfg, pools):
        for issue in rec["issues"]:
            if issue["evidence"]:
                ev = issue["evidence"][0]
                issues.append(RoundIssue(issue["id"], rec["unit"], checklist_line(rec["text"][ev["start"]:ev["end"]]),
                                         issue["domain"]))
                group_of[issue["id"]] = issue["group"] or issue["id"]
    units_of: dict[str, set[str]] = defaultdict(set)
    for x in issues:
        units_of[group_of[x.id]].add(x.unit)
    need = common_threshold(units)
    common = frozenset(x.id for x in issues if len(units_of[group_of[x.id]]) >= need)
    read = _common_read(issues, group_of, need, equivalences) if equivalences else common
    return PlantedRound(units, tuple(issues), common, read)


def _common_read(issues: Sequence[RoundIssue], group_of: dict[str, str], need: int,
                 equivalences: Sequence[dict[str, str]]) -> frozenset[str]:
    """Ids of the issues whose problem spans ``need`` units when equivalent groups are one problem (``same``), and a
    group that is a part of another's theme (``a_in_b``, ``b_in_a``) counts with it when that one is common."""
    parent: dict[str, str] = {}

    def find(g: str) -> str:
        while parent.get(g, g) != g:
            g = parent[g]
        return g

    inside: dict[str, set[str]] = defaultdict(set)  # group → the broader groups it is a part of
    for e in sorted(equivalences, key=lambda e: (e["a"], e["b"])):
        if e["relation"] == "same":
            a, b = sorted((find(e["a"]), find(e["b"])))
            if a != b:
                parent[b] = a
        elif e["relation"] == "a_in_b":
            inside[e["a"]].add(e["b"])
        elif e["relation"] == "b_in_a":
            inside[e["b"]].add(e["a"])
    units_of: dict[str, set[str]] = defaultdict(set)
    for x in issues:
        units_of[find(group_of[x.id])].add(x.unit)
    common_classes = {k for k, v in units_of.items() if len(v) >= need}
    key = {}
    for x in issues:
        own = find(group_of[x.id])
        wider = sorted(c for c in (find(b) for b in inside.get(group_of[x.id], ())) if c in common_classes)
        key[x.id] = own if own in common_classes or not wider else wider[0]
        units_of[key[x.id]].add(x.unit)
    return frozenset(i for i, k in key.items() if len(units_of[k]) >= need)


def scope_f1(planted: PlantedRound, scopes: dict[str, str | None]) -> dict[str, float]:
    """F1 of the common class, and the mean of the common and specific F1s; ``f1_common_read``: the common F1 when
    equivalent groups are one problem (``PlantedRound.common_read``)."""
    ids = [x.id for x in planted.issues]

    def f1(gold: frozenset[str]) -> tuple[float, float]:
        tp = sum(i in gold and scopes[i] == "common" for i in ids)
        fp = sum(i not in gold and scopes[i] == "common" for i in ids)
        fn = sum(i in gold and scopes[i] != "common" for i in ids)
        tn = len(ids) - tp - fp - fn
        return 2 * tp / max(2 * tp + fp + fn, 1), 2 * tn / max(2 * tn + fp + fn, 1)

    common, specific = f1(planted.common)
    read, _ = f1(planted.common_read if planted.common_read is not None else planted.common)
    return {"f1_common": round(common, 4), "f1_macro": round((common + specific) / 2, 4),
            "f1_common_read": round(read, 4)}


def typed(planted: PlantedRound, policy: Any) -> tuple[PlantedRound, dict[str, tuple[str, str]]]:
    """The round with each issue's problem type as analysis gives it (``policy``: the bundle's
    ``[problem_types]``), and the types' (statement, domain) for grouping."""
    from nlp.extract.problem_typing import near_types, type_matcher
    from nlp.problem_types import load_problem_types

    texts = [i.text for i in planted.issues]
    matches = type_matcher(policy.file, policy.min_score).match(texts)
    issues = tuple(replace(i, problem_type=m.code, near_type=None if m.code else n)
                   for i, m, n in zip(planted.issues, matches, near_types(texts, policy), strict=True))
    types = {t.code: (t.statement, t.domain) for t in load_problem_types(policy.file)}
    return replace(planted, issues=issues), types


def score_grouping(planted: PlantedRound, encoder: Encoder, similarity: float | None = None,
                   shuffles: int = 1, types: dict[str, tuple[str, str]] | None = None,
                   theme: float | None = None) -> dict[str, Any]:
    """Group the round in ``shuffles`` shuffled orders; F1 of the first, and whether all orders agree. ``types``:
    group issues of a known type by type, as the round step does (issues typed with ``typed``); ``theme``: the theme
    similarity to use instead of the encoder's calibrated one."""
    from nlp.config import GroupingPolicy

    policy = GroupingPolicy(theme_similarity=theme) if theme is not None else None
    runs = []
    for k in range(shuffles):
        order = list(planted.issues)
        random.Random(k).shuffle(order)
        groups = group_issues(order, encoder, n_units=planted.units, similarity=similarity, types=types,
                              policy=policy)
        runs.append(scope_by_issue(groups))
    scores = scope_f1(planted, {i: s for i, (s, _) in runs[0].items()})
    return {**scores, "identical_across_orders": all(r == runs[0] for r in runs[1:])}


SIMILARITIES = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
THEMES = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75)


def calibrate_similarity(rounds: Sequence[PlantedRound], encoder: Encoder,
                         candidates: Sequence[float] = SIMILARITIES, policy: Any = None,
                         themes: Sequence[float] = THEMES) -> tuple[tuple[float, float], dict[str, float]]:
    """The (grouping similarity, theme similarity) with the best mean common F1 over ``rounds`` (ties: the higher,
    stricter pair). Both are properties of the encoder's scale (an encoder trained on more varied paraphrases gives
    lower cosines throughout), so they are chosen together. ``policy`` (a ``[problem_types]`` policy): type the
    rounds' issues first and group as the round step does. The means are keyed ``"similarity/theme"``."""
    prepared = [typed(r, policy) if policy is not None else (r, None) for r in rounds]
    pairs = [(t, h) for t in candidates for h in themes]
    means = {pair: sum(score_grouping(r, encoder, pair[0], types=types, theme=pair[1])["f1_common"]
                       for r, types in prepared) / len(prepared) for pair in pairs}
    best = max(sorted(means, reverse=True), key=lambda pair: means[pair])
    return best, {f"{t}/{h}": round(v, 4) for (t, h), v in means.items()}
