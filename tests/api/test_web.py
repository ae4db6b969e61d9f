"""The reviewer web pages through TestClient: sign-in, access by role, and what the report page marks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient

from api.web import COOKIE
from nlp.doc import AnalysisResult


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def _browser(service, headers: dict[str, str] | None) -> TestClient:  # type: ignore[no-untyped-def]
    """A client that signs in the way a browser does: the cookie, no Authorization header."""
    client = TestClient(service.app, follow_redirects=False)
    if headers is not None:
        client.cookies.set(COOKIE, _token(headers))
    return client


@pytest.fixture(scope="module")
def pages(service) -> Iterator[dict[str, TestClient]]:  # type: ignore[no-untyped-def]
    yield {"reviewer": _browser(service, service.reviewer), "submitter": _browser(service, service.submitter),
           "other": _browser(service, service.other_submitter), "anonymous": _browser(service, None)}


@pytest.fixture(scope="module")
def analysed(service, sample_report: bytes) -> dict:  # type: ignore[no-untyped-def]
    """A real analysed report of 甲县司法局, in a round."""
    c = service.client
    rnd = c.post("/api/v1/rounds", json={"name": "网页测试批次"}, headers=service.reviewer).json()
    text = sample_report + "\n附：<img src=x onerror=alert(1)> 本段用于检验转义。\n".encode()
    r = c.post("/api/v1/reports", headers=service.reviewer,
               files={"file": ("桐山县司法局年度报告.txt", text, "text/plain")},
               data={"unit": "甲县司法局", "kind": "annual_report", "year": "2024", "round": str(rnd["id"])})
    assert r.status_code == 201, r.text
    return {"id": r.json()["id"], "round": rnd["id"], "analysis": AnalysisResult.model_validate(r.json()["analysis"])}


def _doc(response) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.text)


# -- sign-in ----------------------------------------------------------------------------------------------------

def test_login_form_is_chinese(pages) -> None:  # type: ignore[no-untyped-def]
    r = pages["anonymous"].get("/login")
    assert r.status_code == 200
    assert "访问令牌" in r.text and "登录" in r.text
    assert 'lang="zh-CN"' in r.text
    assert "http://" not in r.text.replace("http://www.w3.org", "") and "https://" not in r.text  # no CDN
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


def test_pages_redirect_to_login_without_cookie(pages) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/reports/abc", "/rounds", "/rounds/1", "/checklist?status=整改中"):
        r = pages["anonymous"].get(path)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login?next=%2F"), r.headers["location"]


def test_login_sets_httponly_strict_cookie(service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(service.app, follow_redirects=False)
    r = client.post("/login", data={"token": _token(service.reviewer), "next": "/rounds"})
    assert r.status_code == 303
    assert r.headers["location"] == "/rounds"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    page = client.get("/")
    assert page.status_code == 200
    assert "上传报告预审" in page.text and "审核员" in page.text
    assert client.get("/login").status_code == 303  # signed in already


def test_login_refuses_a_bad_token(service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(service.app, follow_redirects=False)
    r = client.post("/login", data={"token": "pr_not-a-token", "next": "/"})
    assert r.status_code == 401
    assert "令牌无效" in r.text and 'name="token"' in r.text
    assert "set-cookie" not in r.headers
    assert client.get("/").status_code == 303


def test_login_never_redirects_off_site(service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(service.app, follow_redirects=False)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = client.post("/login", data={"token": _token(service.reviewer), "next": target})
        assert r.headers["location"] == "/", target


def test_login_from_another_site_is_refused(service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(service.app, follow_redirects=False)
    token = _token(service.reviewer)
    r = client.post("/login", data={"token": token}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "set-cookie" not in r.headers and "其他网站" in r.text
    r = client.post("/login", data={"token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/login", data={"token": token}, headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303 and "set-cookie" in r.headers


def test_a_revoked_or_unknown_cookie_goes_back_to_login(service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(service.app, follow_redirects=False)
    client.cookies.set(COOKIE, "pr_unknown")
    r = client.get("/checklist")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_logout_clears_the_cookie(service) -> None:  # type: ignore[no-untyped-def]
    client = _browser(service, service.reviewer)
    r = client.get("/logout")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert f'{COOKIE}=""' in r.headers["set-cookie"] and "Max-Age=0" in r.headers["set-cookie"]


def test_the_api_accepts_the_page_cookie(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    """The pages' scripts call the API with the cookie only."""
    r = pages["reviewer"].get(f"/api/v1/reports/{analysed['id']}")
    assert r.status_code == 200


# -- home -------------------------------------------------------------------------------------------------------

def test_home_has_the_upload_form_and_recent_reports(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/")
    assert r.status_code == 200
    doc = _doc(r)
    form = doc.get_element_by_id("upload-form")
    assert form.xpath(".//input[@type='file' and @name='file']")
    kinds = [o.text for o in form.xpath(".//select[@name='kind']/option")]
    assert {"述法报告", "法治政府建设年度报告", "谈话记录"} <= set(kinds)
    assert "网页测试批次" in [o.text for o in form.xpath(".//select[@name='round']/option")]
    assert f"/reports/{analysed['id']}" in r.text
    assert "预审批次" in r.text and "问题清单" in r.text  # reviewer navigation


def test_submitters_see_only_their_own_unit(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    own = pages["submitter"].get("/")
    assert own.status_code == 200 and f"/reports/{analysed['id']}" in own.text
    assert 'value="甲县司法局" readonly' in own.text
    assert "/checklist" not in own.text  # no reviewer navigation
    other = pages["other"].get("/")
    assert other.status_code == 200 and f"/reports/{analysed['id']}" not in other.text
    assert "暂无报告" in other.text


# -- the report page --------------------------------------------------------------------------------------------

def test_report_page_shows_the_verdict_and_downloads(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    result: AnalysisResult = analysed["analysis"]
    r = pages["reviewer"].get(f"/reports/{analysed['id']}")
    assert r.status_code == 200
    doc = _doc(r)
    banner = doc.get_element_by_id("verdict")
    decision = result.verdict.decision
    assert banner.get("data-decision") == decision
    assert {"pass": "通过", "revise": "修改", "return": "退回"}[decision] in banner.text_content()
    for reason in result.verdict.reasons:
        assert reason.message in banner.text_content()
    assert doc.get_element_by_id("checkup-link").get("href") == f"/api/v1/reports/{analysed['id']}/checkup.docx"
    if decision == "pass":
        assert not doc.xpath("//*[@id='letter-link']")
    else:
        assert doc.get_element_by_id("letter-link").get("href") == f"/api/v1/reports/{analysed['id']}/letter.docx"
    assert "问题占比" in r.text and f"{result.metrics.problem_share * 100:.1f}%" in r.text


def test_report_page_marks_evidence_and_sentence_roles(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    result: AnalysisResult = analysed["analysis"]
    text = result.document.text
    r = pages["reviewer"].get(f"/reports/{analysed['id']}")
    doc = _doc(r)
    article = doc.get_element_by_id("doc-text")
    # the text is all there, line by line, nothing added or lost
    lines = [p.text_content() for p in article.xpath("./p")]
    assert lines == [line for line in text.split("\n") if line.strip()]
    # every sentence carries its role
    for s in result.sentences:
        spans = article.xpath(f".//span[@data-s='{s.i}']")
        assert spans, s
        assert all(f"r-{s.label}" in span.get("class").split() for span in spans)
        assert "".join(span.text_content() for span in spans) == s.text.replace("\n", "")
    assert article.xpath(".//span[contains(@class, 'r-problem')]")
    # each reason's and each issue's evidence is marked, and a button/card points at it
    marked = 0
    for k, reason in enumerate(result.verdict.reasons):
        for ev in reason.evidence:
            assert ev.text in "".join(m.text_content() for m in article.xpath(f".//mark[contains(concat(' ', @data-ev, ' '), ' r{k} ')]"))
            marked += 1
        if reason.evidence:
            assert doc.xpath(f"//button[@data-ev-key='r{k}']")
    for k, issue in enumerate(result.issues):
        got = "".join(m.text_content() for m in article.xpath(f".//mark[contains(concat(' ', @data-ev, ' '), ' q{k} ')]"))
        assert got == "".join(e.text for e in sorted(issue.evidence, key=lambda e: e.start)) or not issue.evidence
        card = doc.get_element_by_id(f"issue-{k}")
        assert card.get("data-ev-key") == f"q{k} m{k}"
        assert issue.text in card.text_content()
        marked += len(issue.evidence)
    assert marked > 0, "the sample report should have evidence to mark"
    assert article.xpath(".//mark[contains(@class, 'ev-q')]")
    # the legend names the roles in Chinese
    legend = doc.get_element_by_id("legend").text_content()
    for word in ("成绩", "问题", "原因", "措施", "其他"):
        assert word in legend


def test_report_page_issue_badges(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    from nlp.taxonomy import load_taxonomy

    result: AnalysisResult = analysed["analysis"]
    doc = _doc(pages["reviewer"].get(f"/reports/{analysed['id']}"))
    tax = load_taxonomy()
    for k, issue in enumerate(result.issues):
        badges = doc.get_element_by_id(f"issue-{k}").text_content()
        assert tax.name(issue.domain) in badges
        assert ("隐性" if issue.visibility == "latent" else "显性") in badges
        assert ("有对应措施" if issue.measure else "无对应措施") in badges
        if issue.vague:
            assert "空泛" in badges
        assert "整改：未启动" in badges  # the checklist status
    latent = [i for i in result.issues if i.latent_basis == "indicator"]
    if latent:
        assert "隐性·指标预警" in doc.text_content()


def test_report_page_escapes_the_document(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get(f"/reports/{analysed['id']}")
    assert "<img src=x" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text


def test_submitter_cannot_open_another_units_report(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    assert pages["submitter"].get(f"/reports/{analysed['id']}").status_code == 200
    r = pages["other"].get(f"/reports/{analysed['id']}")
    assert r.status_code == 403
    assert "无权访问" in r.text and "text/html" in r.headers["content-type"]
    assert analysed["analysis"].document.text[:20] not in r.text


def test_missing_report_is_a_chinese_404(pages) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/reports/nosuchreport")
    assert r.status_code == 404 and "未找到该报告" in r.text


# -- reviewer-only pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/rounds", "/rounds/1", "/checklist"])
def test_reviewer_pages_are_forbidden_to_submitters(pages, path: str) -> None:  # type: ignore[no-untyped-def]
    r = pages["submitter"].get(path)
    assert r.status_code == 403
    assert "无权访问" in r.text and "仅供审核员" in r.text


def test_rounds_and_round_page(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/rounds")
    assert r.status_code == 200
    assert "网页测试批次" in r.text and f"/rounds/{analysed['round']}" in r.text and "新建批次" in r.text
    r = pages["reviewer"].get(f"/rounds/{analysed['round']}")
    assert r.status_code == 200, r.text
    doc = _doc(r)
    decision = analysed["analysis"].verdict.decision
    assert doc.get_element_by_id(f"count-{decision}").text_content() == "1"
    assert "共性问题" in r.text and "批量上传" in r.text
    assert doc.xpath("//svg[contains(@class, 'decision-svg')]")
    assert doc.get_element_by_id("xlsx-link").get("href") == f"/api/v1/rounds/{analysed['round']}/checklist.xlsx"
    assert doc.xpath(f"//form[@data-round-upload='{analysed['round']}']")
    assert pages["reviewer"].get("/rounds/99999").status_code == 404
    by_name = pages["reviewer"].get("/rounds/网页测试批次")  # a link by name: sent on to the id
    assert by_name.status_code == 303 and by_name.headers["location"] == f"/rounds/{analysed['round']}"
    assert pages["reviewer"].get("/checklist?page_no=x").status_code == 200


def test_checklist_page_lists_filters_and_shows_history(pages, analysed) -> None:  # type: ignore[no-untyped-def]
    reviewer = pages["reviewer"]
    r = reviewer.get(f"/checklist?round={analysed['round']}&unit=甲县司法局")
    assert r.status_code == 200
    doc = _doc(r)
    rows = doc.xpath("//tr[@data-issue]")
    assert len(rows) == len(analysed["analysis"].issues)
    issue_id = rows[0].get("data-issue")
    options = [o.get("value") for o in rows[0].xpath(".//select[@name='to']/option")]
    assert options == ["status:in_progress"]  # value: the code; text: the words
    assert [o.text_content() for o in rows[0].xpath(".//select[@name='to']/option")] == ["转为：整改中"]
    filter_options = doc.xpath("//select[@name='status']/option")
    assert [(o.get("value"), o.text_content()) for o in filter_options] == [
        ("", "全部状态"), ("not_started", "未启动"), ("in_progress", "整改中"), ("for_acceptance", "已完成待验收"),
        ("closed", "已销号"), ("reopened", "退回重改")]
    # a status change through the API, as the page's script sends it (cookie only)
    ok = reviewer.patch(f"/api/v1/issues/{issue_id}", json={"status": "in_progress", "note": "已制定整改方案"})
    assert ok.status_code == 200 and ok.json()["status"] == "in_progress"
    refused = reviewer.patch(f"/api/v1/issues/{issue_id}", json={"status": "closed", "note": ""})
    assert refused.status_code == 409
    assert "整改状态不能这样变更" in refused.json()["message"]
    for status in ("in_progress", "整改中"):  # the words: a bookmark from before the codes
        r = reviewer.get(f"/checklist?round={analysed['round']}&status={status}")
        doc = _doc(r)
        row = doc.xpath(f"//tr[@data-issue='{issue_id}']")[0]
        assert row.xpath(".//*[@data-status]")[0].text_content() == "整改中"
        assert "st-in_progress" in row.xpath(".//*[@data-status]")[0].get("class")
        assert "已制定整改方案" in row.xpath(".//details")[0].text_content()
        assert "未启动 → 整改中" in row.xpath(".//details")[0].text_content()
        assert [o.get("value") for o in row.xpath(".//select[@name='to']/option")] == ["status:for_acceptance"]
        assert len(doc.xpath("//tr[@data-issue]")) == 1  # the status filter
        assert doc.xpath("//select[@name='status']/option[@selected]")[0].get("value") == "in_progress"
    assert not _codes_shown(doc)
    # the report page shows the new status too
    report_page = _doc(reviewer.get(f"/reports/{analysed['id']}"))
    assert "整改：整改中" in report_page.get_element_by_id("issues").text_content()
    assert not _codes_shown(report_page)


def _codes_shown(doc) -> set[str]:  # type: ignore[no-untyped-def]
    """Status and follow-up codes in what a reviewer reads: the page's text, outside scripts and attributes."""
    from nlp.doc import FollowUp, Status

    for node in doc.xpath("//script"):
        node.drop_tree()
    words = set(re.findall(r"[a-z_]+", doc.text_content()))
    return words & {*Status, *FollowUp}


def test_checklist_with_an_unknown_round(pages) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/checklist?round=没有这个批次")
    assert r.status_code == 200 and "未找到所选批次" in r.text


def test_static_files_are_served_locally(pages) -> None:  # type: ignore[no-untyped-def]
    css = pages["anonymous"].get("/static/app.css")
    js = pages["anonymous"].get("/static/app.js")
    assert css.status_code == 200 and "Noto Sans CJK SC" in css.text
    assert js.status_code == 200 and "/api/v1/reports" in js.text
    for asset in (css.text, js.text):
        assert "http://" not in asset and "https://" not in asset and "@import" not in asset


def test_pages_stay_out_of_the_openapi_document(pages) -> None:  # type: ignore[no-untyped-def]
    paths = json.loads(pages["anonymous"].get("/openapi.json").text)["paths"]
    assert not {"/", "/login", "/logout", "/checklist", "/rounds"} & set(paths)


# -- the pages' dependencies: sign-in before anything else, page numbers read as a bounded int --------------------

@pytest.mark.parametrize("path", ["/checklist?page_no=x", "/checklist?page_no=0", "/rounds/没有这个批次"])
def test_sign_in_comes_before_parameters_and_lookups(pages, path: str) -> None:  # type: ignore[no-untyped-def]
    r = pages["anonymous"].get(path)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    assert pages["submitter"].get(path).status_code == 403  # then the role, still before the parameters


def test_the_login_redirect_keeps_the_whole_target(pages) -> None:  # type: ignore[no-untyped-def]
    r = pages["anonymous"].get("/checklist?round=1&page_no=2")
    assert r.headers["location"] == "/login?next=%2Fchecklist%3Fround%3D1%26page_no%3D2"
    assert "set-cookie" not in r.headers  # no cookie to clear


@pytest.mark.parametrize("asked", ["1", " 1 ", "x", "", "0", "-3", "+1"])
def test_a_checklist_page_number_below_range_or_unreadable_is_page_one(pages, analysed, asked: str) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/checklist", params={"page_no": asked})
    assert r.status_code == 200
    assert "第 1 页" in r.text and _doc(r).xpath("//tr[@data-issue]")
    assert not _doc(r).xpath("//a[contains(., '上一页')]")


@pytest.mark.parametrize("asked", ["2", "99999", "1" * 30])
def test_a_checklist_page_past_the_end_is_empty_not_an_error(pages, analysed, asked: str) -> None:  # type: ignore[no-untyped-def]
    r = pages["reviewer"].get("/checklist", params={"page_no": asked})
    assert r.status_code == 200
    assert "没有符合条件的问题" in r.text and not _doc(r).xpath("//tr[@data-issue]")


# -- a reviewer's corrections on the report page (issue 18) ---------------------------------------------------------

# Our own text: a report that names no unit.
NO_UNIT = "\n".join([
    "关于本年度法治政府建设情况的报告", "一、主要成效", "全年组织行政执法人员轮训五期，参训三百余人次。",
    "二、存在的问题", "一是执法案卷评查发现文书制作不规范，部分案件证据链不完整。",
    "二是乡镇合法性审查人员多为兼职，审查质量不高。", "三、原因分析", "主要是对程序规范重视不够。",
    "四、下一步措施", "明年上半年完成全部执法案卷的自查整改。",
]).encode()


def _fresh(service, name: str, data: bytes, **form: str) -> dict:  # type: ignore[no-untyped-def]
    r = service.client.post("/api/v1/reports", headers=service.reviewer, files={"file": (name, data)}, data=form)
    assert r.status_code in (200, 201), r.text
    return r.json()


@pytest.fixture
def own_report(service, sample_report: bytes, request) -> dict:  # type: ignore[no-untyped-def]
    """A new report of 甲县司法局 for one test (its bytes made new by a line naming the test)."""
    extra = f"\n本报告为网页测试{request.node.name[-24:]}所用。".encode()
    return _fresh(service, "甲县报告.txt", sample_report + extra, unit="甲县司法局", kind="annual_report", year="2024")


def test_correction_controls_are_for_reviewers_only(pages, own_report) -> None:  # type: ignore[no-untyped-def]
    reviewer = _doc(pages["reviewer"].get(f"/reports/{own_report['id']}"))
    for node_id in ("review", "override-form", "doc-form", "uncertain", "history"):
        assert reviewer.xpath(f"//*[@id='{node_id}']"), node_id
    issue = own_report["analysis"]["issues"][0]
    card = reviewer.xpath(f"//li[@data-row='{issue['id']}']")[0]
    assert card.xpath(".//button[contains(@class, 'issue-dismiss')]") and card.xpath(".//form[contains(@class, 'edit-form')]")
    reasons = card.xpath(".//form[contains(@class, 'dismiss-form')]//select[@name='choice']/option")
    assert [o.text_content() for o in reasons] == ["非问题", "重复", "表述不当", "其他"]
    domains = card.xpath(".//select[@name='domain']/option")
    assert len(domains) >= 13 and all(re.search(r"[\u4e00-\u9fff]", o.text_content()) for o in domains)
    assert "点击句子可更改其角色" in reviewer.text_content()
    assert reviewer.xpath("//script[@src='/static/review.js']")  # the reviewer's script, on this page only
    if own_report["analysis"]["verdict"]["decision"] != "pass":
        assert reviewer.xpath("//*[@id='letter-edit-open']") and reviewer.xpath("//*[@id='letter-panel']")
    submitter = _doc(pages["submitter"].get(f"/reports/{own_report['id']}"))
    assert submitter.xpath("//*[@id='issues']/li")  # the same report, read-only
    for node_id in ("review", "override-form", "doc-form", "uncertain", "history", "letter-edit-open", "letter-panel",
                    "unit-prompt", "override-open"):
        assert not submitter.xpath(f"//*[@id='{node_id}']"), node_id
    assert not submitter.xpath("//*[contains(@class, 'issue-tools') or contains(@class, 'inline-form')]")
    assert not submitter.xpath("//script[@src='/static/review.js']")
    assert "更正记录" not in submitter.text_content() and "待确认" not in submitter.text_content()


def test_dismissed_items_are_struck_and_an_override_shows_the_machines_verdict(service, pages, own_report) -> None:  # type: ignore[no-untyped-def]
    c, rid = service.client, own_report["id"]
    analysis = own_report["analysis"]
    target = analysis["issues"][0]
    assert c.patch(f"/api/v1/issues/{target['id']}", json={"dismissed": True, "reason": "重复：与第二条相同"},
                   headers=service.reviewer).status_code == 200
    machine = analysis["verdict"]["decision"]
    other = "pass" if machine != "pass" else "revise"
    assert c.patch(f"/api/v1/reports/{rid}", json={"verdict": {"decision": other, "reason": "经集体研究改判"}},
                   headers=service.reviewer).status_code == 200
    fixed = c.get(f"/api/v1/reports/{rid}", headers=service.reviewer).json()["analysis"]
    doc = _doc(pages["reviewer"].get(f"/reports/{rid}"))
    card = doc.xpath(f"//li[@data-row='{target['id']}']")[0]
    assert "dismissed" in card.get("class").split()
    assert card.xpath(".//*[@class='dismissed-note']")[0].text_content() == "已排除：重复：与第二条相同"
    assert card.xpath(".//button[contains(@class, 'issue-restore')]")[0].text_content() == "恢复"
    assert not card.xpath(".//form[contains(@class, 'dismiss-form')]")
    words = {"pass": "通过", "revise": "修改", "return": "退回"}
    assert doc.get_element_by_id("verdict").get("data-decision") == other
    assert doc.get_element_by_id("verdict-machine").text_content() == f"机器预审结论：{words[machine]}"
    assert "经集体研究改判" in doc.get_element_by_id("verdict-override").text_content()
    assert doc.get_element_by_id("override-open").text_content() == "重新改判"
    assert doc.get_element_by_id("m-problem-share").text_content() == f"{fixed['metrics']['problem_share'] * 100:.1f}%"
    history = doc.get_element_by_id("history").text_content()
    assert "更正问题" in history and "排除：未排除（恢复） → 已排除" in history and "理由：（空） → 重复：与第二条相同" in history
    assert f"结论：{words[machine]} → {words[other]}" in history and "测试审核员" in history
    assert not re.search(r"[A-Za-z]{2,}", history), history  # codes are for the API; reviewers read the words
    # a submitter sees the struck item too, without the button
    card = _doc(pages["submitter"].get(f"/reports/{rid}")).xpath("//li[contains(@class, 'dismissed')]")[0]
    assert "已排除：重复" in card.text_content() and not card.xpath(".//button")


def test_the_uncertain_list_is_ordered_by_score(service, pages, own_report) -> None:  # type: ignore[no-untyped-def]
    rid = own_report["id"]
    sentences = own_report["analysis"]["sentences"]

    def listed() -> list[int]:
        return [int(li.get("data-s")) for li in _doc(pages["reviewer"].get(f"/reports/{rid}")).xpath("//*[@id='uncertain']/li")]

    expected = [s["i"] for s in sorted(sentences, key=lambda s: (s["score"], s["i"]))][:10]
    assert listed() == expected
    scores = {s["i"]: s["score"] for s in sentences}
    assert [scores[i] for i in listed()] == sorted(scores[i] for i in listed())
    first = next(s for s in sentences if s["i"] == expected[0])
    chip = _doc(pages["reviewer"].get(f"/reports/{rid}")).xpath(f"//*[@id='uncertain']/li[@data-s='{first['i']}']//button")[0]
    assert chip.get("data-role-for") == str(first["i"]) and f"r-{first['label']}" in chip.get("class")
    # a sentence the reviewer corrected leaves the list; the next least sure takes its place
    assert service.client.patch(f"/api/v1/reports/{rid}", json={"sentences": [{"i": first["i"], "label": "problem"}]},
                                headers=service.reviewer).status_code == 200
    rest = [s["i"] for s in sorted(sentences, key=lambda s: (s["score"], s["i"])) if s["i"] != first["i"]][:10]
    assert listed() == rest


def test_a_report_without_a_unit_asks_for_one_before_its_letter(service, pages) -> None:  # type: ignore[no-untyped-def]
    report = _fresh(service, "年度报告.txt", NO_UNIT, kind="annual_report", year="2025")
    rid = report["id"]
    assert report["analysis"]["document"]["unit"] is None
    if report["analysis"]["verdict"]["decision"] == "pass":
        service.client.patch(f"/api/v1/reports/{rid}", json={"verdict": {"decision": "revise", "reason": "需补充"}},
                             headers=service.reviewer)
    doc = _doc(pages["reviewer"].get(f"/reports/{rid}"))
    assert doc.get_element_by_id("unit-prompt").text_content() == "填写报送单位"
    link = doc.get_element_by_id("letter-link")
    assert link.tag == "button" and link.get("disabled") is not None and not link.get("href")
    assert "尚未确定报送单位" in doc.get_element_by_id("letter-note").text_content()
    assert not doc.xpath("//*[@id='letter-edit-open']")
    assert service.client.patch(f"/api/v1/reports/{rid}", json={"unit": "己县司法局"},
                                headers=service.reviewer).status_code == 200
    doc = _doc(pages["reviewer"].get(f"/reports/{rid}"))
    assert not doc.xpath("//*[@id='unit-prompt']") and not doc.xpath("//*[@id='letter-note']")
    assert doc.get_element_by_id("letter-link").get("href") == f"/api/v1/reports/{rid}/letter.docx"
    assert "报送单位：己县司法局" in doc.get_element_by_id("doc-unit").text_content()
    assert "报送单位：（空） → 己县司法局" in doc.get_element_by_id("history").text_content()


def test_the_round_pages_reasons_are_those_of_the_corrected_report(service, pages, sample_report: bytes) -> None:  # type: ignore[no-untyped-def]
    c, h = service.client, service.reviewer
    rnd = c.post("/api/v1/rounds", json={"name": "退改理由测试批次"}, headers=h).json()["id"]
    report = _fresh(service, "丙县报告.txt", sample_report + "\n本报告用于退改理由测试。".encode(), unit="丙县司法局",
                    kind="annual_report", year="2024", round=str(rnd))

    def shown() -> str:
        doc = _doc(pages["reviewer"].get(f"/rounds/{rnd}"))
        row = doc.xpath(f"//table[@id='round-reports']//tr[td/a[@href='/reports/{report['id']}']]")[0]
        return row.xpath("./td[@class='reason-names']")[0].text_content()

    assert "讲成绩多、讲问题少" not in shown()
    # the reviewer reads the problem sentences as achievements: the corrected report has few problems
    wrong = [{"i": s["i"], "label": "achievement"} for s in report["analysis"]["sentences"]
             if s["label"] in ("problem", "cause")]
    assert c.patch(f"/api/v1/reports/{report['id']}", json={"sentences": wrong}, headers=h).status_code == 200
    assert "讲成绩多、讲问题少" in shown()
    # a decision the reviewer made stands on the reviewer's reason
    assert c.patch(f"/api/v1/reports/{report['id']}", headers=h,
                   json={"verdict": {"decision": "pass", "reason": "经复核，同意通过。"}}).status_code == 200
    assert shown() == "审核改判：经复核，同意通过。"
