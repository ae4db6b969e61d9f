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
