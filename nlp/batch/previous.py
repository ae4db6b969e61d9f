"""An earlier batch's output folder read as the earlier round of year over year (``prereview batch --previous``)."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.batch.inputs import BatchInputError
from nlp.cluster.recurrence import EarlierRound


def read_earlier_round(folder: Path, out: Path | None = None) -> EarlierRound:
    """The round an earlier ``prereview batch`` wrote to ``folder``: its name from ``summary.json`` (the folder's
    name when the round had none), its units' problems from ``reports/*.json``. ``out``: this batch's output
    folder, which cannot be its own earlier round."""
    folder = Path(folder)
    summary, reports = folder / "summary.json", folder / "reports"
    if not summary.is_file() or not reports.is_dir():
        raise BatchInputError(f"{folder}不是一次批量预审的输出文件夹（缺少summary.json或reports/）")
    if out is not None and folder.resolve() == Path(out).resolve():
        raise BatchInputError(f"{folder}就是本次的输出文件夹，不能作为上一轮")
    try:
        name = json.loads(summary.read_text(encoding="utf-8")).get("round") or folder.name
        parsed = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(reports.glob("*.json"))]
    except (OSError, ValueError, AttributeError) as err:
        raise BatchInputError(f"{folder}中的summary.json或reports/无法读取（{type(err).__name__}）") from None
    return EarlierRound.from_json(parsed, name)
