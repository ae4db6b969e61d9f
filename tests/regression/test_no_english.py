"""Issue #19's done-when: no English word in anything a reviewer reads of the demo round.

The demo round (generated reports, as ``nlp.training.demo`` builds it, plus a file that cannot be reviewed) goes
through ``prereview batch`` as a command, its log captured off a terminal, and through the service as a round job.
Scanned: the web pages (index, rounds, round, checklist, each report), every letter and 体检单 (.docx text, tables
included), checklist.xlsx (batch and service), summary.csv and the batch log. Codes are allowed only in the columns
declared for machines; file names, ids and web addresses are not words."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Service, running_service, wait_job

ROOT = Path(__file__).resolve().parents[2]
ROUND = "演示批次"
LATIN = re.compile(r"[A-Za-z]{2,}")
# not words: file names and paths, ids (hex, G-…), web addresses, the unit MB; PDF/Word/Excel/DOCX/TXT/HTML/zip
# name the file formats and programs a reviewer picks files from or opens a download with (the upload form, the
# download buttons, the error messages), and OCR the step a scanned PDF needs
NOT_WORDS = re.compile(r"https?://\S+|(?<![\w.])/[\w./-]+|[^\s，。；：、“”《》（）()]*\.(?:txt|docx|pdf|html?|zip|xlsx|csv|json)\b"
                       r"|\b[0-9a-f]*\d[0-9a-f]*\b|\bG-[0-9a-f]+\b|\b(?:PDF|Word|Excel|DOCX|TXT|HTML|zip|OCR|MB)\b")
# summary.csv and the sheets: the columns that hold codes and paths for machines
MACHINE_COLUMNS = {"结果文件", "结论代码", "类型代码", "意见代码"}
HUMAN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def english(text: str) -> list[str]:
    return LATIN.findall(NOT_WORDS.sub(" ", text))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """The demo round's reports and one English-only file, batched by the command with its log captured."""
    from nlp.training.corpus import default_corpus_dir
    from nlp.training.corpus.generate import GeneratorConfig
    from nlp.training.corpus.writer import load_pools, write_generated

    base = tmp_path_factory.mktemp("demo")
    write_generated(GeneratorConfig(n=8, seed=2024, units=8, noise_rate=0.2, target_chars=3500, common_groups=2,
                                    round_name=ROUND), load_pools(default_corpus_dir()), base / "current", ["txt"])
    reports = base / "current" / "reports"
    (base / "current" / "manifest.csv").replace(reports / "manifest.csv")
    (reports / "english_only.txt").write_text("This report is written in English only. " * 20, encoding="utf-8")
    out = base / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "api.cli", "batch", str(reports), "--out", str(out), "--round", ROUND,
                          "--workers", "1", "--letter-prefix", "演审", "--contact", "张三", "--phone", "0971-1234567"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert run.returncode in (0, 1), run.stderr  # 1: a file failed, as planted
    return {"reports": reports, "out": out, "log": run.stderr + run.stdout}


def test_the_batch_log_off_a_terminal_is_chinese(demo) -> None:  # type: ignore[no-untyped-def]
    lines = [line for line in str(demo["log"]).splitlines() if line.strip()]
    assert lines, "the batch says what it did"
    assert not [(line, english(line)) for line in lines if english(line)]


def test_summary_csv_is_chinese_outside_the_machine_columns(demo) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO((demo["out"] / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 9 and any(r["结论代码"] == "failed" for r in rows)
    assert not [h for h in rows[0] if english(h)]
    found = [(r["文件"], column, value) for r in rows for column, value in r.items()
             if column not in MACHINE_COLUMNS and english(value or "")]
    assert not found


def _sheet_words(data: bytes | Path) -> list[tuple[str, str, str]]:
    wb = openpyxl.load_workbook(data if isinstance(data, Path) else io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        found += [(ws.title, "title", ws.title)] if english(ws.title) else []
        for row in ws.iter_rows(values_only=True):
            for header, value in zip(headers, row, strict=False):
                if header not in MACHINE_COLUMNS and isinstance(value, str) and english(value):
                    found.append((ws.title, str(header), value))
    return found


def _docx_words(data: bytes | Path) -> list[str]:
    d = docx.Document(data if isinstance(data, Path) else io.BytesIO(data))
    texts = [p.text for p in d.paragraphs]
    texts += [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    for section in d.sections:
        texts += [p.text for p in section.footer.paragraphs] + [p.text for p in section.header.paragraphs]
    return [t for t in texts if english(t)]


def test_batch_letters_and_checklist_are_chinese(demo) -> None:  # type: ignore[no-untyped-def]
    letters = sorted((demo["out"] / "letters").glob("*.docx"))
    assert letters
    assert not {p.name: _docx_words(p) for p in letters if _docx_words(p)}
    assert "预审结论" in openpyxl.load_workbook(demo["out"] / "checklist.xlsx").sheetnames
    assert not _sheet_words(demo["out"] / "checklist.xlsx")


# -- the service: the same reports as a round job ---------------------------------------------------------------

@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running_service(tmp_path_factory.mktemp("english")) as svc:
        yield svc


@pytest.fixture(scope="module")
def served(service: Service, demo) -> dict[str, object]:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    rid = client.post("/api/v1/rounds", json={"name": ROUND}, headers=h).json()["id"]
    files = [("files", (p.name, p.read_bytes())) for p in sorted(demo["reports"].glob("*.txt"))]
    job = wait_job(client, h, client.post(f"/api/v1/rounds/{rid}/reports", files=files, headers=h).json()["id"], 300)
    assert client.get(f"/api/v1/rounds/{rid}/summary", headers=h).status_code == 200
    browser = TestClient(service.app, follow_redirects=False)
    from api.web import COOKIE

    browser.cookies.set(COOKIE, h["Authorization"].split(" ", 1)[1])
    return {"round": rid, "reports": [f["report_id"] for f in job["files"] if f["report_id"]], "browser": browser}


def _page_words(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    texts = list(doc.xpath("//body//text()"))
    texts += [v for attr in HUMAN_ATTRIBUTES for v in doc.xpath(f"//body//@{attr}")]
    texts += doc.xpath("//title/text()")
    return [t.strip() for t in texts if english(t)]


def test_web_pages_are_chinese(served) -> None:  # type: ignore[no-untyped-def]
    browser, rid = served["browser"], served["round"]
    paths = ["/", "/rounds", f"/rounds/{rid}", "/checklist", f"/checklist?round={rid}",
             *[f"/reports/{r}" for r in served["reports"]]]
    found = {}
    for path in paths:
        page = browser.get(path)
        assert page.status_code == 200, path
        if _page_words(page.text):
            found[path] = _page_words(page.text)
    assert not found


def test_service_letters_checkups_and_checklist_are_chinese(service: Service, served) -> None:  # type: ignore[no-untyped-def]
    client, h = service.client, service.reviewer
    found = {}
    for report_id in served["reports"]:
        for kind in ("letter", "checkup"):
            res = client.get(f"/api/v1/reports/{report_id}/{kind}.docx", headers=h)
            if res.status_code == 200 and _docx_words(res.content):
                found[(report_id, kind)] = _docx_words(res.content)
    assert not found
    xlsx = client.get(f"/api/v1/rounds/{served['round']}/checklist.xlsx", headers=h)
    assert xlsx.status_code == 200 and "预审结论" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert not _sheet_words(xlsx.content)
