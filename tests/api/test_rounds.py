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
