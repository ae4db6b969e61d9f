from __future__ import annotations

import pytest

from nlp.bundle import load_bundle
from nlp.checklist.round import find_near_duplicates, review_round
from nlp.classify.encoders import HashEncoder
from nlp.pipeline import analyze
from tests.builders import make_docx
from tests.nlp.test_pipeline import GOOD


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
    review = review_round(results, HashEncoder())
    by_name = {r.document.filename: r for r in review.results}
    assert by_name["清源县水利局.docx"].verdict.decision == "return"
    assert by_name["清源县水利局.docx"].verdict.reasons[0].code == "NEAR_DUPLICATE"


def test_every_issue_gets_a_scope(results) -> None:  # type: ignore[no-untyped-def]
    review = review_round(results, HashEncoder())
    scopes = {i.scope for r in review.results for i in r.issues if i.latent_basis != "omission"}
    assert scopes <= {"common", "specific"} and "common" in scopes
    assert review.common and all(len(c.units) >= 3 for c in review.common)


def test_sketches_from_the_workers_give_the_same_review(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.cluster.duplicates import sketch

    plain = review_round(results, HashEncoder())
    sketched = review_round(results, HashEncoder(), sketches=[sketch(r.document.text) for r in results])
    partial = review_round(results, HashEncoder(), sketches=[None, sketch(results[1].document.text), None, None])
    assert plain == sketched == partial
    assert plain.near_duplicates["清源县水利局.docx"][0] == "安平县水利局.docx"


def test_only_what_the_round_changes_is_copied(results) -> None:  # type: ignore[no-untyped-def]
    first = review_round(results, HashEncoder())
    assert all(r.issues[0] is not s.issues[0] for r, s in zip(results, first.results, strict=True) if r.issues)
    again = review_round(list(first.results), HashEncoder())  # a round reviewed again, as a resumed batch reads it
    assert again.results == first.results
    assert all(a is b for a, b in zip(again.results, first.results, strict=True))
