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

        # the checklist: the first issue of the unit reworded (its history lists it), moved to 整改中, then a refused
        # step shows the reason
        page.goto(f"{srv.url}/checklist?unit={UNIT}")
        row = page.locator("tr.issue-row").first
        reworded = page.request.patch(f"{srv.url}/api/v1/issues/{row.get_attribute('data-issue')}",
                                      data={"text": "规范性文件合法性审核把关不严", "note": "表述更准确"})
        assert reworded.ok, reworded.text()
        page.reload()
        row = page.locator("tr.issue-row").first
        expect(row.locator(".hist-count")).to_have_text("1")
        expect(row.locator(".hist-list")).to_contain_text("更正问题表述：")
        row.locator("select[name=to]").select_option("status:in_progress")
        row.locator("input[name=note]").fill("已制定整改方案，明确责任股室")
        row.locator("button[type=submit]").click()
        expect(row.locator("[data-status]")).to_have_text("整改中")
        expect(row.locator(".form-msg")).to_have_text("已更新为“整改中”。")
        expect(row.locator("[data-status]")).to_have_class(re.compile(r"\bst-in_progress\b"))
        assert row.locator("select[name=to] option").all_inner_texts() == ["转为：已完成待验收"]
        expect(row.locator(".hist-count")).to_have_text("2")  # the script lists the correction too, in Chinese
        row.locator("summary").click()
        expect(row.locator(".hist-list li").first).to_contain_text("更正问题")
        expect(row.locator(".hist-list li").first).to_contain_text("→ 规范性文件合法性审核把关不严")
        expect(row.locator(".hist-list")).to_contain_text("表述更准确")
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
        expect(row.locator(".hist-count")).to_have_text("4")
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


SELECT = """([a, offA, b, offB]) => {
  // a selection from character offA of sentence a to character offB of sentence b, as a reader's mouse makes it
  function point(i, off) {
    const span = document.querySelector('#doc-text .s[data-s="' + i + '"]');
    const walk = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (off < n.length) return [n, off];
      off -= n.length;
    }
    throw new Error("offset past the sentence");
  }
  const range = document.createRange();
  range.setStart(...point(a, offA));
  range.setEnd(...point(b, offB));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  document.getElementById("doc-text").dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_a_reviewer_corrects_a_report_in_the_page(server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Dismiss, restore and edit an issue, add two by selecting text, change a sentence's role, override the
    verdict twice and withdraw the override, give the unknown unit, edit and save the letter; the API and the page
    follow each step."""
    import docx
    from playwright.sync_api import expect

    srv, token = server
    # the sample report with its unit's name taken out: the unit is not known until the reviewer gives it
    text = (ROOT / "nlp" / "data" / "sample_report.txt").read_text(encoding="utf-8").replace("桐山县司法局", "我局")
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    api = page.request

    def report() -> dict:  # type: ignore[type-arg]
        res = api.get(f"{srv.url}/api/v1/reports/{rid}")
        assert res.ok, res.text()
        return res.json()["analysis"]  # type: ignore[no-any-return]

    def stale() -> None:  # marks the page as it is before a change
        page.evaluate("document.body.dataset.stale = '1'")

    def reloaded() -> None:  # each change reloads the page with a message
        expect(page.locator("body[data-stale]")).to_have_count(0)
        expect(page.locator("#flash")).to_be_visible()
        expect(page.locator("#flash")).to_contain_text("重新计算")

    def shows_metrics(analysis: dict) -> None:  # type: ignore[type-arg]
        expect(page.locator("#m-problem-share")).to_have_text(f"{analysis['metrics']['problem_share'] * 100:.1f}%")
        expect(page.locator("#verdict")).to_have_attribute("data-decision", analysis["verdict"]["decision"])

    try:
        page.goto(f"{srv.url}/login")
        page.fill("#token", token)
        page.click("button[type=submit]")
        page.wait_for_url(f"{srv.url}/")
        up = api.post(f"{srv.url}/api/v1/reports", multipart={
            "file": {"name": "年度报告.txt", "mimeType": "text/plain", "buffer": text.encode()},
            "kind": "annual_report", "year": "2024"})
        assert up.status == 201, up.text()
        rid = up.json()["id"]
        first = up.json()["analysis"]
        doc_text = first["document"]["text"]
        assert first["document"]["unit"] is None and first["verdict"]["decision"] in ("revise", "return")
        page.goto(f"{srv.url}/reports/{rid}")
        expect(page.locator("#unit-prompt")).to_have_text("填写报送单位")
        expect(page.locator("#letter-link")).to_be_disabled()
        expect(page.locator("#letter-note")).to_contain_text("尚未确定报送单位")

        # dismiss the first stated problem (a reason from the list and a note), then restore it
        target = next(i for i in first["issues"] if i.get("latent_basis") is None)
        card = page.locator(f"#issues li[data-row='{target['id']}']")
        for form in (".dismiss-form", ".edit-form", "#override-form", "#doc-form", "#letter-panel", "#role-menu",
                     "#add-issue"):  # nothing is open until asked for
            expect(page.locator(form).first).to_be_hidden()
        card.locator(".issue-dismiss").click()
        expect(card.locator(".dismiss-form")).to_be_visible()
        expect(card.locator(".edit-form")).to_be_hidden()
        card.locator("select[name=choice]").select_option("重复")
        card.locator("input[name=detail]").fill("与第二条重复")
        stale()
        card.locator(".dismiss-form button[type=submit]").click()
        reloaded()
        expect(card).to_have_class(re.compile(r"\bdismissed\b"))
        expect(card.locator(".dismissed-note")).to_have_text("已排除：重复：与第二条重复")
        assert card.locator(".issue-text").evaluate("n => getComputedStyle(n).textDecorationLine") == "line-through"
        now = report()
        assert next(i for i in now["issues"] if i["id"] == target["id"])["dismissed"] is True
        assert now["metrics"]["problems_total"] == first["metrics"]["problems_total"] - 1
        shows_metrics(now)
        stale()
        card.locator(".issue-restore").click()
        reloaded()
        expect(card).not_to_have_class(re.compile(r"\bdismissed\b"))
        assert report()["metrics"]["problems_total"] == first["metrics"]["problems_total"]

        # edit its text, domain and visibility in place
        card.locator(".issue-edit").click()
        card.locator("textarea[name=text]").fill("规范性文件合法性审核把关不严（审核员改写）")
        card.locator("select[name=domain]").select_option("legal_workforce")
        card.locator("select[name=visibility]").select_option("latent")
        stale()
        card.locator(".edit-form button[type=submit]").click()
        reloaded()
        expect(card.locator(".issue-text")).to_have_text("规范性文件合法性审核把关不严（审核员改写）")
        expect(card.locator(".b-latent")).to_be_visible()
        edited = next(i for i in report()["issues"] if i["id"] == target["id"])
        assert (edited["text"], edited["domain"], edited["visibility"]) == (
            "规范性文件合法性审核把关不严（审核员改写）", "legal_workforce", "latent")

        # select text to add a missed problem: inside one sentence, then across two
        sents = first["sentences"]
        one = next(s for s in sents if s["label"] == "achievement" and s["end"] - s["start"] > 20)
        pair = next((a, b) for a, b in zip(sents, sents[1:], strict=False) if b["i"] == a["i"] + 1 and a["end"] - a["start"] > 8
                    and b["end"] - b["start"] > 8 and a["i"] != one["i"] and b["i"] != one["i"])
        expected = [(one["start"] + 2, one["start"] + 15), (pair[0]["start"] + 3, pair[1]["start"] + 5)]
        for (a, off_a, b, off_b) in [(one["i"], 2, one["i"], 15), (pair[0]["i"], 3, pair[1]["i"], 5)]:
            page.evaluate(SELECT, [a, off_a, b, off_b])
            expect(page.locator("#add-issue")).to_be_visible()
            stale()
            page.locator("#add-issue button").click()
            reloaded()
        added = [i for i in report()["issues"] if i.get("origin") == "reviewer"]
        assert [(i["evidence"][0]["start"], i["evidence"][0]["end"]) for i in added] == expected
        assert [i["evidence"][0]["text"] for i in added] == [doc_text[s:e] for s, e in expected]
        assert added[1]["sentences"] == [pair[0]["i"], pair[1]["i"]]
        expect(page.locator("#issues .b-added")).to_have_count(2)
        # and once with the mouse, dragging over the first line of a sentence: the problem is what was selected
        used = {one["i"], pair[0]["i"], pair[1]["i"]}
        x, y, w = page.evaluate("""used => {
          for (const s of document.querySelectorAll('#doc-text .s[data-s]')) {
            if (used.includes(Number(s.dataset.s))) continue;
            s.scrollIntoView({block: 'center'});
            const r = s.getClientRects()[0];
            if (r.width > 160) return [r.left, r.top + r.height / 2, r.width];
          }
          throw new Error('no sentence wide enough');
        }""", sorted(used))
        page.mouse.move(x + 3, y)
        page.mouse.down()
        page.mouse.move(x + min(w - 4, 240), y, steps=8)
        page.mouse.up()
        chosen = page.evaluate("window.getSelection().toString()")
        assert len(chosen) >= 3, chosen
        expect(page.locator("#add-issue")).to_be_visible()
        expect(page.locator("#role-menu")).to_be_hidden()  # a selection is not a click on the sentence
        stale()
        page.locator("#add-issue button").click()
        reloaded()
        dragged = [i for i in report()["issues"] if i.get("origin") == "reviewer"][2]
        assert dragged["evidence"][0]["text"] == chosen
        used |= set(dragged["sentences"])

        # a sentence's role: click the sentence, choose 问题 from its menu
        sentence = next(s for s in sents if s["label"] == "achievement" and s["i"] not in used)
        box = page.locator(f"#doc-text .s[data-s='{sentence['i']}']").first.evaluate(
            "s => { const r = s.getClientRects()[0]; s.scrollIntoView({block: 'center'}); const q = s.getClientRects()[0];"
            " return [q.left + 4, q.top + q.height / 2]; }")
        page.mouse.click(*box)
        expect(page.locator("#role-menu")).to_be_visible()
        stale()
        page.locator("#role-menu button[data-label=problem]").click()
        reloaded()
        now = report()
        assert next(s for s in now["sentences"] if s["i"] == sentence["i"])["label"] == "problem"
        problems = sum(1 for s in now["sentences"] if s["label"] == "problem")
        expect(page.locator("#legend")).to_contain_text(f"问题{problems}句")
        expect(page.locator(f"#doc-text .s[data-s='{sentence['i']}']").first).to_have_class(re.compile(r"\br-problem\b"))
        shows_metrics(now)

        # override the verdict with a reason; the machine's stays beside it; then change the override again
        machine = now["verdict"]["decision"]
        other = "return" if machine == "revise" else "revise"
        for decision, reason in ((machine, "复核后维持原判意见"), (other, "经集体研讨，改判")):
            page.locator("#override-open").click()
            page.locator("#override-form select[name=decision]").select_option(decision)
            page.locator("#override-form textarea[name=reason]").fill(reason)
            stale()
            page.locator("#override-form button[type=submit]").click()
            reloaded()
            expect(page.locator("#verdict")).to_have_attribute("data-decision", decision)
            expect(page.locator("#verdict-override")).to_contain_text(reason)
            expect(page.locator("#verdict-machine")).to_have_text(
                "机器预审结论：" + {"revise": "修改", "return": "退回"}[machine])
        verdict = report()["verdict"]
        assert verdict["override"]["reason"] == "经集体研讨，改判" and verdict["machine"]["decision"] == machine
        # withdraw it (撤销改判): the decision shown is the machine's again, with no override beside it
        stale()
        page.locator("#override-withdraw").click()
        reloaded()
        expect(page.locator("#verdict")).to_have_attribute("data-decision", machine)
        expect(page.locator("#verdict-override")).to_have_count(0)
        expect(page.locator("#override-withdraw")).to_have_count(0)
        expect(page.locator("#history > li").last).to_contain_text("撤销改判")
        assert "override" not in report()["verdict"]

        # give the unit: the letter can then be downloaded and edited
        page.locator("#unit-prompt").click()
        page.locator("#doc-form input[name=unit]").fill("桐山县司法局")
        stale()
        page.locator("#doc-form button[type=submit]").click()
        reloaded()
        expect(page.locator("#doc-unit")).to_have_text("报送单位：桐山县司法局")
        expect(page.locator("#unit-prompt")).to_have_count(0)
        assert report()["document"]["unit"] == "桐山县司法局"
        page.locator("#letter-edit-open").click()
        panel = page.locator("#letter-panel")
        expect(panel).to_be_visible()
        expect(page.locator("#letter-recipient")).to_have_value("桐山县司法局")
        page.fill("#letter-title", "关于桐山县司法局2024年度报告的修改意见")
        page.locator("#letter-paras textarea").last.fill("请于十个工作日内报送修改稿。")
        page.click("#letter-save")
        expect(page.locator("#letter-msg")).to_have_text("草稿已保存，下载的函件（Word）将按此稿生成。")
        letter = api.get(f"{srv.url}/api/v1/reports/{rid}/letter").json()
        assert letter["edited"] is True and letter["title"] == "关于桐山县司法局2024年度报告的修改意见"
        assert letter["paragraphs"][-1]["text"] == "请于十个工作日内报送修改稿。"
        with page.expect_download() as info:
            page.click("#letter-link")
        saved = tmp_path / "edited_letter.docx"
        info.value.save_as(saved)
        words = [p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs]
        assert "请于十个工作日内报送修改稿。" in words and "桐山县司法局：" in words

        # the history: every correction, through the API and on the page, in Chinese
        history = api.get(f"{srv.url}/api/v1/reports/{rid}/corrections").json()
        assert [h["target"] for h in history] == ["issue", "issue", "issue", "added_issue", "added_issue",
                                                  "added_issue", "sentence", "verdict", "verdict", "verdict",
                                                  "document"]
        assert history[0]["after"] == {"dismissed": True, "reason": "重复：与第二条重复"}
        assert history[-1]["after"] == {"unit": "桐山县司法局"}  # only what changed
        page.reload()
        expect(page.locator("#history > li")).to_have_count(11)
        listed = page.locator("#history").inner_text()
        for words_ in ("排除：未排除（恢复） → 已排除", "排除：已排除 → 未排除（恢复）", "领域：", "补充问题",
                       "角色：成绩 → 问题", "结论：", "撤销改判", "机器预审结论", "报送单位：（空） → 桐山县司法局"):
            assert words_ in listed, words_
        assert "共性/个性" not in listed and "类型：" not in listed  # only the fields the reviewer changed
        assert not re.search(r"[A-Za-z]{2,}", page.locator("#history").inner_text())
        shows_metrics(report())
        page.evaluate("window.scrollTo(0, 0)")
        save_shot(page, tmp_path, "report_corrected.png")
        assert not errors, errors
    finally:
        context.close()
