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
  const FIELDS = GLOSSARY.correction_fields || {};
  const VALUES = { domain: GLOSSARY.domains || {}, visibility: GLOSSARY.visibility || {}, scope: GLOSSARY.scopes || {},
    dismissed: GLOSSARY.dismissed || {} };
  const valueWords = (field, v) => (v === null || v === undefined || v === "") ? "（空）" : ((VALUES[field] || {})[String(v)] || String(v));

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
            const li = e.kind === "correction" ? correctionItem(e) : el("li");
            if (e.kind !== "correction") li.append(el("span", "when", beijing(e.at)), document.createTextNode(" " + e.by + "：" + (e.from_status ? statusWords(e.from_status) : "—") + " → " + statusWords(e.to_status)));
            if (e.note) li.append(el("div", "note", e.note));
            list.append(li);
          });
          details.querySelector(".hist-count").textContent = entries.length;
          details.hidden = false;
        }
      });
    });
  }

  /** A content correction in an issue's history: what was done and the fields changed, before → after, as the
   *  checklist page lists it (api/page_review.py, _changes). */
  function correctionItem(e) {
    const li = el("li", "hist-correction");
    li.append(el("span", "when", beijing(e.at)),
      document.createTextNode(" " + e.by + "：" + ((GLOSSARY.correction_targets || {})[e.target] || e.target)));
    const added = e.target === "added_issue";
    Object.keys(e.after).filter((k) => FIELDS[k] && k !== "i" && (!added || ["text", "domain", "visibility"].includes(k))
      && !(k === "reason" && "dismissed" in e.after && !e.after.dismissed)).forEach((k) => {
      const before = !added && k in e.before ? valueWords(k, e.before[k]) + " → " : "";
      li.append(el("div", "change", FIELDS[k] + "：" + before + valueWords(k, e.after[k])));
    });
    return li;
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

  // what review.js (the reviewer's corrections on the report page) shares with this script
  window.prereview = { GLOSSARY: GLOSSARY, el: el, beijing: beijing };

  document.addEventListener("DOMContentLoaded", () => {
    initFilePickers();
    initUpload();
    initReport();
    initNewRound();
    initRoundUpload();
    initPreviousRound();
    initChecklist();
  });
})();
