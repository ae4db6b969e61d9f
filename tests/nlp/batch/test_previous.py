"""``prereview batch --previous``: a batch compared with the same units' earlier batch (屡改屡犯), on reports written
for the test."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from nlp.batch.inputs import BatchInputError
from nlp.batch.runner import BatchOptions, run_batch

# fmt: off
OPENING = "{unit}{year}年度法治政府建设情况报告\n{year}年，我们坚持依法行政，全面推进法治政府建设，现将有关情况报告如下。\n一、主要工作成效\n" \
          "全年办理行政执法案件{n}件，组织执法人员培训4次，开展法治宣传活动12场。\n二、存在的问题和不足\n"
CLOSING = "三、下一步工作打算\n下一步，我们将在年底前完成案卷集中评查，并建立执法质量季度通报制度。\n"
PROBLEMS = {
    ("2024", "甲县交通运输局"): ["一是部分执法案卷文书制作不规范，证据材料装订混乱。", "二是执法人员业务培训频次偏少。"],
    ("2024", "乙县交通运输局"): ["一是重大行政决策公众参与渠道不够畅通。"],
    ("2025", "甲县交通运输局"): ["一是部分执法案卷文书制作仍不规范，证据材料装订混乱。", "二是政务公开栏目更新不及时。"],
    ("2025", "乙县交通运输局"): ["一是行政复议答复材料报送不及时。"],
    ("2025", "丙县交通运输局"): ["一是部分执法案卷文书制作不规范，证据材料装订混乱。"],
}
# fmt: on


def write_round(folder: Path, year: str) -> Path:
    folder.mkdir(parents=True)
    rows = ["file,unit,kind,year"]
    for k, ((y, unit), problems) in enumerate(sorted(PROBLEMS.items())):
        if y != year:
            continue
        name = f"r{k}.txt"
        (folder / name).write_text(OPENING.format(unit=unit, year=year, n=30 + k) + "\n".join(problems) + "\n" + CLOSING,
                                   encoding="utf-8")
        rows.append(f"{name},{unit},annual_report,{year}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("yoy")
    earlier, later = write_round(base / "in2024", "2024"), write_round(base / "in2025", "2025")
    run_batch(BatchOptions(input=str(earlier), out=base / "out2024", round_name="2024年度评议", progress=False, workers=1))
    run_batch(BatchOptions(input=str(later), out=base / "out2025", round_name="2025年度评议", progress=False, workers=1,
                           previous=base / "out2024"))
    return base / "out2024", base / "out2025"


def test_a_repeated_problem_is_marked_in_reports_summary_and_checklist(rounds: tuple[Path, Path]) -> None:
    _, out = rounds
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["previous_round"] == "2024年度评议"
    assert [(u["unit"], u["count"]) for u in summary["recurring"]] == [("甲县交通运输局", 1)]
    (repeated,) = summary["recurring"][0]["issues"]
    assert "文书制作" in repeated["text"] and "文书制作" in repeated["earlier"]
    marked = {}
    for path in (out / "reports").glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        marked[report["document"]["unit"]] = [i for i in report["issues"] if "recurring" in i]
    assert [i["id"] for i in marked["甲县交通运输局"]] == [repeated["issue"]]
    assert marked["甲县交通运输局"][0]["recurring"]["round"] == "2024年度评议"
    assert marked["丙县交通运输局"] == [] and marked["乙县交通运输局"] == []  # absent last year; a new problem
    wb = openpyxl.load_workbook(io.BytesIO((out / "checklist.xlsx").read_bytes()))
    rows = wb["个性问题清单"]
    column = [c.value for c in rows[1]].index("屡改屡犯")
    marks = [row[column].value for row in rows.iter_rows(min_row=2) if row[column].value]
    assert marks == ["屡改屡犯：2024年度评议已查摆“部分执法案卷文书制作不规范，证据材料装订混乱”"]


def test_the_reports_keep_the_contract_and_the_command_takes_previous(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    import jsonschema
    from typer.testing import CliRunner

    from nlp.cli import app

    schema = json.loads(resources.files("nlp").joinpath("data/analysis.schema.json").read_text(encoding="utf-8"))
    earlier, out = rounds
    for path in (out / "reports").glob("*.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    result = CliRunner().invoke(app, ["batch", str(out.parent / "in2025"), "--out", str(tmp_path / "o"),
                                      "--previous", str(tmp_path)])
    assert result.exit_code == 2 and "不是一次批量预审的输出文件夹" in result.output


def test_without_previous_nothing_recurs(rounds: tuple[Path, Path]) -> None:
    earlier, _ = rounds
    summary = json.loads((earlier / "summary.json").read_text(encoding="utf-8"))
    assert "recurring" not in summary and "previous_round" not in summary


def test_previous_must_be_a_batch_output_other_than_this_one(rounds: tuple[Path, Path], tmp_path: Path) -> None:
    earlier, out = rounds
    later_input = out.parent / "in2025"
    for previous in (tmp_path, out):
        with pytest.raises(BatchInputError, match="输出文件夹"):
            run_batch(BatchOptions(input=str(later_input), out=out, progress=False, workers=1, previous=previous))
