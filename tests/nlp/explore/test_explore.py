from __future__ import annotations

import pandas as pd
import pytest

from nlp.bundle import load_bundle
from nlp.classify.encoders import HashEncoder
from nlp.explore import plots
from nlp.explore.render import render_report_html
from nlp.explore.search import compare_reports, export_selection, search_problems
from nlp.pipeline import analyze
from tests.builders import make_docx
from tests.nlp.test_pipeline import BRAGGING, GOOD


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    bundle = load_bundle()
    return analyze(make_docx(GOOD), "a.docx", bundle), analyze(make_docx(BRAGGING), "b.docx", bundle)


def frames(results):  # type: ignore[no-untyped-def]
    reports = pd.DataFrame([{"file": r.document.filename, "unit": r.document.unit, "decision": r.verdict.decision,
                             "problem_share": r.metrics.problem_share} for r in results])
    issues = pd.DataFrame([{"file": r.document.filename, "unit": r.document.unit, "id": i.id, "text": i.text,
                            "domain": i.domain, "domain_name": i.domain, "visibility": i.visibility, "scope": i.scope,
                            "vague": i.vague, "has_measure": i.measure is not None} for r in results for i in r.issues])
    return reports, issues


def test_figures_have_chinese_titles(results) -> None:  # type: ignore[no-untyped-def]
    reports, issues = frames(results)
    for fig in (plots.plot_decisions(reports), plots.plot_problem_share(reports), plots.plot_domain_heatmap(issues)):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in fig.axes[0].get_title())


def test_report_html_marks_roles_and_escapes(results) -> None:  # type: ignore[no-untyped-def]
    page = render_report_html(results[1])
    assert "退回" in page and "#e8f4ea" in page and "<script" not in page


def test_search_compare_and_export(results, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, issues = frames(results)
    hits = search_problems(issues, "河道采砂执法力量不足", HashEncoder(), k=2)
    assert "采砂" in hits.iloc[0]["text"]
    diff = compare_reports(results[1], results[0], HashEncoder())
    assert diff["added"] and not diff["dropped"]
    same = compare_reports(results[0], results[0], HashEncoder())
    assert not same["added"] and not same["dropped"] and same["repeated"]
    path = export_selection(hits, str(tmp_path / "sel.xlsx"))
    assert list(pd.read_excel(path).columns)[:2] == ["单位", "问题"]


def test_report_html_quotes_evidence_from_another_file_instead_of_marking_its_offsets(results) -> None:  # type: ignore[no-untyped-def]
    from nlp.doc import Reason, Span, Verdict

    report = results[0]
    claim, other = report.sentences[1], report.sentences[2]
    # the transcript's span happens to have the offsets of another sentence of this report
    said = ("答：局长本人只出庭过一次，其余都是委托律师。" * 9)[:len(other.text)]
    foreign = Span(start=other.start, end=other.end, text=said, document="谈话记录.txt")
    reason = Reason(code="CROSS_SOURCE_CONTRADICTION", message="报告所述与谈话反映不符。",
                    evidence=(Span(start=claim.start, end=claim.end, text=claim.text), foreign))
    page = render_report_html(report.model_copy(update={"verdict": Verdict(decision="revise", reasons=(reason,))}))
    marked = [s for s in report.sentences if f'outline:2px solid #c0392b;">{s.text}' in page]
    assert [s.i for s in marked] == [claim.i]
    assert f"“{said}”（谈话记录.txt）" in page
    assert page.index("谈话记录.txt") < page.index('<div style="line-height:1.9">')  # under the reason, not in the text
    own = foreign.model_copy(update={"document": "a.docx", "start": other.start, "end": other.end, "text": other.text})
    named = reason.model_copy(update={"evidence": (own,)})
    page = render_report_html(report.model_copy(update={"verdict": Verdict(decision="revise", reasons=(named,))}))
    assert f'outline:2px solid #c0392b;">{other.text}' in page  # a span naming this very file is this file's
