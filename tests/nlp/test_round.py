from __future__ import annotations

import pytest

from nlp.bundle import RoundModels, load_bundle
from nlp.classify.encoders import HashEncoder
from nlp.pipeline import analyze
from nlp.round import RoundSummary, find_near_duplicates, review_round
from tests.builders import make_docx
from tests.nlp.test_pipeline import GOOD


def HashModels() -> RoundModels:  # noqa: N802 - stands where the encoder stood
    return RoundModels(load_bundle().config, None, HashEncoder())


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    bundle = load_bundle()
    out = []
    for k, place in enumerate(["安平县", "东坪县", "梅岭县", "清源县"]):
        items = [(kind, text.replace("安平县", place)) for kind, text in GOOD]
        if k == 3:  # a copy of the first report under another name
            items = [(kind, text.replace("安平县", place)) for kind, text in GOOD]
        elif k:
            items = [(kind, text.replace("河道采砂", f"第{k}类事项").replace("186", str(100 + k * 7))) for kind, text in items]
            items = [(kind, text.replace("局党组", f"局党组（第{k}次）")) for kind, text in items]
        out.append(analyze(make_docx(items), f"{place}水利局.docx", bundle))
    return out


def test_later_copy_is_flagged_and_returned(results) -> None:  # type: ignore[no-untyped-def]
    near = find_near_duplicates(results, 0.6)
    assert "清源县水利局.docx" in near and near["清源县水利局.docx"][0] == "安平县水利局.docx"
    assert "安平县水利局.docx" not in near
    review = review_round(results, HashModels())
    by_name = {r.document.filename: r for r in review.results}
    assert by_name["清源县水利局.docx"].verdict.decision == "return"
    assert by_name["清源县水利局.docx"].verdict.reasons[0].code == "NEAR_DUPLICATE"


def test_every_issue_gets_a_scope(results) -> None:  # type: ignore[no-untyped-def]
    review = review_round(results, HashModels())
    scopes = {i.scope for r in review.results for i in r.issues if i.latent_basis != "omission"}
    assert scopes <= {"common", "specific"} and "common" in scopes
    assert review.common and all(len(c.units) >= 3 for c in review.common)


def test_sketches_from_the_workers_give_the_same_review(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.cluster.duplicates import sketch

    plain = review_round(results, HashModels())
    sketched = review_round(results, HashModels(), sketches=[sketch(r.document.text) for r in results])
    partial = review_round(results, HashModels(), sketches=[None, sketch(results[1].document.text), None, None])
    assert plain == sketched == partial
    assert plain.near_duplicates["清源县水利局.docx"][0] == "安平县水利局.docx"


def test_only_what_the_round_changes_is_copied(results) -> None:  # type: ignore[no-untyped-def]
    first = review_round(results, HashModels())
    assert all(r.issues[0] is not s.issues[0] for r, s in zip(results, first.results, strict=True) if r.issues)
    again = review_round(list(first.results), HashModels())  # a round reviewed again, as a resumed batch reads it
    assert again.results == first.results
    assert all(a is b for a, b in zip(again.results, first.results, strict=True))


def test_the_summary_lists_groups_with_members_and_every_issue_carries_its_group(results) -> None:  # type: ignore[no-untyped-def]
    review = review_round(results, HashModels(), round_name="测试批次")
    summary = review.summary
    assert summary.round == "测试批次" and summary.reports == 4 and sum(summary.decisions.values()) == 4
    stated = [i for r in review.results for i in r.issues if i.latent_basis != "omission"]
    assert stated and all(i.group for i in stated)
    ids = {i.id for i in stated}
    for c in summary.common_problems:
        assert c.scope == "common" and c.members and set(c.members) <= ids and c.title == c.text
        assert {i.group for i in stated if i.id in c.members} == {c.id}
    assert {g.id for g in review.groups} == {i.group for i in stated}  # every group, common or not
    again = RoundSummary.model_validate_json(summary.model_dump_json())  # one type, read back as written
    assert again == summary


def test_an_earlier_version_of_a_result_is_decided_again_not_patched(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.doc import Verdict

    copy = results[3]
    stale = copy.model_copy(update={"verdict": Verdict(decision="pass")})  # as if stored before the round step
    review = review_round([results[0], stale], HashModels())
    assert review.results[1].verdict.decision == "return"
    assert [r.code for r in review.results[1].verdict.reasons].count("NEAR_DUPLICATE") == 1


def test_a_verdict_is_built_in_one_module_only() -> None:
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    builders = sorted(str(p.relative_to(root)) for p in [*root.glob("nlp/**/*.py"), *root.glob("api/**/*.py")]
                      if re.search(r"(?<!class )\bVerdict\(", p.read_text(encoding="utf-8")))
    assert builders == ["nlp/review/verdict.py"]


def test_a_moved_issue_is_grouped_where_the_reviewer_put_it(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.review.corrections import Correction, apply_corrections

    config = load_bundle().config
    plain = review_round(results, HashModels())
    common, target = plain.common[:2]
    moved, alone = common.members[0], target.members[-1]  # not the one that names the group (G-<first member>)

    def owner(issue_id: str) -> int:
        return next(k for k, r in enumerate(results) if any(i.id == issue_id for i in r.issues))

    k = owner(moved)
    fixes = {k: [Correction(target="issue", issue_id=moved, after={"group": target.id}),
                 Correction(target="verdict", after={"decision": "pass", "reason": "经复核同意通过"})]}
    fixes.setdefault(owner(alone), []).append(Correction(target="issue", issue_id=alone, after={"group": None}))
    inputs = [apply_corrections(r, fixes.get(j, []), config) for j, r in enumerate(results)]
    review = review_round(inputs, HashModels())
    group = next(g for g in review.groups if g.id == target.id)
    assert moved in group.members and alone not in group.members and results[k].document.unit in group.units
    assert all(moved not in g.members for g in review.groups if g.id != target.id)
    issue = next(i for i in review.results[k].issues if i.id == moved)
    assert (issue.group, issue.scope) == (group.id, group.scope)
    by_alone = next(i for i in review.results[owner(alone)].issues if i.id == alone)
    assert (by_alone.group, by_alone.scope) == (f"G-{alone}", "specific")  # out of its group: alone
    assert review.results[k].verdict.decision == "pass"  # the round step keeps a reviewer's decision
    assert review.summary.decisions["pass"] == plain.summary.decisions["pass"] + (
        plain.results[k].verdict.decision != "pass")
