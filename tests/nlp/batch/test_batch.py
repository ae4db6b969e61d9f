"""`prereview batch`: outputs and their shapes, a corrupt file mid-batch, resume after kill -9, zip input,
the manifest, 1 vs N workers, and the Dask engine on a LocalCluster."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from importlib import resources
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from nlp.batch.runner import BatchOptions, run_batch
from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate import GeneratorConfig
from nlp.training.corpus.writer import load_pools, write_generated

SCHEMA = json.loads(resources.files("nlp").joinpath("data/analysis.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """Six generated reports (TXT and DOCX), a corrupt PDF in the middle, and a manifest naming units."""
    folder = tmp_path_factory.mktemp("generated")
    write_generated(GeneratorConfig(n=6, seed=21, units=6, target_chars=2500, noise_rate=0.0), load_pools(default_corpus_dir()),
                    folder, ["txt"])
    src = folder / "reports"
    (src / "g00002.txt").rename(src / "g00002.bak")
    # the third report as a DOCX, to mix formats
    from nlp.training.corpus.render import docx_bytes

    text = (src / "g00002.bak").read_text(encoding="utf-8")
    (src / "g00002.docx").write_bytes(docx_bytes([("p", line) for line in text.split("\n")]))
    (src / "g00002.bak").unlink()
    (src / "g00003b.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8").replace("g00002.txt", "g00002.docx")
    (src / "manifest.csv").write_text(manifest, encoding="utf-8")
    return src


def run(reports: Path, out: Path, **kw) -> object:  # type: ignore[no-untyped-def]
    return run_batch(BatchOptions(input=str(reports), out=out, round_name="测试批次", progress=False, **kw))


@pytest.fixture(scope="module")
def batch_out(reports: Path, tmp_path_factory) -> tuple[Path, object]:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("out")
    return out, run(reports, out)


def test_outputs_and_shapes(batch_out, reports: Path) -> None:  # type: ignore[no-untyped-def]
    out, outcome = batch_out
    assert outcome.total == 7 and outcome.failed == 1 and outcome.exit_code == 1
    report_files = sorted((out / "reports").glob("*.json"))
    assert [p.stem for p in report_files] == ["g00000", "g00001", "g00002", "g00003", "g00004", "g00005"]
    for path in report_files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)
    units = sorted((out / "units").glob("*.json"))
    assert len(units) == 6
    unit = json.loads(units[0].read_text(encoding="utf-8"))
    assert set(unit) == {"unit", "issues", "verdicts"} and unit["verdicts"][0]["decision"] in ("pass", "revise", "return")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= {"decisions", "failures", "common_problems"}
    assert sum(summary["decisions"].values()) == 6
    assert summary["failures"][0]["file"] == "g00003b.pdf" and summary["failures"][0]["code"] == "CORRUPT_FILE"
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7 and rows[0]["结果文件"] == "reports/g00000.json"
    assert rows[-1]["文件"] == "g00003b.pdf" and rows[-1]["预审结论"] == "未能处理" and rows[-1]["意见代码"] == "CORRUPT_FILE"
    rows = rows[:6]
    wb = openpyxl.load_workbook(out / "checklist.xlsx")
    assert {"个性问题清单", "共性问题明细"} <= set(wb.sheetnames)
    letters = list((out / "letters").glob("*.docx"))
    assert len(letters) == sum(1 for r in rows if r["结论代码"] != "pass")


def test_manifest_names_the_units(batch_out, reports: Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = batch_out
    manifest = {r["file"]: r for r in csv.DictReader((reports / "manifest.csv").open(encoding="utf-8"))}
    for stem, name in (("g00002", "g00002.docx"), ("g00004", "g00004.txt")):
        doc = json.loads((out / "reports" / f"{stem}.json").read_text(encoding="utf-8"))["document"]
        assert doc["unit"] == manifest[name]["unit"] and doc["kind"] == manifest[name]["kind"]


def test_rerun_skips_everything_and_changes_nothing(reports: Path, batch_out) -> None:  # type: ignore[no-untyped-def]
    out, _ = batch_out
    before = {p.name: p.read_bytes() for p in (out / "reports").glob("*.json")}
    outcome = run(reports, out)
    assert outcome.skipped == 6 and outcome.failed == 1
    assert {p.name: p.read_bytes() for p in (out / "reports").glob("*.json")} == before


def test_zip_input(reports: Path, tmp_path: Path) -> None:
    archive = tmp_path / "round.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(reports.iterdir()):
            zf.write(p, f"submitted/{p.name}")
    outcome = run(archive, tmp_path / "out")
    assert outcome.total == 7 and outcome.failed == 1
    assert len(list((tmp_path / "out" / "reports").glob("*.json"))) == 6


def test_a_zip_with_an_unsafe_member_is_refused_whole(reports: Path, tmp_path: Path) -> None:
    from nlp.ingest.archive import UnsafeArchiveError

    archive = tmp_path / "round.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(sorted(reports.iterdir())[0], "submitted/a.txt")
        zf.writestr("../escape.txt", "越界文件。" * 40)
    with pytest.raises(UnsafeArchiveError):  # the service refuses such a zip the same way (UNSAFE_ARCHIVE)
        run(archive, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "out" / "reports").exists()


@pytest.mark.slow
def test_one_and_two_workers_give_identical_outputs(reports: Path, batch_out, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out1, _ = batch_out
    run(reports, tmp_path / "two", workers=2)
    for sub in ("reports", "units"):
        a = {p.name: p.read_bytes() for p in (out1 / sub).glob("*.json")}
        b = {p.name: p.read_bytes() for p in (tmp_path / "two" / sub).glob("*.json")}
        assert a == b
    assert (out1 / "summary.json").read_bytes() == (tmp_path / "two" / "summary.json").read_bytes()
    assert (out1 / "summary.csv").read_bytes() == (tmp_path / "two" / "summary.csv").read_bytes()


@pytest.mark.slow
def test_resume_after_kill_9(reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "nlp.cli", "batch", str(reports), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "reports").glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = len(list((out / "reports").glob("*.json")))
    assert 1 <= written < 6, "the kill must land mid-batch"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1  # the corrupt file still fails; everything else completes
    assert sorted(p.stem for p in (out / "reports").glob("*.json")) == [f"g0000{i}" for i in range(6)]
    assert not list((out / "reports").glob(".*.tmp"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["decisions"].values()) == 6 and len(summary["failures"]) == 1


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster(reports: Path, batch_out, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out1, _ = batch_out
    outcome = run(reports, tmp_path / "dask", engine="dask", workers=2)
    assert outcome.failed == 1 and outcome.done == 6
    a = {p.name: p.read_bytes() for p in (out1 / "reports").glob("*.json")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "dask" / "reports").glob("*.json")}
    assert a == b


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nlp.cli import app

    result = CliRunner().invoke(app, ["batch", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2


def test_transcripts_in_a_batch_add_cross_source_items(tmp_path: Path) -> None:
    from tests.builders import make_docx
    from tests.nlp.checklist.test_cross_source import REPORT, TRANSCRIPT

    src = tmp_path / "in"
    src.mkdir()
    (src / "report.docx").write_bytes(make_docx(REPORT))
    (src / "talk.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (src / "manifest.csv").write_text("file,unit,kind,year\nreport.docx,东坪县生态环境局,annual_report,2024\n"
                                      "talk.txt,东坪县生态环境局,transcript,2025\n", encoding="utf-8")
    outcome = run(src, tmp_path / "out")
    assert outcome.failed == 0
    unit = json.loads((tmp_path / "out" / "units" / "东坪县生态环境局.json").read_text(encoding="utf-8"))
    cross = [i for i in unit["issues"] if i["latent_basis"] == "cross_source"]
    assert any(i["document"] == "talk.txt" and "噪声投诉" in i["original"] for i in cross)  # raised only in the interview
    denied = [i for i in cross if i["document"] == "report.docx"]  # a claim the interview contradicts
    assert len(denied) == 1 and "100%" in denied[0]["original"] and "talk.txt" in denied[0]["text"]
    report = json.loads((tmp_path / "out" / "reports" / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, SCHEMA)
    reason = next(r for r in report["verdict"]["reasons"] if r["code"] == "CROSS_SOURCE_CONTRADICTION")
    assert report["verdict"]["decision"] != "pass"
    assert [e.get("document") for e in reason["evidence"]] == [None, "talk.txt"]
    assert any(i["alert"] for i in report["metrics"]["indicators"] if i["name"] == "行政机关负责人出庭应诉率")
    verdict = next(v for v in unit["verdicts"] if v["file"] == "report.docx")
    assert "CROSS_SOURCE_CONTRADICTION" in [r["code"] for r in verdict["reasons"]]
    talk = json.loads((tmp_path / "out" / "reports" / "talk.json").read_text(encoding="utf-8"))
    assert "刘晓明" not in json.dumps(talk, ensure_ascii=False) and "刘晓明" not in json.dumps(unit, ensure_ascii=False)
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["warnings"] == []
    assert run(src, tmp_path / "out").failed == 0  # a re-run gives the same verdict, one reason
    again = json.loads((tmp_path / "out" / "reports" / "report.json").read_text(encoding="utf-8"))
    assert again["verdict"] == report["verdict"]


def _visible_text(path: Path) -> str:
    """What a reader of an output file sees: JSON and CSV as they are, XLSX and DOCX as their XML text."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return "".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8", errors="replace")


def test_interview_round_no_name_reaches_any_output_and_unmatched_transcripts_are_warned(tmp_path: Path) -> None:
    """A generated round with transcripts in every turn style (full personal names in headers, turns and
    signatures), a transcript of a unit with no report and one with no unit at all."""
    from nlp.training.corpus.generate_transcripts import InterviewRoundConfig, generate_interview_round

    records = generate_interview_round(InterviewRoundConfig(units=5, seed=4), load_pools(default_corpus_dir()))
    src = tmp_path / "in"
    src.mkdir()
    rows = ["file,unit,kind,year"]
    for rec in records:
        (src / rec["file"]).write_text(rec["text"], encoding="utf-8")
        rows.append(f"{rec['file']},{rec['unit']},{rec['kind']},{rec['year']}")
    orphan = records[1]["text"].replace(records[1]["unit"], "梅岭县水利局")
    (src / "orphan.txt").write_text(orphan, encoding="utf-8")
    rows.append("orphan.txt,梅岭县水利局,transcript,2024")
    nameless = "\n".join(line for line in records[3]["text"].split("\n")[1:]).replace(records[3]["unit"], "本单位")
    (src / "nameless.txt").write_text(nameless, encoding="utf-8")
    rows.append("nameless.txt,,transcript,2024")
    (src / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = run(src, out)
    assert outcome.failed == 0
    names = set()
    for rec in records[1::2]:
        header = "\n".join(line for line in rec["text"].split("\n")[:7] if "：" in line)
        names |= set(re.findall(r"(?:^|[：、 ，])([\u4e00-\u9fff]{2,3})(?=[，、（\n]|$)", header, flags=re.M))
    names -= {"谈话人", "谈话对象", "记录人", "主持人", "参加人员"}
    assert len(names) >= 20
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".prereview")]
    assert {p.relative_to(out).parts[0] for p in files} >= {"reports", "units", "summary.json", "summary.csv",
                                                           "checklist.xlsx", "letters"}
    for path in files:
        text = _visible_text(path)
        leaked = [n for n in names if n in text]
        assert not leaked, f"{path.relative_to(out)}: {leaked}"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    warned = {w["file"]: w["message"] for w in summary["warnings"]}
    assert set(warned) == {"orphan.txt", "nameless.txt"} and "梅岭县水利局" in warned["orphan.txt"]
    for stem in ("orphan", "nameless"):  # still analysed, with the warning on the document
        report = json.loads((out / "reports" / f"{stem}.json").read_text(encoding="utf-8"))
        assert report["sentences"] and warned[f"{stem}.txt"] in report["document"]["warnings"]
    decisions = [json.loads((out / "reports" / f"{rec['id']}.json").read_text(encoding="utf-8"))["verdict"]
                 for rec in records[::2]]
    planted = [any(i["contra"] for i in talk["issues"]) for talk in records[1::2]]
    flagged = [any(r["code"] == "CROSS_SOURCE_CONTRADICTION" for r in v["reasons"]) for v in decisions]
    assert sum(a and b for a, b in zip(planted, flagged, strict=True)) >= sum(planted) - 1
