"""``apply_corrections``: the corrected state is a pure function of the machine's analysis and the corrections."""

from __future__ import annotations

import json

import pytest

from nlp.bundle import load_bundle
from nlp.doc import AnalysisResult
from nlp.pipeline import analyze
from nlp.review.corrections import Correction, apply_corrections
from nlp.review.reasons import near_duplicate_reason
from nlp.review.verdict import decide_again, overridden
from tests.builders import make_txt


@pytest.fixture(scope="module")
def machine() -> tuple[AnalysisResult, object]:
    bundle = load_bundle()
    return analyze(make_txt(), "r.txt", bundle, unit="甲县司法局"), bundle.config


def test_no_corrections_is_the_analysis_itself_and_serialises_as_before(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    assert apply_corrections(result, [], config) is result
    text = result.model_dump_json()
    for key in ('"dismissed"', '"dismissed_reason"', '"origin"', '"machine"', '"override"'):
        assert key not in text  # the extra fields stay out of an uncorrected analysis's JSON
    assert AnalysisResult.model_validate_json(text) == result


def test_dismissed_issues_are_marked_and_counted_nowhere(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    stated = [i for i in result.issues if i.latent_basis != "omission"]
    fixed = apply_corrections(result, [Correction(target="issue", issue_id=stated[0].id,
                                                  after={"dismissed": True, "reason": "重复"})], config)
    issue = next(i for i in fixed.issues if i.id == stated[0].id)
    assert issue.dismissed and issue.dismissed_reason == "重复"
    assert fixed.metrics.problems_total == result.metrics.problems_total - 1
    assert json.loads(fixed.model_dump_json())["issues"][result.issues.index(stated[0])]["dismissed"] is True
    restored = apply_corrections(result, [
        Correction(target="issue", issue_id=stated[0].id, after={"dismissed": True, "reason": "重复"}),
        Correction(target="issue", issue_id=stated[0].id, after={"dismissed": False, "reason": None})], config)
    assert restored.issues == result.issues and restored.metrics == result.metrics  # the later correction wins


def test_an_added_issue_has_its_span_and_sentences(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    s = next(x for x in result.sentences if x.label == "achievement")
    fixed = apply_corrections(result, [Correction(target="added_issue", after={
        "id": "r1", "start": s.start, "end": s.end, "domain": "legal_publicity"})], config)
    added = fixed.issues[-1]
    assert (added.id, added.origin, added.domain, added.sentences) == ("r1", "reviewer", "legal_publicity", (s.i,))
    assert added.evidence[0].text == result.document.text[s.start:s.end]
    assert fixed.metrics.problems_total == result.metrics.problems_total + 1


def test_relabelled_sentences_change_the_shares_with_certainty(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    problems = [s for s in result.sentences if s.label in ("problem", "cause")]
    assert problems
    fixed = apply_corrections(result, [Correction(target="sentence", after={"i": s.i, "label": "achievement"})
                                       for s in problems], config)
    assert fixed.metrics.problem_share == 0.0 and result.metrics.problem_share > 0
    assert all(fixed.sentences[k].score == 1.0 for k, s in enumerate(result.sentences) if s in problems)


def test_an_override_keeps_the_machines_verdict(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    fixed = apply_corrections(result, [Correction(target="verdict", after={"decision": "return", "reason": "照抄"},
                                                  by="王审核", at="2026-01-02T00:00:00+00:00")], config)
    assert fixed.verdict.decision == "return" and fixed.verdict.machine is not None
    assert fixed.verdict.machine.decision == result.verdict.decision
    assert fixed.verdict.override is not None and fixed.verdict.override.by == "王审核"
    assert fixed.verdict.reasons == result.verdict.reasons


def test_a_withdrawn_override_leaves_the_machines_decision_over_the_corrections(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    relabel = [Correction(target="sentence", after={"i": s.i, "label": "achievement"})
               for s in result.sentences if s.label in ("problem", "cause")]
    override = Correction(target="verdict", after={"decision": "pass", "reason": "同意"})
    withdraw = Correction(target="verdict", after={"decision": None})
    fixed = apply_corrections(result, [*relabel, override, withdraw], config)
    assert fixed == apply_corrections(result, relabel, config)  # as if never overridden, the relabelling kept
    assert fixed.verdict.override is None and fixed.verdict.machine is None
    assert "LOW_PROBLEM_SHARE" in [r.code for r in fixed.verdict.reasons]
    again = apply_corrections(result, [override, withdraw, override], config)  # a later override works again
    assert again.verdict.decision == "pass" and again.verdict.override is not None


def _omitted(result: AnalysisResult) -> list[str]:
    return sorted(i.domain for i in result.issues if i.latent_basis == "omission")


def test_a_kind_correction_brings_that_kinds_omission_checks(machine) -> None:  # type: ignore[no-untyped-def]
    _, config = machine
    bundle = load_bundle()
    work = analyze(make_txt(), "r.txt", bundle, unit="甲县司法局", kind="work_report")  # a kind owing no topic
    annual = analyze(make_txt(), "r.txt", bundle, unit="甲县司法局", kind="annual_report")
    assert _omitted(work) == [] and work.verdict.decision == "pass"
    fixed = apply_corrections(work, [Correction(target="document", after={"kind": "annual_report"})], config)
    assert _omitted(fixed) == _omitted(annual) == ["leadership", "reconsideration_litigation"]
    assert [i.id for i in fixed.issues if i.latent_basis == "omission"] == \
        [i.id for i in annual.issues if i.latent_basis == "omission"]  # the ids the analysis would give
    assert fixed.verdict == annual.verdict and "MISSING_REQUIRED_TOPIC" in [r.code for r in fixed.verdict.reasons]
    assert fixed.metrics == work.metrics  # omissions are no stated problems
    back = apply_corrections(annual, [Correction(target="document", after={"kind": "work_report"})], config)
    assert _omitted(back) == [] and back.verdict == work.verdict


def test_an_omission_keeps_its_corrections_across_kind_changes(machine) -> None:  # type: ignore[no-untyped-def]
    _, config = machine
    annual = analyze(make_txt(), "r.txt", load_bundle(), unit="甲县司法局", kind="annual_report")
    lead = next(i for i in annual.issues if i.latent_basis == "omission" and i.domain == "leadership")
    dismiss = Correction(target="issue", issue_id=lead.id, after={"dismissed": True, "reason": "非问题"})
    to = [Correction(target="document", after={"kind": k}) for k in ("work_report", "annual_report")]
    fixed = apply_corrections(annual, [dismiss, *to], config)  # away and back: the dismissal stays
    assert next(i for i in fixed.issues if i.id == lead.id).dismissed
    assert "MISSING_REQUIRED_TOPIC" not in [r.code for r in fixed.verdict.reasons]
    shufa = apply_corrections(annual, [dismiss, Correction(target="document", after={"kind": "shufa_report"})],
                              config)  # a kind that checks it too: the issue stays, as corrected, in its place
    assert [i.id for i in shufa.issues] == [i.id for i in annual.issues]
    assert next(i for i in shufa.issues if i.id == lead.id).dismissed


def test_document_corrections_are_validated_and_applied(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    fixed = apply_corrections(result, [Correction(target="document", after={"unit": "乙县司法局", "year": 2023})],
                              config)
    assert (fixed.document.unit, fixed.document.year) == ("乙县司法局", 2023)
    with pytest.raises(ValueError):
        apply_corrections(result, [Correction(target="document", after={"kind": "no_such_kind"})], config)


def test_round_level_reasons_survive_a_correction(machine) -> None:  # type: ignore[no-untyped-def]
    from nlp.review.reasons import ReviewInput

    result, config = machine
    copied = result.verdict.model_copy(update={"decision": "return", "reasons": (
        *result.verdict.reasons, near_duplicate_reason("乙.docx", 0.93))})
    again = decide_again(ReviewInput(result.document, result.sentences, result.issues, result.metrics, config), copied)
    assert again.decision == "return" and "NEAR_DUPLICATE" in [r.code for r in again.reasons]
    assert overridden(again, "revise", "已核实非照抄").machine.decision == "return"  # type: ignore[union-attr]


def test_a_group_or_a_type_given_moves_the_issue(machine) -> None:  # type: ignore[no-untyped-def]
    result, config = machine
    first = next(i for i in result.issues if i.latent_basis != "omission")

    def fixed(*afters: dict) -> object:  # type: ignore[type-arg]
        out = apply_corrections(result, [Correction(target="issue", issue_id=first.id, after=a) for a in afters],
                                config)
        return next((i.group, i.moved, i.problem_type) for i in out.issues if i.id == first.id)

    assert fixed({"group": "G-abc"}) == ("G-abc", True, first.problem_type)
    assert fixed({"group": None})[:2] == (f"G-{first.id}", True)  # out of its group: a group of its own
    assert fixed({"problem_type": "le_cert"}) == ("T-le_cert", True, "le_cert")
    assert fixed({"problem_type": "le_cert", "group": "G-abc"}) == ("G-abc", True, "le_cert")  # the group named
    assert fixed({"problem_type": "le_cert"}, {"problem_type": None})[1:] == (False, None)  # grouped again
    assert fixed({"group": "G-abc"}, {"problem_type": None})[:2] == ("G-abc", True)  # the move named stays
    assert '"moved"' not in result.model_dump_json()
