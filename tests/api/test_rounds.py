"""The service's round step (``api/rounds.py``): a report and an interview of the same unit in one round."""

from __future__ import annotations

import json

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.tables import Report, Round
from api.web import COOKIE

UNIT = "青石县交通运输局"
# fmt: off
REPORT = "\n".join([
    "青石县交通运输局2024年度法治政府建设情况报告",
    "一、主要举措和成效",
    "局党组把法治建设纳入年度重点工作，全年召开党组会专题研究法治工作3次。",
    "全年我局作为被告的行政诉讼案件共6件，局主要负责人全部出庭应诉，负责人出庭应诉率达到100%。",
    "全年办理道路运输行政处罚案件143件，重大执法决定全部经过法制审核。",
    "二、存在的不足和原因",
    "一是执法装备更新滞后，全局执法记录仪仅有12台；二是超限运输治理中跨部门信息共享不够，数据推送常有延迟。",
    "究其原因，主要是对执法保障投入重视不够。",
    "三、下一年度主要安排",
    "下一步，我局将在2025年9月底前新购执法记录仪20台，由执法大队负责，每季度通报超限治理数据推送情况。",
])
# Names written in full on purpose (a transcript names its people); the contradiction: 100% against 只出庭过一次.
TRANSCRIPT = "\n".join([
    "青石县交通运输局谈话记录",
    "谈话时间：2025年4月8日",
    "谈话对象：陈立新，政策法规股股长",
    "问：报告说局主要负责人出庭应诉率100%，实际情况怎样？",
    "答：去年6件行政诉讼案件里，局长本人只出庭过一次，其余5件都是委托律师和法规股的同志出庭。",
    "问：执法装备方面还有什么困难？",
    "答：执法记录仪确实不够用，12台要分给4个中队，夜查的时候经常没有设备。",
    "",
])
# fmt: on


def _upload(service, text: str, name: str, kind: str, round_name: str):  # type: ignore[no-untyped-def]
    res = service.client.post("/api/v1/reports", files={"file": (name, text.encode("utf-8"))},
                              data={"unit": UNIT, "kind": kind, "year": "2024", "round": round_name},
                              headers=service.reviewer)
    assert res.status_code == 201, res.text
    return res.json()


@pytest.fixture(scope="module")
def interviewed(service):  # type: ignore[no-untyped-def]
    """A round with a unit's interview (uploaded first, then summarised alone) and the unit's report."""
    client, h = service.client, service.reviewer
    rid = client.post("/api/v1/rounds", json={"name": "交叉比对测试批次"}, headers=h).json()["id"]
    talk = _upload(service, TRANSCRIPT, "谈话记录-陈立新.txt", "transcript", str(rid))  # named after the interviewee
    alone = client.get(f"/api/v1/rounds/{rid}/summary", headers=h).json()
    report = _upload(service, REPORT, "青石县交通运输局年度报告.txt", "annual_report", str(rid))
    return {"round": rid, "talk": talk, "report": report, "alone": alone}


def test_the_round_step_puts_the_contradiction_on_the_reports_verdict_once(service, interviewed) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    rid, talk, report = interviewed["round"], interviewed["talk"], interviewed["report"]
    warned = interviewed["alone"]["warnings"]  # the interview alone in the round: warned
    talk_name = talk["analysis"]["document"]["filename"]
    assert talk_name == f"谈话记录-某某某-{talk['analysis']['document']['id'][:8]}.txt"  # the name masked, unique
    assert [w["file"] for w in warned] == [talk_name] and UNIT in warned[0]["message"]
    assert not any(r["code"] == "CROSS_SOURCE_CONTRADICTION" for r in report["analysis"]["verdict"]["reasons"])

    summary = client.get(f"/api/v1/rounds/{rid}/summary", headers=h).json()
    assert summary["reports"] == 2 and summary["warnings"] == []  # the unit's report came in since
    stored = client.get(f"/api/v1/reports/{report['id']}", headers=h).json()["analysis"]
    reasons = [r for r in stored["verdict"]["reasons"] if r["code"] == "CROSS_SOURCE_CONTRADICTION"]
    assert len(reasons) == 1 and stored["verdict"]["decision"] != "pass"
    claim, statement = reasons[0]["evidence"]
    assert claim.get("document") is None and "100%" in claim["text"]
    assert stored["document"]["text"][claim["start"]:claim["end"]] == claim["text"]
    transcript = client.get(f"/api/v1/reports/{talk['id']}", headers=h).json()["analysis"]
    assert statement["document"] == talk_name and "只出庭过一次" in statement["text"]
    assert transcript["document"]["text"][statement["start"]:statement["end"]] == statement["text"]
    assert not any(UNIT in w for w in transcript["document"]["warnings"])
    assert any(i["alert"] for i in stored["metrics"]["indicators"] if i["name"] == "行政机关负责人出庭应诉率")
    with service.services.sessions() as s:
        assert s.scalar(select(Report.decision).where(Report.id == report["id"])) == stored["verdict"]["decision"]
    # the unit's checklist gets the row: the claim, with the interview quoted
    issues = client.get("/api/v1/issues", params={"round": rid}, headers=h).json()
    denied = [i for i in issues if i["report_id"] == report["id"] and i["latent_basis"] == "cross_source"]
    assert len(denied) == 1 and "100%" in denied[0]["original"] and talk_name in denied[0]["text"]

    with service.services.sessions.begin() as s:  # a second refresh changes nothing
        s.scalar(select(Round).where(Round.id == rid)).dirty = True
    client.get(f"/api/v1/rounds/{rid}/summary", headers=h)
    again = client.get(f"/api/v1/reports/{report['id']}", headers=h).json()["analysis"]
    assert again["verdict"] == stored["verdict"]
    issues = client.get("/api/v1/issues", params={"round": rid}, headers=h).json()
    assert len([i for i in issues if i["report_id"] == report["id"] and i["latent_basis"] == "cross_source"]) == 1
    assert not [x for x in (issues, again, transcript, summary) if "陈立新" in json.dumps(x, ensure_ascii=False)]


def test_the_report_page_quotes_the_interview_instead_of_marking_its_offsets(service, interviewed) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    client.get(f"/api/v1/rounds/{interviewed['round']}/summary", headers=h)
    rid = interviewed["report"]["id"]
    stored = client.get(f"/api/v1/reports/{rid}", headers=h).json()["analysis"]
    k = [r["code"] for r in stored["verdict"]["reasons"]].index("CROSS_SOURCE_CONTRADICTION")
    claim, statement = stored["verdict"]["reasons"][k]["evidence"]
    browser = TestClient(service.app, follow_redirects=False)
    browser.cookies.set(COOKIE, h["Authorization"].split(" ", 1)[1])
    page = lxml.html.fromstring(browser.get(f"/reports/{rid}").text)
    article = page.get_element_by_id("doc-text")
    marked = "".join(m.text_content() for m in article.xpath(f".//mark[contains(concat(' ', @data-ev, ' '), ' r{k} ')]"))
    assert marked == claim["text"]  # the interview's offsets mark nothing in the report's text
    reason = page.xpath("//li[@data-code='CROSS_SOURCE_CONTRADICTION']")[0]
    assert "定位原文（1处）" in reason.text_content()
    quote = reason.xpath(".//blockquote")[0].text_content()
    assert statement["text"] in quote and statement["document"] in quote
    assert any("100%" in li.text_content() and statement["document"] in li.text_content()
               for li in page.xpath("//ol[@id='issues']/li"))  # the unit's checklist row for the denied claim


def test_a_round_job_lists_a_transcript_under_its_masked_name_once_analysed(service) -> None:  # type: ignore[no-untyped-def]
    import time

    client, h = service.client, service.reviewer
    rid = client.post("/api/v1/rounds", json={"name": "谈话记录文件名批次"}, headers=h).json()["id"]
    sent = TRANSCRIPT.replace("陈立新", "周晓梅")  # other bytes than the module's upload: a new analysis
    res = client.post(f"/api/v1/rounds/{rid}/reports", files=[("files", ("谈话记录-周晓梅.txt", sent.encode()))],
                      headers=h)
    assert res.status_code in (200, 201, 202), res.text
    job_id = res.json()["id"]
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/v1/jobs/{job_id}", headers=h).json())["status"] != "done":
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    (entry,) = job["files"]
    assert entry["status"] == "done" and entry["name"].startswith("谈话记录-某某某-")
    assert "周晓梅" not in json.dumps(job, ensure_ascii=False)


# fmt: off
# Two problems of a round of five units: three units report the first (common from three), two the second.
CASE_FILES = "一是部分执法案卷文书制作不规范，证据材料装订混乱。"
FILING = "一是规范性文件备案审查工作滞后，部分文件未按时报备。"
MOVE_UNITS = {"甲县水务局": CASE_FILES, "乙县水务局": CASE_FILES, "丙县水务局": CASE_FILES,
              "丁县水务局": FILING, "戊县水务局": FILING}
# fmt: on


def _one_problem_report(unit: str, problem: str) -> str:
    return "\n".join([
        f"{unit}2024年度法治政府建设情况报告",
        "2024年，我局坚持依法行政，扎实推进水务领域法治建设，现将有关情况报告如下。",
        "一、主要工作成效", "全年办理水行政执法案件52件，组织执法人员培训3次，开展节水法治宣传活动9场。",
        "二、存在的问题和不足", problem,
        "三、下一步工作打算", "下一步，我局将在年底前完成案卷集中评查，并建立执法质量季度通报制度。",
    ])


@pytest.fixture(scope="module")
def moves(service):  # type: ignore[no-untyped-def]
    """A round of the five units of ``MOVE_UNITS``: report id and the id of its one stated problem, by unit."""
    client, h = service.client, service.reviewer
    rid = client.post("/api/v1/rounds", json={"name": "改组测试批次"}, headers=h).json()["id"]
    rows = {}
    for unit, problem in MOVE_UNITS.items():
        res = client.post("/api/v1/reports", headers=h, files={"file": (f"{unit}.txt", _one_problem_report(unit, problem))},
                          data={"unit": unit, "kind": "annual_report", "year": "2024", "round": str(rid)})
        assert res.status_code == 201, res.text
        issue = next(i for i in res.json()["analysis"]["issues"] if i.get("latent_basis") != "omission"
                     and ("案卷" in i["text"] or "备案" in i["text"]))
        rows[unit] = (res.json()["id"], issue["id"].split(":", 1)[1])
    return rid, rows


def _summary(service, rid: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return service.client.get(f"/api/v1/rounds/{rid}/summary", headers=service.reviewer).json()


def _scope(service, rows, unit: str) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
    report, issue = rows[unit]
    analysis = service.client.get(f"/api/v1/reports/{report}", headers=service.reviewer).json()["analysis"]
    found = next(i for i in analysis["issues"] if i["id"] == f"{report}:{issue}")
    return found["scope"], found["group"]


def _move(service, rows, unit: str, body: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    report, issue = rows[unit]
    res = service.client.patch(f"/api/v1/issues/{report}:{issue}", json=body, headers=service.reviewer)
    assert res.status_code == 200, res.text


def _groups_of_the_round_step(service, rid: int) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """The batch's view: ``review_round`` over the round's corrected analyses, as ``nlp.batch`` would be given them."""
    from api.corrections import corrected
    from nlp.round import review_round

    svc = service.services
    tools = svc.round_tools()
    with svc.sessions() as s:
        reports = list(s.scalars(select(Report).where(Report.round_id == rid).order_by(Report.created_at, Report.id)))
        analyses = [corrected(s, r, tools.config) for r in reports]
    review = review_round(analyses, tools)
    return [(g.id, g.members, g.units, g.scope) for g in review.summary.common_problems]


def test_a_moved_issue_makes_a_specific_group_common_and_the_other_specific(service, moves) -> None:  # type: ignore[no-untyped-def]
    rid, rows = moves
    before = _summary(service, rid)["common_problems"]
    assert [sorted(g["units"]) for g in before] == [sorted(list(MOVE_UNITS)[:3])], before
    assert _scope(service, rows, "丁县水务局")[0] == "specific" and _scope(service, rows, "丙县水务局")[0] == "common"
    filing = _scope(service, rows, "丁县水务局")[1]
    _move(service, rows, "丙县水务局", {"group": filing})
    summary = _summary(service, rid)
    common = summary["common_problems"]
    assert [(g["id"], sorted(g["units"])) for g in common] == [(filing, ["丁县水务局", "丙县水务局", "戊县水务局"])]
    assert rows["丙县水务局"][1] in common[0]["members"]
    assert _scope(service, rows, "丙县水务局") == ("common", filing)
    assert _scope(service, rows, "丁县水务局") == ("common", filing)
    assert _scope(service, rows, "甲县水务局")[0] == "specific"  # two units left: no longer common
    rows_out = service.client.get("/api/v1/issues", params={"round": str(rid)}, headers=service.reviewer).json()
    moved_row = next(r for r in rows_out if r["id"] == ":".join(rows["丙县水务局"]))
    assert (moved_row["scope"], moved_row["common_group"]) == ("common", filing)
    # the batch path, given the moved analyses, groups as the service did
    assert _groups_of_the_round_step(service, rid) == [(g["id"], tuple(g["members"]), tuple(g["units"]), g["scope"])
                                                      for g in common]


def test_issues_moved_to_a_type_are_counted_in_its_group(service, moves) -> None:  # type: ignore[no-untyped-def]
    from nlp.problem_types import load_problem_types

    rid, rows = moves
    code = next(t.code for t in load_problem_types() if t.domain == "law_enforcement")
    _move(service, rows, "甲县水务局", {"problem_type": code})
    _move(service, rows, "乙县水务局", {"group": f"T-{code}"})
    _move(service, rows, "戊县水务局", {"problem_type": code})
    common = _summary(service, rid)["common_problems"]
    typed = next(g for g in common if g["id"] == f"T-{code}")
    assert sorted(typed["units"]) == ["乙县水务局", "戊县水务局", "甲县水务局"] and typed["problem_type"] == code
    assert _scope(service, rows, "甲县水务局") == ("common", f"T-{code}")
    assert all(g["id"] == f"T-{code}" for g in common)  # the filing group lost 戊: two units, specific
    assert _scope(service, rows, "丁县水务局")[0] == "specific"
    assert _groups_of_the_round_step(service, rid) == [(g["id"], tuple(g["members"]), tuple(g["units"]), g["scope"])
                                                      for g in common]


def test_the_round_step_applies_a_reports_corrections_once_and_keeps_the_reviewers_decision(
        service, moves, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import nlp.review.corrections as corrections
    from api.rounds import refresh_round

    rid, rows = moves
    report = rows["甲县水务局"][0]
    res = service.client.patch(f"/api/v1/reports/{report}", headers=service.reviewer,
                               json={"verdict": {"decision": "return", "reason": "问题查摆流于形式，退回重写。"}})
    assert res.status_code == 200, res.text
    calls: list[str] = []
    real = corrections.apply_corrections

    def counted(result, fixes, config):  # type: ignore[no-untyped-def]
        calls.append(result.document.filename)
        return real(result, fixes, config)

    monkeypatch.setattr(corrections, "apply_corrections", counted)
    svc = service.services
    with svc.sessions.begin() as s:
        summary = refresh_round(s, s.get(Round, rid), svc.round_tools)
        decision = s.get(Report, report).decision
    assert sorted(calls) == sorted(f"{unit}.txt" for unit in MOVE_UNITS)  # once per report
    assert decision == "return" and summary.decisions["return"] >= 1
