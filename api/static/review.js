/* 法治报告预审系统 — a reviewer's corrections on the report page (loaded there for reviewers only, after app.js).
   No libraries; the API is called with the sign-in cookie. */
"use strict";

(function () {
  const { GLOSSARY, el, beijing } = window.prereview;

  // Each change goes to the API; then the page loads again, so that the metrics, the verdict and the legend show
  // the recomputed state (the server renders them). A short message and the scroll position survive the reload.
  const FLASH = "prereview-flash";
  const LABELS = GLOSSARY.labels || {};

  async function send(method, url, body) {
    try {
      return await fetch(url, { method: method, credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) { return null; }
  }

  /** The Chinese message of a refused correction (without the API's technical detail). */
  async function refusal(resp) {
    if (!resp) return "网络错误，未提交。";
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (resp.status === 401) return "登录已失效，请重新登录。";
    return (body && body.message) || "请求失败（" + resp.status + "），请稍后重试。";
  }

  function reloadWith(message) {
    try { sessionStorage.setItem(FLASH, JSON.stringify({ message: message, y: window.scrollY, path: location.pathname })); } catch (e) { /* private mode */ }
    window.location.reload();
  }

  function showFlash() {
    const box = document.getElementById("flash");
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(FLASH) || "null"); sessionStorage.removeItem(FLASH); } catch (e) { saved = null; }
    if (!saved || saved.path !== location.pathname) return;
    if (box) { box.textContent = saved.message + "结论与指标已按更正重新计算。"; box.className = "status-line ok"; box.hidden = false; }
    if (saved.y) window.scrollTo(0, saved.y);
  }

  /** Sends a correction from a form; on success the page reloads with ``done``. */
  async function submitCorrection(form, method, url, body, done) {
    const msg = form ? form.querySelector(".form-msg") : null;
    const button = form ? form.querySelector("button[type=submit]") : null;
    if (button) button.disabled = true;
    if (msg) { msg.className = "form-msg"; msg.textContent = "提交中……"; }
    const resp = await send(method, url, body);
    if (resp && resp.ok) { reloadWith(done); return true; }
    if (button) button.disabled = false;
    const text = await refusal(resp);
    if (msg) { msg.className = "form-msg err"; msg.textContent = text; } else window.alert(text);
    return false;
  }

  function formError(form, text) {
    const msg = form.querySelector(".form-msg");
    msg.className = "form-msg err";
    msg.textContent = text;
  }

  function initToggles() {
    document.querySelectorAll("[data-toggle]").forEach((b) => b.addEventListener("click", () => {
      const target = document.getElementById(b.dataset.toggle);
      if (target) target.hidden = !target.hidden;
    }));
    document.querySelectorAll("[data-toggle-near]").forEach((b) => b.addEventListener("click", () => {
      const li = b.closest("li");
      const target = li && li.querySelector("form." + b.dataset.toggleNear);
      if (!target) return;
      li.querySelectorAll("form.inline-form").forEach((f) => { if (f !== target) f.hidden = true; });
      target.hidden = !target.hidden;
    }));
  }

  function initIssueCorrections(reportId) {
    const issueUrl = (li) => "/api/v1/issues/" + encodeURIComponent(li.dataset.row);
    document.querySelectorAll("#issues li[data-row]").forEach((li) => {
      const dismiss = li.querySelector("form.dismiss-form");
      if (dismiss) dismiss.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const choice = dismiss.elements.choice.value;
        const detail = dismiss.elements.detail.value.trim();
        if (!choice && !detail) { formError(dismiss, "选“其他”时请写明理由。"); return; }
        const reason = choice && detail ? choice + "：" + detail : (choice || detail);
        submitCorrection(dismiss, "PATCH", issueUrl(li), { dismissed: true, reason: reason }, "已排除该问题。");
      });
      const restore = li.querySelector(".issue-restore");
      if (restore) restore.addEventListener("click", () => {
        restore.disabled = true;
        submitCorrection(null, "PATCH", issueUrl(li), { dismissed: false }, "已恢复该问题。");
      });
      const edit = li.querySelector("form.edit-form");
      if (edit) edit.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const text = edit.elements.text.value.trim();
        if (!text) { formError(edit, "问题表述不能为空。"); return; }
        // only what changed: each field given is a correction in the history
        const body = {};
        if (text !== edit.elements.text.defaultValue.trim()) body.text = text;
        ["domain", "visibility", "scope"].forEach((name) => {
          const select = edit.elements[name];
          const initial = Array.from(select.options).find((o) => o.defaultSelected) || select.options[0];
          if (select.value !== initial.value) body[name] = select.value || null;
        });
        if (!Object.keys(body).length) { formError(edit, "没有改动。"); return; }
        submitCorrection(edit, "PATCH", issueUrl(li), body, "已保存对该问题的修改。");
      });
    });
  }

  function initReportForms(reportId) {
    const url = "/api/v1/reports/" + encodeURIComponent(reportId);
    const override = document.getElementById("override-form");
    if (override) override.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const reason = override.elements.reason.value.trim();
      if (!reason) { formError(override, "请填写改判理由。"); return; }
      submitCorrection(override, "PATCH", url, { verdict: { decision: override.elements.decision.value, reason: reason } },
        "已改判。");
    });
    const withdraw = document.getElementById("override-withdraw");
    if (withdraw) withdraw.addEventListener("click", async () => {
      // "verdict": null withdraws the override; the decision is then the machine's over the corrections
      withdraw.disabled = true;
      const resp = await send("PATCH", url, { verdict: null });
      if (resp && resp.ok) { reloadWith("已撤销改判，恢复机器预审结论。"); return; }
      withdraw.disabled = false;
      const msg = document.getElementById("withdraw-msg");
      msg.className = "form-msg err";
      msg.textContent = await refusal(resp);
    });
    const doc = document.getElementById("doc-form");
    if (doc) doc.addEventListener("submit", (ev) => {
      ev.preventDefault();
      // only what changed: each field given is a correction in the history
      const body = {};
      const unit = doc.elements.unit.value.trim();
      const year = doc.elements.year.value.trim();
      if (unit && unit !== doc.elements.unit.defaultValue.trim()) body.unit = unit;
      if (doc.elements.kind.value !== doc.dataset.kind) body.kind = doc.elements.kind.value;
      if (year && year !== doc.elements.year.defaultValue.trim()) {
        if (!/^\d{4}$/.test(year) || Number(year) < 1990 || Number(year) > 2100) { formError(doc, "年度应为1990至2100之间的四位数字。"); return; }
        body.year = Number(year);
      }
      if (!Object.keys(body).length) { formError(doc, unit ? "没有改动。" : "请填写报送单位。"); return; }
      submitCorrection(doc, "PATCH", url, body, "已更正报告信息。");
    });
  }

  // a sentence's role: click a sentence (or a role chip under 待确认) → a small menu of the roles
  function initRoleMenu(reportId, text) {
    const menu = el("div", "role-menu");
    menu.id = "role-menu";
    menu.hidden = true;
    menu.setAttribute("role", "menu");
    document.body.append(menu);
    function open(i, anchor) {
      const current = text.querySelector('.s[data-s="' + i + '"]');
      menu.replaceChildren(el("div", "role-menu-head", "第" + (Number(i) + 1) + "句的角色："));
      Object.keys(LABELS).forEach((code) => {
        const b = el("button", "s r-" + code + " chip", LABELS[code]);
        b.type = "button";
        b.dataset.label = code;
        if (current && current.classList.contains("r-" + code)) b.classList.add("current");
        b.addEventListener("click", () => {
          menu.hidden = true;
          submitCorrection(null, "PATCH", "/api/v1/reports/" + encodeURIComponent(reportId),
            { sentences: [{ i: Number(i), label: code }] }, "第" + (Number(i) + 1) + "句已改为“" + LABELS[code] + "”。");
        });
        menu.append(b);
      });
      const r = anchor.getBoundingClientRect();
      menu.style.left = Math.max(8, r.left + window.scrollX) + "px";
      menu.style.top = (r.bottom + window.scrollY + 4) + "px";
      menu.dataset.for = i;
      menu.hidden = false;
    }
    text.addEventListener("click", (ev) => {
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed && sel.toString().trim()) return;  // a selection is for 添加为问题
      const s = ev.target.closest(".s[data-s]");
      if (s) open(s.dataset.s, ev.target.closest("mark") || s);
    });
    document.querySelectorAll("[data-role-for]").forEach((chip) =>
      chip.addEventListener("click", () => open(chip.dataset.roleFor, chip)));
    document.addEventListener("mousedown", (ev) => {
      if (!menu.hidden && !menu.contains(ev.target) && !ev.target.closest(".s[data-s], [data-role-for]")) menu.hidden = true;
    });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") menu.hidden = true; });
    document.querySelectorAll("[data-goto]").forEach((a) => a.addEventListener("click", (ev) => {
      ev.preventDefault();
      const s = text.querySelector('.s[data-s="' + a.dataset.goto + '"]');
      if (!s) return;
      s.scrollIntoView({ behavior: "smooth", block: "center" });
      s.classList.add("flash-s");
      setTimeout(() => s.classList.remove("flash-s"), 1600);
    }));
  }

  /** The offset in document.text of a selection boundary: each run of text carries data-o, its first character's
   *  offset (api/page_text.py), so the offset is data-o plus the characters before the point in its run. */
  function textOffset(text, node, offset, isEnd) {
    const runs = Array.from(text.querySelectorAll("[data-o]"));
    const range = document.createRange();
    for (const run of runs) {
      if (run === node || run.contains(node)) {
        range.setStart(run, 0);
        range.setEnd(node, offset);
        return Number(run.dataset.o) + range.toString().length;
      }
    }
    // a boundary between runs (at a paragraph's edge): the nearest run inside the selection
    if (isEnd) {
      for (let k = runs.length - 1; k >= 0; k--) {
        range.selectNodeContents(runs[k]);
        if (range.comparePoint(node, offset) >= 0) return Number(runs[k].dataset.o) + runs[k].textContent.length;
      }
    } else {
      for (const run of runs) {
        range.selectNodeContents(run);
        if (range.comparePoint(node, offset) <= 0) return Number(run.dataset.o);
      }
    }
    return null;
  }

  function selectionSpan(text) {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const r = sel.getRangeAt(0);
    if (!text.contains(r.commonAncestorContainer) && r.commonAncestorContainer !== text) return null;
    const start = textOffset(text, r.startContainer, r.startOffset, false);
    const end = textOffset(text, r.endContainer, r.endOffset, true);
    if (start === null || end === null || end <= start || !sel.toString().trim()) return null;
    return { start: start, end: end, rect: r.getBoundingClientRect() };
  }

  function initAddIssue(reportId, text) {
    const pop = el("div", "add-issue-pop");
    pop.id = "add-issue";
    pop.hidden = true;
    const button = el("button", "btn btn-primary btn-small", "添加为问题");
    button.type = "button";
    const msg = el("span", "form-msg");
    pop.append(button, msg);
    document.body.append(pop);
    let span = null;
    function place() {
      span = selectionSpan(text);
      if (!span) { pop.hidden = true; return; }
      pop.style.left = Math.max(8, span.rect.left + window.scrollX) + "px";
      pop.style.top = (span.rect.bottom + window.scrollY + 6) + "px";
      msg.textContent = "";
      pop.hidden = false;
    }
    text.addEventListener("mouseup", () => setTimeout(place, 0));
    text.addEventListener("keyup", () => setTimeout(place, 0));
    document.addEventListener("mousedown", (ev) => { if (!pop.contains(ev.target)) pop.hidden = true; });
    button.addEventListener("mousedown", (ev) => ev.preventDefault());  // keep the selection
    button.addEventListener("click", async () => {
      if (!span) return;
      button.disabled = true;
      const resp = await send("POST", "/api/v1/reports/" + encodeURIComponent(reportId) + "/issues",
        { start: span.start, end: span.end });
      if (resp && resp.ok) { reloadWith("已将所选文字添加为问题。"); return; }
      button.disabled = false;
      msg.className = "form-msg err";
      msg.textContent = await refusal(resp);
    });
  }

  // the letter's words: title, recipient, paragraphs; PUT saves a draft the Word download follows
  function initLetter(reportId) {
    const panel = document.getElementById("letter-panel");
    const openButton = document.getElementById("letter-edit-open");
    if (!panel || !openButton) return;
    const url = "/api/v1/reports/" + encodeURIComponent(reportId) + "/letter";
    const list = document.getElementById("letter-paras");
    const msg = document.getElementById("letter-msg");
    const edited = document.getElementById("letter-edited");
    function paragraph(p) {
      const li = el("li", "letter-para");
      const area = el("textarea");
      area.rows = Math.min(8, Math.max(2, Math.ceil((p.text || "").length / 48)));
      area.value = p.text || "";
      area.dataset.style = p.style || "body";
      if (area.dataset.style === "quote") li.classList.add("quote");
      const remove = el("button", "link-btn", "删除此段");
      remove.type = "button";
      remove.addEventListener("click", () => li.remove());
      li.append(area, remove);
      return li;
    }
    function fill(letter) {
      document.getElementById("letter-title").value = letter.title || "";
      document.getElementById("letter-recipient").value = letter.recipient || "";
      list.replaceChildren(...letter.paragraphs.map(paragraph));
      edited.textContent = letter.edited ? "草稿：" + (letter.edited_by || "") + " 保存于 " + beijing(letter.edited_at) : "机器生成的原稿";
    }
    openButton.addEventListener("click", async () => {
      if (!panel.hidden) { panel.hidden = true; return; }
      const resp = await send("GET", url);
      if (!resp || !resp.ok) { window.alert(await refusal(resp)); return; }
      fill(await resp.json());
      panel.hidden = false;
      msg.textContent = "";
      panel.scrollIntoView({ behavior: "smooth", block: "start" });
    });
    document.getElementById("letter-close").addEventListener("click", () => { panel.hidden = true; });
    document.getElementById("letter-add").addEventListener("click", () => {
      const li = paragraph({ text: "", style: "body" });
      list.append(li);
      li.querySelector("textarea").focus();
    });
    document.getElementById("letter-save").addEventListener("click", async () => {
      const title = document.getElementById("letter-title").value.trim();
      if (!title) { msg.className = "form-msg err"; msg.textContent = "标题不能为空。"; return; }
      const recipient = document.getElementById("letter-recipient").value.trim();
      const paragraphs = Array.from(list.querySelectorAll("textarea"))
        .map((a) => ({ text: a.value.trim(), style: a.dataset.style || "body" })).filter((p) => p.text);
      msg.className = "form-msg";
      msg.textContent = "保存中……";
      const resp = await send("PUT", url, { title: title, recipient: recipient || null, paragraphs: paragraphs });
      if (!resp || !resp.ok) { msg.className = "form-msg err"; msg.textContent = await refusal(resp); return; }
      fill(await resp.json());
      msg.className = "form-msg ok";
      msg.textContent = "草稿已保存，下载的函件（Word）将按此稿生成。";
    });
  }

  function initReview() {
    const box = document.getElementById("review");
    const text = document.getElementById("doc-text");
    if (!box || !text) return;
    const reportId = box.dataset.report;
    showFlash();
    initToggles();
    initIssueCorrections(reportId);
    initReportForms(reportId);
    initRoleMenu(reportId, text);
    initAddIssue(reportId, text);
    initLetter(reportId);
  }

  document.addEventListener("DOMContentLoaded", initReview);
})();
