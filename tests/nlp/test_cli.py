from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from nlp.cli import EXIT_BAD_INPUT, app
from tests.builders import REPORT_TITLE, make_docx

runner = CliRunner()


def test_parse_json_has_the_contract_field_names(tmp_path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    result = runner.invoke(app, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"document", "sections", "sentences"}
    doc = out["document"]
    for key in ("id", "filename", "kind", "unit", "title", "year", "pages", "chars", "script", "text", "warnings"):
        assert key in doc
    assert doc["title"] == REPORT_TITLE and doc["kind"] == "annual_report"
    for sent in out["sentences"]:
        assert doc["text"][sent["start"]:sent["end"]] == sent["text"]
        assert "label" not in sent
    for sec in out["sections"]:
        assert sec["level"] >= 1 and sec["start"] < sec["end"]


def test_parse_text_is_readable_chinese(tmp_path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert "标题：" + REPORT_TITLE in result.stdout and "问题不足" in result.stdout


def test_bad_file_exits_3_with_code_and_no_traceback(tmp_path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    proc = subprocess.run([sys.executable, "-m", "nlp.cli", "parse", str(path)], capture_output=True, text=True)
    assert proc.returncode == EXIT_BAD_INPUT
    assert "UNSUPPORTED_TYPE" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_file_is_a_usage_error(tmp_path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2


def test_analyze_json_one_result_per_line_in_input_order(tmp_path) -> None:
    import jsonschema

    from tests.nlp.test_pipeline import BRAGGING, GOOD, SCHEMA

    files = []
    for name, items in (("b.docx", BRAGGING), ("a.docx", GOOD)):
        path = tmp_path / name
        path.write_bytes(make_docx(items))
        files.append(str(path))
    result = runner.invoke(app, ["analyze", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [x["document"]["filename"] for x in lines] == ["b.docx", "a.docx"]
    for payload in lines:
        jsonschema.validate(payload, SCHEMA)


def test_analyze_text_marks_problem_sentences(tmp_path) -> None:
    from tests.nlp.test_pipeline import GOOD

    path = tmp_path / "a.docx"
    path.write_bytes(make_docx(GOOD))
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "预审结论：" in result.stdout and "【问题】" in result.stdout


def test_analyze_keeps_going_past_a_bad_file_and_exits_3(tmp_path) -> None:
    from tests.nlp.test_pipeline import GOOD

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"MZ" + b"\x00" * 200)
    good = tmp_path / "good.docx"
    good.write_bytes(make_docx(GOOD))
    result = runner.invoke(app, ["analyze", str(bad), str(good), "--format", "json"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert len([x for x in result.stdout.splitlines() if x.strip()]) == 1
