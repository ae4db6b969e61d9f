"""The notebooks are stored executed on the demo round (outputs, no errors, as make_notebooks.py writes them), and
run top to bottom on the demo round, on a batch folder with failed files and on one where every file failed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nlp.explore.data import alerts, load_round, pick_report, worst_first, zh
from nlp.training.demo import ENV_VAR, choose_folder
from tests.builders import make_docx, make_txt

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "notebooks" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _batch(inputs: Path, out: Path) -> Path:
    """``prereview batch`` (which exits 1 when some files failed, and still writes the round's outputs)."""
    done = subprocess.run([sys.executable, "-m", "api.cli", "batch", str(inputs), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert (out / "summary.json").exists(), done.stderr
    return out


@pytest.fixture(scope="module")
def failing_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two good reports, a corrupt file and an empty one."""
    base = tmp_path_factory.mktemp("failing")
    (base / "in").mkdir()
    (base / "in" / "白水县应急管理局.txt").write_bytes(make_txt())
    (base / "in" / "东坪县应急管理局.docx").write_bytes(make_docx())
    (base / "in" / "损坏.docx").write_bytes(b"PK\x03\x04" + b"not a zip" * 20)
    (base / "in" / "空白.txt").write_bytes(b"")
    return _batch(base / "in", base / "out")


@pytest.fixture(scope="module")
def all_failed_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("all-failed")
    (base / "in").mkdir()
    (base / "in" / "损坏.docx").write_bytes(b"PK\x03\x04" + b"not a zip" * 20)
    (base / "in" / "空白.txt").write_bytes(b"")
    return _batch(base / "in", base / "out")


def test_there_are_three_notebooks() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_executed_on_the_demo_round(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    expected = [c.source for c in _generator().NOTEBOOKS[path.name]]
    assert [c.source for c in nb.cells] == expected, "notebooks/make_notebooks.py --execute was not rerun"
    assert all(c.get("outputs") and c.get("execution_count") for c in code), "every cell shows its output"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert "使用演示批次" in code[0].outputs[0]["text"]
    assert str(ROOT) not in json.dumps(nb), "no path of this machine in the stored outputs"
    if path.name.startswith("01"):
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4, "the overview shows its figures"


def test_tables_of_a_round_with_failures(failing_round: Path, all_failed_round: Path) -> None:
    data = load_round(failing_round)
    assert len(data.reports) == 2 and sorted(data.failures["file"]) == ["损坏.docx", "空白.txt"]
    assert list(zh(data.failures).columns) == ["文件", "原因"]
    assert set(zh(data.reports)["预审结论"]) <= {"通过", "修改", "退回", "不适用"}
    empty = load_round(all_failed_round)
    assert empty.reports.empty and empty.issues.empty and empty.indicators.empty and empty.common.empty
    assert alerts(empty.indicators).empty and "数值" in zh(alerts(empty.indicators)).columns  # was KeyError: 'value'
    assert worst_first(empty.reports).empty and pick_report(empty) is None
    assert not any(c.isascii() and c.isalpha() for c in "".join(zh(data.issues).columns))


def test_the_folder_comes_from_the_variable_then_the_environment(failing_round: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(failing_round))
    assert choose_folder() == failing_round
    assert choose_folder(str(failing_round.parent)) == failing_round.parent
    with pytest.raises(FileNotFoundError, match="不存在"):
        choose_folder(failing_round / "nowhere")


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["demo", "failing", "all_failed"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_top_to_bottom(path: Path, folder: str, request: pytest.FixtureRequest) -> None:
    from nlp.training.notebooks import errors, execute_notebook

    round_dir = None if folder == "demo" else request.getfixturevalue(f"{folder}_round")
    nb = execute_notebook(path, round_dir)  # a failing cell raises CellExecutionError with its traceback
    assert not errors(nb)
    first = nb.cells[1].outputs[0]["text"]
    assert ("使用演示批次" in first) == (folder == "demo")
