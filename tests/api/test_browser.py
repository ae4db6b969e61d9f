"""The web pages in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright, against a
real ``prereview serve`` process. Sign in, upload a DOCX, read the verdict with its highlighted evidence,
download the letter, change an issue's status, and upload to a round and watch the job.

Chromium must be installed (``apt-get install chromium fonts-noto-cjk``); without it this test fails, it does
not skip. Screenshots go to the test's tmp folder and, when ``PREREVIEW_SCREENSHOT_DIR`` is set, there too.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlp.doc import FollowUp, Status
from tests.api.server import ROOT, Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--no-proxy-server"]
UNIT = "桐山县司法局"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("browser-server")
    srv = Server(folder / "data", folder / "server.log", analysis_mode="inline")
    token = srv.token("--role", "reviewer", "--label", "浏览器测试审核员")
    assert token.startswith("pr_")
    srv.start()
    try:
        yield srv, token
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk (apt-get install chromium "
                    "fonts-noto-cjk); this test does not skip")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def report_docx() -> bytes:
    """The sample report (written for this project) as a Word file: title, headings, paragraphs."""
    from tests.builders import make_docx

    lines = [x.strip() for x in (ROOT / "nlp" / "data" / "sample_report.txt").read_text(encoding="utf-8").splitlines()]
    items = []
    for k, line in enumerate(x for x in lines if x):
        if k == 0:
            items.append(("title", line))
        elif line[:2] in {"一、", "二、", "三、", "四、"}:
            items.append(("h1", line))
        elif line.startswith("（") and "）" in line[:4] and len(line) < 30:
            items.append(("h2", line))
        else:
            items.append(("p", line))
    return make_docx(items)


def save_shot(page, tmp: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = tmp / name
    page.screenshot(path=str(path), full_page=True)
    extra = os.environ.get("PREREVIEW_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / name)
    return path


def test_sign_in_upload_verdict_letter_and_status(server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx
    from playwright.sync_api import expect

    srv, token = server
    docx_path = tmp_path / f"{UNIT}2024年度法治政府建设情况报告.docx"
    docx_path.write_bytes(report_docx())
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)  # the 409 is expected
    try:
        # sign in: a wrong token first, then the real one
        page.goto(f"{srv.url}/checklist")
        expect(page).to_have_url(f"{srv.url}/login?next=%2Fchecklist")
        save_shot(page, tmp_path, "login.png")
        page.fill("#token", "pr_wrong")
        page.click("button[type=submit]")
        expect(page.locator(".alert-error")).to_contain_text("令牌无效")
        page.fill("#token", token)
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{srv.url}/checklist")
        cookie = next(c for c in context.cookies() if c["name"] == "prereview_token")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""  # not readable by scripts

        # upload the DOCX from the home page
        page.click("text=上传预审")
        page.set_input_files("#f-file", str(docx_path))
        page.fill("#f-unit", UNIT)
        page.select_option("#f-kind", "annual_report")
        page.fill("#f-year", "2024")
        expect(page.locator(".file-names[data-for=f-file]")).to_have_text(docx_path.name)
        save_shot(page, tmp_path, "home.png")
        page.click("#upload-button")
        page.wait_for_url(f"{srv.url}/reports/*", timeout=120_000)

        # the verdict, its reasons, and the evidence they point at
        banner = page.locator("#verdict")
        decision = banner.get_attribute("data-decision")
        assert decision in ("revise", "return"), decision  # the sample misses a required topic
        expect(banner.locator(".verdict-word")).to_have_text({"revise": "修改", "return": "退回"}[decision])
        expect(page.locator(".reason").first).to_be_visible()
        assert page.locator("#doc-text .s.r-problem").count() >= 2
        assert page.locator("#doc-text .s.r-measure").count() >= 1
        problem_marks = page.locator("#doc-text mark.ev-q")
        assert problem_marks.count() >= 2
        expect(problem_marks.first).to_be_visible()
        assert page.locator("#doc-text").inner_text().count("规范性文件合法性审核把关不够严") == 1
        locate = page.locator("button.locate").first
        key = locate.get_attribute("data-ev-key")
        locate.click()
        active = page.locator(f"#doc-text mark.active[data-ev~='{key}']")
        expect(active.first).to_be_visible()
        assert active.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
        # an issue card highlights its evidence and measure
        page.locator("#issue-0").click()
        expect(page.locator("#doc-text mark.active[data-ev~='q0']").first).to_be_visible()
        expect(page.locator("#issues .badge", has_text="显性").first).to_be_visible()
        expect(page.locator("#issues .badge", has_text="无对应措施").first).to_be_visible()
        # Chinese renders with a CJK font, not boxes
        font = page.evaluate("getComputedStyle(document.querySelector('#doc-text')).fontFamily")
        assert "Noto Serif CJK SC" in font
        assert page.evaluate("document.fonts.check('16px \"Noto Serif CJK SC\"', '法治')")
        page.locator("#issue-0").click()  # leave nothing selected for the picture
        page.evaluate("window.scrollTo(0, 0); document.querySelector('.side').scrollTo(0, 0)")
        shot = save_shot(page, tmp_path, "report_view.png")
        assert shot.stat().st_size > 50_000

        # the letter
        with page.expect_download() as info:
            page.click("#letter-link")
        download = info.value
        saved = tmp_path / "letter.docx"
        download.save_as(saved)
        assert download.suggested_filename.endswith(".docx")
        letter = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
        assert UNIT in letter or "报告" in letter

        # the checklist: move the first issue of the unit to 整改中, then a refused step shows the reason
        page.goto(f"{srv.url}/checklist?unit={UNIT}")
        row = page.locator("tr.issue-row").first
        row.locator("select[name=to]").select_option("status:in_progress")
        row.locator("input[name=note]").fill("已制定整改方案，明确责任股室")
        row.locator("button[type=submit]").click()
        expect(row.locator("[data-status]")).to_have_text("整改中")
        expect(row.locator(".form-msg")).to_have_text("已更新为“整改中”。")
        expect(row.locator("[data-status]")).to_have_class(re.compile(r"\bst-in_progress\b"))
        assert row.locator("select[name=to] option").all_inner_texts() == ["转为：已完成待验收"]
        expect(row.locator(".hist-count")).to_have_text("1")
        row.locator("summary").click()
        expect(row.locator(".hist-list")).to_contain_text("未启动 → 整改中")
        expect(row.locator(".hist-list")).to_contain_text("已制定整改方案")
        row.locator("select[name=to]").select_option("status:for_acceptance")
        row.locator("button[type=submit]").click()
        expect(row.locator("[data-status]")).to_have_text("已完成待验收")
        row.locator("select[name=to]").select_option("status:closed")
        row.locator("button[type=submit]").click()  # no acceptance note: refused with 409
        expect(row.locator(".form-msg.err")).to_contain_text("整改状态不能这样变更")
        expect(row.locator(".form-msg.err")).to_contain_text("转为“已销号”或“退回重改”须填写验收意见")
        expect(row.locator("[data-status]")).to_have_text("已完成待验收")
        page.reload()
        row = page.locator("tr.issue-row").first
        expect(row.locator("[data-status]")).to_have_text("已完成待验收")
        row.locator("select[name=to]").select_option("status:closed")
        row.locator("input[name=note]").fill("经核查，合法性审核规程已印发执行，同意销号")
        row.locator("button[type=submit]").click()
        expect(row.locator("[data-status]")).to_have_text("已销号")
        assert row.locator("select[name=to] option").all_inner_texts() == ["回头看：巩固", "回头看：反弹", "回头看：虚假整改"]
        expect(row.locator(".hist-count")).to_have_text("3")
        row.locator("select[name=to]").select_option("followup:sham")
        row.locator("button[type=submit]").click()  # 回头看 finds a sham: back in progress
        expect(row.locator("[data-status]")).to_have_text("整改中")
        expect(row.locator(".hist-list")).to_contain_text("已销号 → 整改中")
        expect(row.locator(".hist-list")).to_contain_text("回头看：虚假整改")
        shown = set(re.findall(r"[a-z_]+", page.locator("main").inner_text()))
        assert not shown & {*Status, *FollowUp}, shown  # the codes are for the API; reviewers read the words
        save_shot(page, tmp_path, "checklist.png")
        assert not errors, errors
    finally:
        context.close()


def test_round_upload_shows_job_progress(server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    srv, token = server
    files = [tmp_path / "甲镇人民政府_述法报告.docx", tmp_path / "乙镇人民政府_述法报告.txt", tmp_path / "损坏文件.pdf"]
    files[0].write_bytes(report_docx())
    text = (ROOT / "nlp" / "data" / "sample_report.txt").read_text(encoding="utf-8").replace("桐山县司法局", "乙镇人民政府")
    files[1].write_text(text, encoding="utf-8")
    files[2].write_bytes(b"%PDF-1.4 not really a pdf")
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{srv.url}/login")
        page.fill("#token", token)
        page.click("button[type=submit]")
        page.goto(f"{srv.url}/rounds")
        page.fill("#round-name", "浏览器测试批次")
        page.click("#new-round-form button")
        page.wait_for_url(f"{srv.url}/rounds/*")
        page.set_input_files("#round-files", [str(f) for f in files])
        page.click("#round-upload-form button")
        expect(page.locator("#job")).to_be_visible()
        expect(page.locator("#job-files li")).to_have_count(3)
        save_shot(page, tmp_path, "round_job.png")
        # the page reloads itself when the job is done; then the counts and reports are there
        expect(page.locator("#round-reports tbody tr")).to_have_count(2, timeout=180_000)
        assert int(page.locator("#count-revise").inner_text()) + int(page.locator("#count-return").inner_text()) \
            + int(page.locator("#count-pass").inner_text()) == 2
        expect(page.locator(".failures")).to_contain_text("损坏文件.pdf：文件已损坏或不完整")
        save_shot(page, tmp_path, "round_view.png")
        # name an earlier round of the same units: the page reloads with the comparison named and linked
        earlier = page.request.post(f"{srv.url}/api/v1/rounds", data={"name": "浏览器测试上一轮"}).json()["id"]
        page.reload()
        page.select_option("#previous-round", str(earlier))
        page.click("#previous-round-form button")
        expect(page.locator("#recurring-note a")).to_have_attribute("href", f"/rounds/{earlier}")
        expect(page.locator("#previous-round")).to_have_value(str(earlier))
        page.select_option("#previous-round", "")
        page.click("#previous-round-form button")
        expect(page.locator("#recurring-note")).to_have_count(0)
        assert not errors, errors
    finally:
        context.close()
