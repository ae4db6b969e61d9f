"""Transcripts named after their interviewees (谈话记录-张三.txt): the name stays out of every batch output."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from nlp.batch.runner import BatchOptions, run_batch

UNIT = "青石县交通运输局"
# fmt: off
REPORT = "\n".join([
    "青石县交通运输局2024年度法治政府建设情况报告",
    "一、主要举措和成效",
    "全年我局作为被告的行政诉讼案件共6件，局主要负责人全部出庭应诉，负责人出庭应诉率达到100%。",
    "全年办理道路运输行政处罚案件143件，重大执法决定全部经过法制审核。",
    "二、存在的不足和原因",
    "一是执法装备更新滞后，全局执法记录仪仅有12台；二是超限运输治理中跨部门信息共享不够。",
    "三、下一年度主要安排",
    "下一步，我局将在2025年9月底前新购执法记录仪20台，由执法大队负责。",
])
# Two interviews, each file named after its interviewee, as they often arrive (our own names and text).
TALKS = {
    "陈立新": ["谈话对象：陈立新，政策法规股股长",
            "问：报告说局主要负责人出庭应诉率100%，实际情况怎样？",
            "答：去年6件行政诉讼案件里，局长本人只出庭过一次，其余5件都是委托律师出庭。"],
    "周海燕": ["谈话对象：周海燕，执法大队副大队长",
            "问：执法装备方面还有什么困难？",
            "答：执法记录仪确实不够用，夜查的时候经常没有设备，群众投诉取证也很困难。"],
}
# fmt: on


def _visible_text(path: Path) -> str:
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return "".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("in")
    (src / "年度报告.txt").write_text(REPORT, encoding="utf-8")
    rows = ["file,unit,kind,year", "年度报告.txt,青石县交通运输局,annual_report,2024"]
    for name, lines in TALKS.items():
        (src / f"谈话记录-{name}.txt").write_text("\n".join(["青石县交通运输局谈话记录", "谈话时间：2025年4月8日", *lines]),
                                              encoding="utf-8")
        rows.append(f"谈话记录-{name}.txt,{UNIT},transcript,2025")
    (src / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def out(src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("out")
    outcome = run_batch(BatchOptions(input=str(src), out=target, round_name="测试批次", progress=False))
    assert outcome.failed == 0  # type: ignore[attr-defined]
    return target


def _outputs(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".prereview")]


def test_document_filenames_of_transcripts_are_masked_stable_and_unique(out: Path) -> None:
    summary = [line.split(",")[0] for line in (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()[1:]]
    masked = sorted(f for f in summary if f.startswith("谈话记录"))
    assert len(masked) == 2 and len(set(masked)) == 2
    assert all(re.fullmatch(r"谈话记录-某某某-[0-9a-f]{8}\.txt", f) for f in masked)
    assert "年度报告.txt" in summary  # a report's name is its own
    unit = json.loads((out / "units" / f"{UNIT}.json").read_text(encoding="utf-8"))
    cross = [i for i in unit["issues"] if i["latent_basis"] == "cross_source"]
    assert cross and all(i["document"] in (*masked, "年度报告.txt") for i in cross)
    assert any(m in i["text"] for i in cross for m in masked)  # the denied claim names the interview it came from


def test_no_interviewee_name_in_what_the_analysis_writes(out: Path) -> None:
    """Every output's content but the references to output paths (checked with the paths below)."""
    for path in _outputs(out):
        text = _visible_text(path)
        if path.suffix == ".csv":
            text = "\n".join(",".join(row[:1] + row[2:]) for row in csv.reader(io.StringIO(text)))
        elif path.parent.name == "units":
            unit = json.loads(text)
            text = json.dumps([unit["issues"], [{k: v for k, v in x.items() if k != "report"} for x in unit["verdicts"]]],
                              ensure_ascii=False)
        assert not [n for n in TALKS if n in text], path.relative_to(out)


def test_no_interviewee_name_in_any_output_path_or_content(out: Path) -> None:
    for path in _outputs(out):
        where = str(path.relative_to(out))
        assert not [n for n in TALKS if n in where + _visible_text(path)], where


def test_a_rerun_keeps_the_masked_names_and_adds_no_file(src: Path, out: Path) -> None:
    before = sorted(str(p.relative_to(out)) for p in _outputs(out))
    outcome = run_batch(BatchOptions(input=str(src), out=out, round_name="测试批次", progress=False))
    assert outcome.skipped == 3  # type: ignore[attr-defined]
    assert sorted(str(p.relative_to(out)) for p in _outputs(out)) == before
