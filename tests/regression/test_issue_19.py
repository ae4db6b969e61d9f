"""Issue #19: the 体检单 of a report in a round showed the same row twice.

Two causes, both reproduced: a report that states a problem twice in the same words (a repeated paragraph) gave two
rows, and in the round step a problem only an interview raises was listed once as the transcript's own row and once
more as the row the interview raises. Checked on every path a 体检单 or checklist is made from: the unit checklist,
the round step's rows, and the service's stored rows after the round step ran (report upload and round job)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from nlp.checklist.build import unit_checklist
from nlp.pipeline import analyze
from nlp.report.word import checkup_docx
from nlp.round import review_round
from tests.api.conftest import Service, running_service, wait_job

UNIT = "白鹭县市场监督管理局"
REPEATED = "对连续两次抽查均不合格的14家食品经营户，只有2家被依法立案查处，执法震慑作用发挥不够"
# fmt: off
REPORT = "\n".join([
    f"{UNIT}2024年度法治政府建设情况报告",
    "一、主要工作",
    "全年办理市场监管行政处罚案件217件，重大执法决定全部经过法制审核。",
    "二、存在的问题",
    f"一是执法办案质量不高，抽查的40件案卷中有7件调查笔录缺少当事人签字；{REPEATED}。",
    "二是公平竞争审查流于形式，全年审查的23件文件均未提出修改意见。",
    f"三是执法装备更新滞后，全局执法记录仪仅有9台；{REPEATED}。",
    "三、下一步打算",
    "一是开展执法案卷专项评查，2025年6月底前逐卷补正调查笔录。",
    "二是建立公平竞争审查抽查机制，每半年抽查一次审查意见。",
])
TRANSCRIPT = "\n".join([
    f"{UNIT}谈话记录",
    "谈话时间：2025年3月12日",
    "谈话对象：周明远，法规科科长",
    "问：执法方面还有什么问题？",
    "答：局里的行政复议答复书去年有4份超过法定期限才提交，复议机关专门发函提醒过我们。",
    "",
])
# fmt: on


def _rows(data: bytes) -> list[str]:
    """The problem column of every row of the 体检单's problem table."""
    table = docx.Document(io.BytesIO(data)).tables[0]
    return [row.cells[1].text for row in table.rows[1:]]


def _repeats(texts: list[str]) -> list[str]:
    return [t for t, n in Counter(texts).items() if n > 1]


@pytest.fixture(scope="module")
def analysed():  # type: ignore[no-untyped-def]
    from nlp.bundle import load_bundle

    bundle = load_bundle()
    report = analyze(REPORT.encode("utf-8"), "白鹭县年度报告.txt", bundle, unit=UNIT, kind="annual_report", year=2024)
    talk = analyze(TRANSCRIPT.encode("utf-8"), "谈话记录-周明远.txt", bundle, unit=UNIT, kind="transcript", year=2024)
    return bundle, report, talk


def test_a_problem_stated_twice_is_one_row_of_the_checkup(analysed) -> None:  # type: ignore[no-untyped-def]
    _, report, _ = analysed
    assert sum(REPEATED in i.text for i in report.issues) == 2  # the analysis keeps both places
    checklist = unit_checklist(report, "2025年度法治评议")
    rows = _rows(checkup_docx(checklist))
    assert rows and not _repeats(rows) and sum(REPEATED in r for r in rows) == 1
    assert [i.number for i in checklist.items] == list(range(1, len(checklist.items) + 1))


def test_a_problem_only_the_interview_raises_is_one_row_of_the_round(analysed) -> None:  # type: ignore[no-untyped-def]
    bundle, report, talk = analysed
    review = review_round([report, talk], bundle, round_name="2025年度法治评议")
    raised = [row for row in review.items if row.item.latent_basis == "cross_source" and row.result == 1]
    assert raised, "the interview's problem is raised"
    assert not _repeats([(row.result, row.item.text) for row in review.items])
    per_file = Counter((row.result, row.item.issue_id) for row in review.items)
    assert max(per_file.values()) == 1
    numbers = [row.item.number for row in review.items if row.result == 1]
    assert len(numbers) == len(set(numbers))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running_service(tmp_path_factory.mktemp("issue19")) as svc:
        yield svc


def _checkup(service: Service, report_id: str) -> list[str]:
    res = service.client.get(f"/api/v1/reports/{report_id}/checkup.docx", headers=service.reviewer)
    assert res.status_code == 200, res.text
    return _rows(res.content)


@pytest.mark.parametrize("path", ["upload", "job"])
def test_the_service_checkup_after_the_round_step_has_no_repeated_row(service: Service, path: str) -> None:
    client, h = service.client, service.reviewer
    rid = client.post("/api/v1/rounds", json={"name": f"体检单复现批次-{path}"}, headers=h).json()["id"]
    files = [(f"{UNIT}_法治政府建设年度报告.txt", REPORT, "annual_report"), (f"{UNIT}_谈话记录.txt", TRANSCRIPT, "transcript")]
    ids = []
    if path == "upload":
        for name, text, kind in files:
            res = client.post("/api/v1/reports", files={"file": (name, text.encode("utf-8"))},
                              data={"unit": UNIT, "kind": kind, "year": "2024", "round": str(rid)}, headers=h)
            assert res.status_code == 201, res.text
            ids.append(res.json()["id"])
    else:
        res = client.post(f"/api/v1/rounds/{rid}/reports", headers=h,
                          files=[("files", (n, t.encode("utf-8"))) for n, t, _ in files])
        assert res.status_code == 202, res.text
        job = wait_job(client, h, res.json()["id"], timeout=60)
        ids = [f["report_id"] for f in job["files"]]
        assert len(ids) == 2 and all(ids), job
    for _ in range(2):  # the round step runs (summary refreshed), and again after nothing changed
        assert client.get(f"/api/v1/rounds/{rid}/summary", headers=h).status_code == 200
        checkups = [_checkup(service, i) for i in ids]
        assert all(rows and not _repeats(rows) for rows in checkups), checkups
        assert sum(REPEATED in r for rows in checkups for r in rows) == 1


# -- every reason code reads in Chinese wherever reasons are shown ------------------------------------------------

def reason_codes() -> set[str]:
    """Every code ``nlp.review.reasons`` can emit: the ``code=`` of each Reason it builds and its code constants."""
    import ast
    import re

    import nlp.review.reasons as reasons

    codes = set()
    for node in ast.walk(ast.parse(Path(reasons.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
            codes.add(node.value.value)
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                and re.fullmatch(r"[A-Z][A-Z_]{3,}", node.value.value)):
            codes.add(node.value.value)
    return codes


def _every_reason(result):  # type: ignore[no-untyped-def]
    """``result`` sent back for every reason code, each with a message of its own (so the name is what is looked for)."""
    from nlp.doc import Reason, Verdict

    reasons = tuple(Reason(code=code, message=f"第{k}条测试意见，请修改。") for k, code in enumerate(sorted(reason_codes())))
    return result.model_copy(update={"verdict": Verdict(decision="revise", reasons=reasons)})


def test_every_reason_code_has_a_chinese_name() -> None:
    from nlp.glossary import REASONS, reason_name

    codes = reason_codes()
    assert {"READS_AS_PUBLICITY", "NO_PERSONAL_DUTY", "CROSS_SOURCE_CONTRADICTION", "NEAR_DUPLICATE",
            "INDICATOR_ALERT", "LOW_PROBLEM_SHARE", "NOT_A_REPORT"} <= codes
    assert codes <= set(REASONS)
    assert all(reason_name(c)[0] >= "\u4e00" and not any(ch.isascii() for ch in reason_name(c)) for c in codes)
    assert reason_name("SOME_FUTURE_CODE") == "预审意见"


def test_the_report_page_names_every_reason_in_chinese(service: Service, analysed) -> None:  # type: ignore[no-untyped-def]
    import lxml.html
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from api.tables import Report
    from api.web import COOKIE
    from nlp.glossary import reason_name

    _, report, _ = analysed
    res = service.client.post("/api/v1/reports", files={"file": ("白鹭县全部意见.txt", (REPORT + "\n附记。").encode("utf-8"))},
                              data={"unit": UNIT, "kind": "annual_report", "year": "2024"}, headers=service.reviewer)
    assert res.status_code == 201, res.text
    report_id = res.json()["id"]
    with service.services.sessions.begin() as s:
        row = s.scalar(select(Report).where(Report.id == report_id))
        from nlp.doc import AnalysisResult

        row.result_json = _every_reason(AnalysisResult.model_validate_json(row.result_json)).model_dump_json()
        row.decision = "revise"
    browser = TestClient(service.app, follow_redirects=False)
    browser.cookies.set(COOKIE, service.reviewer["Authorization"].split(" ", 1)[1])
    page = browser.get(f"/reports/{report_id}")
    assert page.status_code == 200
    reasons = lxml.html.fromstring(page.text).get_element_by_id("reasons")
    shown = reasons.text_content()
    for code in reason_codes():
        assert reason_name(code) in shown and code not in shown, code


def test_csv_and_terminal_summary_name_every_reason_in_chinese(analysed) -> None:  # type: ignore[no-untyped-def]
    import csv

    from nlp.batch.outputs import _summary_csv
    from nlp.glossary import reason_name
    from nlp.report.summary import result_to_text

    _, report, _ = analysed
    every = _every_reason(report)
    rows = list(csv.DictReader(io.StringIO(_summary_csv([("白鹭县", every)]).lstrip("\ufeff"))))
    names = rows[0]["意见类别"].split("；")
    assert names == [reason_name(r.code) for r in every.verdict.reasons]
    for column, value in rows[0].items():
        if column not in ("意见代码", "结论代码", "类型代码", "结果文件"):
            assert not any(code in value for code in reason_codes()), column
    text = result_to_text(every)
    assert all(f"【{reason_name(c)}】" in text and c not in text for c in reason_codes())


def test_the_checklist_workbook_names_every_reason_in_chinese(analysed) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from nlp.glossary import reason_name
    from nlp.report.excel import VERDICT_SHEET, write_checklist_xlsx

    _, report, _ = analysed
    every = _every_reason(report)
    wb = openpyxl.load_workbook(io.BytesIO(write_checklist_xlsx([("个性问题清单", [])], verdicts=[every, report])))
    ws = wb[VERDICT_SHEET]
    rows = [dict(zip([c.value for c in ws[1]], row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]
    assert [r["文件"] for r in rows] == [every.document.filename, report.document.filename]
    assert rows[0]["预审结论"] == "修改" and rows[0]["退改理由"].split("；") == [reason_name(r.code) for r in every.verdict.reasons]
    cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not [c for c in cells if any(code in c for code in reason_codes())]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_the_round_page_names_each_reports_reasons_in_chinese(service: Service) -> None:
    import lxml.html
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from api.tables import Report
    from api.web import COOKIE
    from nlp.doc import AnalysisResult
    from nlp.glossary import reason_name

    h = service.reviewer
    rid = service.client.post("/api/v1/rounds", json={"name": "退改理由批次"}, headers=h).json()["id"]
    res = service.client.post("/api/v1/reports", files={"file": ("白鹭县退改理由.txt", (REPORT + "\n再记。").encode("utf-8"))},
                              data={"unit": UNIT, "kind": "annual_report", "year": "2024", "round": str(rid)}, headers=h)
    assert res.status_code == 201, res.text
    assert service.client.get(f"/api/v1/rounds/{rid}/summary", headers=h).status_code == 200
    with service.services.sessions.begin() as s:
        row = s.scalar(select(Report).where(Report.id == res.json()["id"]))
        row.result_json = _every_reason(AnalysisResult.model_validate_json(row.result_json)).model_dump_json()
    browser = TestClient(service.app, follow_redirects=False)
    browser.cookies.set(COOKIE, h["Authorization"].split(" ", 1)[1])
    table = lxml.html.fromstring(browser.get(f"/rounds/{rid}").text).get_element_by_id("round-reports")
    shown = table.text_content()
    assert "退改理由" in shown
    for code in reason_codes():
        assert reason_name(code) in shown and code not in shown, code
