"""A round compared with the same units' earlier round (屡改屡犯) in the service: set on POST or PATCH
``/api/v1/rounds``, marked on the checklist rows and in the summary, shown on the round page as a 督察 circular."""

from __future__ import annotations

import lxml.html
import pytest
from fastapi.testclient import TestClient

from api.web import COOKIE

# fmt: off
SHARED = "一是部分执法案卷文书制作不规范，证据材料装订混乱。"
OWN = {
    "甲县水务局": "二是河道巡查记录填写不完整。",
    "乙县水务局": "二是取水许可审批超过法定期限。",
    "丙县水务局": "二是水土保持方案审查把关不严。",
}
# fmt: on


def report(unit: str, year: int, problems: list[str]) -> bytes:
    return "\n".join([
        f"{unit}{year}年度法治政府建设情况报告",
        f"{year}年，我局坚持依法行政，扎实推进水务领域法治建设，现将有关情况报告如下。",
        "一、主要工作成效",
        "全年办理水行政执法案件52件，组织执法人员培训3次，开展节水法治宣传活动9场。",
        "二、存在的问题和不足",
        *problems,
        "三、下一步工作打算",
        "下一步，我局将在年底前完成案卷集中评查，并建立执法质量季度通报制度。",
    ]).encode("utf-8")


def upload(service, round_id: int, unit: str, year: int, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    res = service.client.post("/api/v1/reports", files={"file": (f"{unit}{year}.txt", report(unit, year, problems))},
                              data={"unit": unit, "kind": "annual_report", "year": str(year), "round": str(round_id)},
                              headers=service.reviewer)
    assert res.status_code == 201, res.text


@pytest.fixture(scope="module")
def rounds(service):  # type: ignore[no-untyped-def]
    """2024: 甲 reported the shared problem, 乙 only its own, 丙 nothing; 2025: all three report the shared problem
    (a common problem) and their own ones; 2025 names 2024 as its previous round."""
    client, h = service.client, service.reviewer
    earlier = client.post("/api/v1/rounds", json={"name": "2024年度水务比对"}, headers=h).json()["id"]
    upload(service, earlier, "甲县水务局", 2024, [SHARED])
    upload(service, earlier, "乙县水务局", 2024, [OWN["乙县水务局"].replace("二", "一")])
    later = client.post("/api/v1/rounds", json={"name": "2025年度水务比对", "previous_round": earlier}, headers=h)
    assert later.status_code == 201 and later.json()["previous_round"] == earlier
    for unit, own in OWN.items():
        upload(service, later.json()["id"], unit, 2025, [SHARED, own])
    return earlier, later.json()["id"]


def test_the_summary_and_checklist_mark_what_a_unit_reported_last_round(service, rounds) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    earlier, later = rounds
    summary = client.get(f"/api/v1/rounds/{later}/summary", headers=h).json()
    assert summary["previous_round"] == "2024年度水务比对"
    recurring = {u["unit"]: [i["text"] for i in u["issues"]] for u in summary["recurring"]}
    assert set(recurring) == {"甲县水务局", "乙县水务局"}
    assert any("文书制作" in t for t in recurring["甲县水务局"]) and recurring["乙县水务局"] == ["取水许可审批超过法定期限"]
    rows = client.get("/api/v1/issues", params={"round": later}, headers=h).json()
    marked = sorted((r["unit"], r["recurring"]["round"]) for r in rows if r.get("recurring"))
    assert marked == [("乙县水务局", "2024年度水务比对"), ("甲县水务局", "2024年度水务比对")]
    assert not any(r.get("recurring") for r in client.get("/api/v1/issues", params={"round": earlier}, headers=h).json())
    listed = {r["id"]: r["previous_round"] for r in client.get("/api/v1/rounds", headers=h).json()}
    assert (listed[earlier], listed[later]) == (None, earlier)


def test_a_report_added_to_the_earlier_round_is_compared_again(service, rounds) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    earlier, later = rounds
    assert "丙县水务局" not in {u["unit"] for u in client.get(f"/api/v1/rounds/{later}/summary", headers=h).json()["recurring"]}
    upload(service, earlier, "丙县水务局", 2024, [SHARED])
    summary = client.get(f"/api/v1/rounds/{later}/summary", headers=h).json()
    assert "丙县水务局" in {u["unit"] for u in summary["recurring"]}


def test_previous_round_is_set_and_unset_by_patch_and_never_a_cycle(service, rounds) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    earlier, later = rounds
    for rid, previous in ((later, later), (earlier, later), (later, 99999)):
        res = client.patch(f"/api/v1/rounds/{rid}", json={"previous_round": previous}, headers=h)
        assert res.status_code == 422 and res.json()["code"] == "INVALID_PREVIOUS_ROUND", (rid, previous)
    assert client.patch(f"/api/v1/rounds/{later}", json={"previous_round": None}, headers=h).json()["previous_round"] is None
    summary = client.get(f"/api/v1/rounds/{later}/summary", headers=h).json()
    assert "recurring" not in summary and "previous_round" not in summary
    assert not any(r.get("recurring") for r in client.get("/api/v1/issues", params={"round": later}, headers=h).json())
    res = client.patch(f"/api/v1/rounds/{later}", json={"previous_round": earlier}, headers=h)
    assert res.status_code == 200 and res.json()["previous_round"] == earlier
    assert client.patch(f"/api/v1/rounds/{later}", json={"previous_round": earlier}, headers=service.submitter).status_code == 403


def test_the_round_page_reads_as_a_circular_with_recurring_marks(service, rounds) -> None:  # type: ignore[no-untyped-def]
    earlier, later = rounds
    browser = TestClient(service.app, follow_redirects=False)
    browser.cookies.set(COOKIE, service.reviewer["Authorization"].split(" ", 1)[1])
    page = lxml.html.fromstring(browser.get(f"/rounds/{later}").text)
    problems = page.xpath("//ol[@id='common-problems']/li")
    assert problems, "the shared problem of three units is common"
    first = problems[0]
    assert first.xpath(".//*[@class='circular-count']")[0].get("data-units") == "3"
    units = [tr.get("data-unit") for tr in first.xpath(".//tbody/tr")]
    assert sorted(units) == ["丙县水务局", "乙县水务局", "甲县水务局"]
    wording = {tr.get("data-unit"): tr for tr in first.xpath(".//tbody/tr")}
    assert "recurring" in (wording["甲县水务局"].get("class") or "") and "屡改屡犯" in wording["甲县水务局"].text_content()
    assert "2024年度水务比对" in wording["甲县水务局"].text_content()
    assert "recurring" not in (wording["乙县水务局"].get("class") or "")
    assert "文书制作" in wording["乙县水务局"].text_content()  # each unit's own wording and quote
    specific = {li.get("data-unit"): li.text_content() for li in page.xpath("//ul[@id='specific-problems']/li")}
    assert "取水许可审批" in specific["乙县水务局"] and "屡改屡犯" in specific["乙县水务局"]
    assert "河道巡查" in specific["甲县水务局"] and "屡改屡犯" not in specific["甲县水务局"]
    # common problems come before the specific ones, and the previous round is named and linked
    html = lxml.html.tostring(page, encoding="unicode")
    assert html.index('id="common-problems"') < html.index('id="specific-problems"')
    assert page.get_element_by_id("recurring-note").xpath(".//a")[0].get("href") == f"/rounds/{earlier}"
    counts = {b.get("data-unit"): b.text_content() for b in page.xpath("//p[@id='recurring-units']/span")}
    assert counts["甲县水务局"] == "甲县水务局 1" and counts["乙县水务局"] == "乙县水务局 1"
    assert page.xpath("//select[@id='previous-round']/option[@selected]")[0].get("value") == str(earlier)
    checklist = lxml.html.fromstring(browser.get(f"/checklist?round={later}").text)
    assert "屡改屡犯" in [th.text_content() for th in checklist.xpath("//table[@id='checklist']/thead//th")]
    assert len(checklist.xpath("//td[@class='col-recurring'][span]")) >= 2


def test_the_earlier_round_is_read_once_until_a_report_is_added_to_it(service, rounds, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.rounds import earlier_round
    from api.tables import Round
    from nlp.cluster.recurrence import EarlierRound

    earlier, later = rounds
    reads: list[str | None] = []
    real = EarlierRound.from_json

    def counted(reports, name=None):  # type: ignore[no-untyped-def]
        reads.append(name)
        return real(reports, name)

    monkeypatch.setattr(EarlierRound, "from_json", counted)

    def read() -> EarlierRound:
        with service.services.sessions() as s:
            found = earlier_round(s, s.get(Round, later))
        assert found is not None
        return found

    first = read()
    before = len(reads)
    assert read() is first and len(reads) == before  # kept: the earlier round's results are not read again
    upload(service, earlier, "丁县水务局", 2024, [OWN["丙县水务局"].replace("二", "一")])
    again = read()
    assert again is not first and len(reads) > before and again.name == "2024年度水务比对"
    assert "丁县水务局" in {i.unit for i in again.issues} and "丁县水务局" not in {i.unit for i in first.issues}
    assert read() is again


def test_a_problem_dismissed_in_the_earlier_round_does_not_recur(service) -> None:  # type: ignore[no-untyped-def]
    """The earlier round is read as its reviewers corrected it: a problem they dismissed there (a misread sentence)
    was not reported, so this year's same line is no 老问题; restoring it makes it one again."""
    client, h = service.client, service.reviewer
    earlier = client.post("/api/v1/rounds", json={"name": "2023年度林业比对"}, headers=h).json()["id"]
    upload(service, earlier, "丁县林业局", 2023, [SHARED])
    later = client.post("/api/v1/rounds", json={"name": "2024年度林业比对", "previous_round": earlier},
                        headers=h).json()["id"]
    upload(service, later, "丁县林业局", 2024, [SHARED])

    def recurring_units() -> set[str]:
        summary = client.get(f"/api/v1/rounds/{later}/summary", headers=h).json()
        return {u["unit"] for u in summary.get("recurring", [])}

    assert recurring_units() == {"丁县林业局"}
    past = [r["id"] for r in client.get("/api/v1/issues", params={"round": earlier}, headers=h).json()
            if "文书制作" in r["text"]]
    assert len(past) == 1
    res = client.patch(f"/api/v1/issues/{past[0]}", json={"dismissed": True, "reason": "误识别"}, headers=h)
    assert res.status_code == 200, res.text
    assert recurring_units() == set()
    assert client.patch(f"/api/v1/issues/{past[0]}", json={"dismissed": False}, headers=h).status_code == 200
    assert recurring_units() == {"丁县林业局"}
