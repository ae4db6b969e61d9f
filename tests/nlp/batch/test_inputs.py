from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from nlp.batch.inputs import BatchInputError, collect
from nlp.batch.runner import report_names
from nlp.batch.state import BatchState, write_atomic
from nlp.config import IngestLimits
from nlp.errors import ArchiveBombError
from nlp.ingest.archive import UnsafeArchiveError
from nlp.ingest.archive import safe_member_name as _safe_member


def test_unsafe_zip_members_are_skipped() -> None:
    assert _safe_member("../etc/passwd") is None
    assert _safe_member("/abs/path.txt") is None
    assert _safe_member("C:/x.txt") is None
    assert _safe_member("a/b/报告.txt") == "a/b/报告.txt"


def test_gbk_zip_names_are_decoded() -> None:
    raw = "述法报告.txt".encode("gb18030").decode("cp437")
    assert _safe_member(raw, utf8=False) == "述法报告.txt"


def test_collect_folder_with_manifest(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("乙", encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    (tmp_path / "manifest.csv").write_text("file,unit,kind,year\na.txt,青川市司法局,annual_report,2024\n", encoding="utf-8")
    files = collect(str(tmp_path))
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert (files[0].unit, files[0].kind, files[0].year) == ("青川市司法局", "annual_report", 2024)
    assert files[1].unit is None


def test_bad_manifest_and_empty_inputs_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError):
        collect(str(tmp_path))
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("name,unit\na.txt,x\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="manifest"):
        collect(str(tmp_path))
    with pytest.raises(BatchInputError):
        collect(str(tmp_path / "missing*.txt"))


def test_zip_bomb_guard(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "甲" * 10_000)
    (tmp_path / "x.zip").write_bytes(buf.getvalue())
    with pytest.raises(ArchiveBombError, match="unzips"):
        collect(str(tmp_path / "x.zip"), IngestLimits(max_unzipped_bytes=1000))


def test_an_unsafe_member_refuses_the_zip_as_the_service_does(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "甲")
        zf.writestr("../evil.txt", "乙")
    (tmp_path / "x.zip").write_bytes(buf.getvalue())
    with pytest.raises(UnsafeArchiveError):
        collect(str(tmp_path / "x.zip"))


def test_report_names_are_unique_and_stable(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "r.docx").write_bytes(b"PK\x03\x04 not really")
    names = report_names(collect(str(tmp_path)))
    assert sorted(names.values())[0] == "r" and len(set(names.values())) == 2


def test_state_and_atomic_writes(tmp_path: Path) -> None:
    state = BatchState(tmp_path / "s.sqlite")
    state.record("h1", "a.txt", "done", output="reports/a.json")
    state.record("h2", "b.pdf", "failed", code="CORRUPT_FILE", message="坏")
    state.record("h2", "b.pdf", "failed", code="CORRUPT_FILE", message="坏")
    assert state.done() == {"h1": ("done", "reports/a.json"), "h2": ("failed", None)}
    assert state.failures() == [{"file": "b.pdf", "code": "CORRUPT_FILE", "message": "坏"}]
    write_atomic(tmp_path / "x" / "y.json", "{}")
    assert (tmp_path / "x" / "y.json").read_text() == "{}" and not list((tmp_path / "x").glob(".*"))
