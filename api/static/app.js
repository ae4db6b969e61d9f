/* 法治报告预审系统 — page behaviour. No libraries; the API is called with the sign-in cookie. */
"use strict";

(function () {
  // The Chinese words for the codes the API answers with, and the status lifecycle: from the page (nlp/glossary.py,
  // nlp/checklist/status.py), so that this script keeps no vocabulary of its own.
  const GLOSSARY = (function () {
    const node = document.getElementById("glossary");
    try { return JSON.parse(node ? node.textContent : "{}"); } catch (e) { return {}; }
  })();
  const STATUSES = GLOSSARY.statuses || {};
  const FOLLOWUPS = GLOSSARY.followups || {};
  const JOB_STATUS = GLOSSARY.jobs || {};
  const NEXT = GLOSSARY.transitions || {};
  const statusWords = (code) => STATUSES[code] || code;

  /** The Chinese message of an API error body ({"code", "message", "detail"}). */
  async function errorMessage(resp) {
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (resp.status === 401) return "登录已失效，请重新登录。";
    if (!body || !body.message) return "请求失败（" + resp.status + "），请稍后重试。";
    let msg = body.message;
    const detail = String(body.detail || "");
    if (body.code === "INVALID_TRANSITION") {
      const closed = statusWords("closed");
      if (/acceptance note/.test(detail)) msg += "（转为“" + closed + "”或“" + statusWords("reopened") + "”须填写验收意见。）";
      else if (/follow-up/.test(detail)) msg += "（只有" + closed + "的问题才能记录回头看结果。）";
      else {
        const m = detail.match(/cannot move from (\S+) to (\S*); allowed: (.*)$/);
        if (m) msg += "（当前为“" + statusWords(m[1]) + "”，可转为：" + (m[3].startsWith("none") ? "无，" + closed + "问题请记录回头看"
          : m[3].split(", ").map(statusWords).join("、")) + "。）";
      }
    } else if (body.code === "VALIDATION_ERROR" && detail) {
      msg += "（" + detail + "）";
    }
    return msg;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function beijing(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return iso || "";
    const b = new Date(d.getTime() + 8 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return b.getUTCFullYear() + "-" + p(b.getUTCMonth() + 1) + "-" + p(b.getUTCDate()) + " " + p(b.getUTCHours()) + ":" + p(b.getUTCMinutes());
  }

  // -- upload one report -------------------------------------------------------------------------------------
  function initUpload() {
    const form = document.querySelector("form[data-upload-report]");
    if (!form) return;
    const status = document.getElementById("upload-status");
    const button = document.getElementById("upload-button");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = form.querySelector("input[type=file]");
      if (!input.files.length) { status.textContent = "请先选择文件。"; status.className = "status-line err"; return; }
      const data = new FormData();
      data.append("file", input.files[0]);
      for (const name of ["unit", "kind", "year", "round"]) {
        const field = form.elements[name];
        if (field && !field.readOnly && field.value.trim()) data.append(name, field.value.trim());
      }
      button.disabled = true;
      status.className = "status-line busy";
      status.textContent = "正在上传并预审，请稍候……";
      try {
        const resp = await fetch("/api/v1/reports", { method: "POST", body: data, credentials: "same-origin" });
        if (resp.status === 200 || resp.status === 201) {
          const body = await resp.json();
          status.className = "status-line ok";
          status.textContent = resp.status === 200 ? "该文件此前已上传，正在打开原预审结果……" : "预审完成，正在打开结果……";
          window.location.assign("/reports/" + encodeURIComponent(body.id));
          return;
        }
        status.className = "status-line err";
        status.textContent = await errorMessage(resp);
      } catch (e) {
        status.className = "status-line err";
        status.textContent = "网络错误，上传未完成，请重试。";
      }
      button.disabled = false;
    });
  }

  // -- report view: evidence highlighting --------------------------------------------------------------------
  function initReport() {
    const text = document.getElementById("doc-text");
    if (!text) return;
    let current = null;
    function clear() {
      text.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
      document.querySelectorAll("[data-ev-key].selected").forEach((b) => b.classList.remove("selected"));
    }
    function show(trigger) {
      const keys = trigger.getAttribute("data-ev-key").split(/\s+/).filter(Boolean);
      clear();
      if (current === trigger) { current = null; return; }
      current = trigger;
      trigger.classList.add("selected");
      const marks = [];
      keys.forEach((k) => text.querySelectorAll('mark[data-ev~="' + k + '"]').forEach((m) => {
        m.classList.add("active");
        if (k[0] === "m") m.classList.add("active-measure");
        marks.push(m);
      }));
      if (marks.length) {
        marks.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
        marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
      }
    }
    // a control inside an issue card (a link, the correction buttons and forms) does its own work
    const inner = (ev, t) => { const c = ev.target.closest("a, button, input, select, textarea, form"); return c && c !== t; };
    document.querySelectorAll("[data-ev-key]").forEach((t) => {
      t.addEventListener("click", (ev) => { if (inner(ev, t)) return; show(t); });
      t.addEventListener("keydown", (ev) => {
        if (inner(ev, t)) return;
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(t); }
      });
    });
    // a mark in the text points back to its issues
    text.addEventListener("click", (ev) => {
      const mark = ev.target.closest("mark[data-ev]");
      if (!mark) return;
      const q = mark.getAttribute("data-ev").split(" ").find((k) => k[0] === "q" || k[0] === "m");
      if (!q) return;
      const issue = document.getElementById("issue-" + q.slice(1));
      if (issue) { show(issue); issue.scrollIntoView({ behavior: "smooth", block: "nearest" }); }
    });
    const card = text.closest(".doc-card");
    const side = document.querySelector(".side");
    const fit = () => document.body.classList.toggle("long-doc",
      !!side && window.innerWidth > 1100 && card.offsetHeight > window.innerHeight * 1.5);
    fit();
    window.addEventListener("resize", fit);
    const toggle = document.getElementById("toggle-roles");
    if (toggle) toggle.addEventListener("change", () => text.classList.toggle("no-roles", !toggle.checked));
  }

  // -- report view: a reviewer's corrections ----------------------------------------------------------------------
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
      msg.textContent = "草稿已保存，下载的Word函件将按此稿生成。";
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

  // -- rounds: new round, upload, job progress ---------------------------------------------------------------
  function initNewRound() {
    const form = document.querySelector("form[data-new-round]");
    if (!form) return;
    const status = document.getElementById("new-round-status");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const name = form.elements.name.value.trim();
      if (!name) return;
      const resp = await fetch("/api/v1/rounds", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: name }),
      });
      if (resp.ok) {
        const body = await resp.json();
        window.location.assign("/rounds/" + body.id);
      } else {
        status.className = "status-line err";
        status.textContent = await errorMessage(resp);
      }
    });
  }

  function renderJob(job) {
    const box = document.getElementById("job");
    box.hidden = false;
    document.getElementById("job-status").textContent = "批量预审：" + (JOB_STATUS[job.status] || job.status);
    document.getElementById("job-count").textContent =
      "已处理 " + (job.done + job.failed) + " / " + job.total + (job.failed ? "，失败 " + job.failed : "");
    document.getElementById("job-progress").style.width = Math.round(job.progress * 100) + "%";
    const list = document.getElementById("job-files");
    list.replaceChildren();
    job.files.forEach((f) => {
      const li = el("li", "jf jf-" + f.status);
      let name = el("span", "jf-name", f.name);
      if (f.report_id) { name = el("a", "jf-name", f.name); name.href = "/reports/" + encodeURIComponent(f.report_id); }
      li.append(name, el("span", "jf-status", JOB_STATUS[f.status] || f.status));
      if (f.message) { const m = el("div", "jf-msg", plainMessage(f.message)); m.title = f.message; li.append(m); }
      list.append(li);
    });
  }

  async function pollJob(jobId) {
    for (;;) {
      const resp = await fetch("/api/v1/jobs/" + encodeURIComponent(jobId), { credentials: "same-origin" });
      if (!resp.ok) { document.getElementById("job-status").textContent = await errorMessage(resp); return; }
      const job = await resp.json();
      renderJob(job);
      if (job.status === "done") {
        document.getElementById("job-status").textContent = "批量预审已完成，正在刷新汇总……";
        setTimeout(() => window.location.reload(), 1200);
        return;
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
  }

  function initRoundUpload() {
    const form = document.querySelector("form[data-round-upload]");
    const box = document.getElementById("job");
    if (box && box.dataset.job) pollJob(box.dataset.job);
    if (!form) return;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = form.elements.files;
      if (!input.files.length) return;
      const data = new FormData();
      for (const f of input.files) data.append("files", f);
      const button = form.querySelector("button");
      button.disabled = true;
      box.hidden = false;
      document.getElementById("job-status").textContent = "正在上传……";
      document.getElementById("job-files").replaceChildren();
      const resp = await fetch("/api/v1/rounds/" + form.dataset.roundUpload + "/reports",
        { method: "POST", body: data, credentials: "same-origin" });
      button.disabled = false;
      if (resp.status !== 202) { document.getElementById("job-status").textContent = await errorMessage(resp); return; }
      const job = await resp.json();
      renderJob(job);
      pollJob(job.id);
    });
  }

  function initPreviousRound() {
    const form = document.querySelector("form[data-previous-round]");
    if (!form) return;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const msg = form.querySelector(".form-msg");
      const value = form.elements.previous.value;
      const resp = await fetch("/api/v1/rounds/" + form.dataset.previousRound, {
        method: "PATCH", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ previous_round: value ? Number(value) : null }),
      });
      if (resp.ok) { window.location.reload(); return; }
      msg.className = "form-msg err";
      msg.textContent = await errorMessage(resp);
    });
  }

  // -- checklist: status changes -----------------------------------------------------------------------------
  function fillOptions(select, status) {
    select.replaceChildren();
    (NEXT[status] || []).forEach((s) => { const o = el("option", null, "转为：" + statusWords(s)); o.value = "status:" + s; select.append(o); });
    if (status === "closed") Object.keys(FOLLOWUPS).forEach((f) => { const o = el("option", null, "回头看：" + FOLLOWUPS[f]); o.value = "followup:" + f; select.append(o); });
  }

  function initChecklist() {
    document.querySelectorAll("form[data-status-form]").forEach((form) => {
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const id = form.dataset.statusForm;
        const msg = form.querySelector(".form-msg");
        const choice = form.elements.to.value;
        if (!choice) { msg.className = "form-msg err"; msg.textContent = "没有可办理的状态变更。"; return; }
        const [what, value] = choice.split(":");
        const body = { note: form.elements.note.value.trim() };
        body[what] = value;
        const button = form.querySelector("button");
        button.disabled = true;
        msg.className = "form-msg";
        msg.textContent = "提交中……";
        let resp;
        try {
          resp = await fetch("/api/v1/issues/" + encodeURIComponent(id), {
            method: "PATCH", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
          });
        } catch (e) {
          button.disabled = false; msg.className = "form-msg err"; msg.textContent = "网络错误，未提交。"; return;
        }
        button.disabled = false;
        if (!resp.ok) { msg.className = "form-msg err"; msg.textContent = await errorMessage(resp); return; }
        const item = await resp.json();
        const row = form.closest("tr");
        const tag = row.querySelector("[data-status]");
        tag.textContent = statusWords(item.status);
        tag.className = "status-tag st-" + item.status;
        fillOptions(form.elements.to, item.status);
        form.elements.note.value = "";
        msg.className = "form-msg ok";
        msg.textContent = "已更新为“" + statusWords(item.status) + "”。";
        // the history, from the audit trail
        const h = await fetch("/api/v1/issues/" + encodeURIComponent(id) + "/history", { credentials: "same-origin" });
        if (h.ok) {
          const entries = await h.json();
          const details = row.querySelector("details.history");
          const list = details.querySelector(".hist-list");
          list.replaceChildren();
          entries.forEach((e) => {
            const li = el("li");
            li.append(el("span", "when", beijing(e.at)), document.createTextNode(" " + e.by + "：" + (e.from_status ? statusWords(e.from_status) : "—") + " → " + statusWords(e.to_status)));
            if (e.note) li.append(el("div", "note", e.note));
            list.append(li);
          });
          details.querySelector(".hist-count").textContent = entries.length;
          details.hidden = false;
        }
      });
    });
  }

  function initFilePickers() {
    document.querySelectorAll(".file-names[data-for]").forEach((out) => {
      const input = document.getElementById(out.dataset.for);
      if (!input) return;
      input.addEventListener("change", () => {
        const names = Array.from(input.files).map((f) => f.name);
        out.textContent = names.length ? (names.length > 3 ? names.slice(0, 3).join("、") + " 等" + names.length + "个文件" : names.join("、")) : "未选择文件";
        out.title = names.join("\n");
        out.classList.toggle("chosen", names.length > 0);
      });
    });
  }

  /** A job file's message without the technical detail in brackets that follows the Chinese sentence. */
  function plainMessage(message) {
    return String(message || "").replace(/\s*[（(][\x20-\x7e]*[)）]\s*$/, "");
  }

  document.addEventListener("DOMContentLoaded", () => {
    initFilePickers();
    initUpload();
    initReport();
    initReview();
    initNewRound();
    initRoundUpload();
    initPreviousRound();
    initChecklist();
  });
})();
