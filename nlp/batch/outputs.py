"""The batch's outputs, written once all reports are analysed: the round-level steps and every file
named in the batch contract (reports/, units/, summary.json, summary.csv, checklist.xlsx, letters/)."""

from __future__ import annotations

import csv
import gc
import io
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nlp.batch.inputs import InputFile
from nlp.batch.state import BatchState, write_atomic, write_json
from nlp.checklist.build import renumber
from nlp.cluster.recurrence import EarlierRound
from nlp.doc import AnalysisResult, ChecklistItem
from nlp.glossary import DECISIONS_SHORT, KINDS, LETTERS, reason_name
from nlp.report.excel import write_checklist_xlsx
from nlp.report.word import LetterHead, letter_docx, letter_number
from nlp.review.reasons import share_text
from nlp.round import Failure, review_round

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
logger = logging.getLogger(__name__)


def safe_name(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "unit"


def write_round_outputs(opts: Any, inputs: list[InputFile], names: dict[str, str], state: BatchState,
                        bundle: Any, fresh: dict[str, AnalysisResult] | None = None,
                        letters: dict[str, tuple[object, ...] | None] | None = None,
                        sketches: dict[str, Any] | None = None, earlier: EarlierRound | None = None) -> None:
    """``fresh``: results analysed in this run (sha256 → result), used as they are; the others are read back
    from reports/. ``letters``: sha256 → what the letter written during the run came from (``letter_basis``).
    ``sketches``: sha256 → near-copy sketch computed by the worker; the round step sketches the others.
    ``earlier``: the same units' earlier round (``--previous``), whose problems recur."""
    out: Path = opts.out
    fresh, letters, sketches = fresh or {}, letters or {}, sketches or {}
    done = state.done()
    order: list[str] = []
    seen: set[str] = set()
    for f in inputs:
        if f.sha256 not in seen and done.get(f.sha256, ("",))[0] == "done":
            seen.add(f.sha256)
            order.append(f.sha256)
    results = [fresh.get(h) or AnalysisResult.model_validate_json(
        (out / "reports" / f"{names[h]}.json").read_text(encoding="utf-8")) for h in order]
    gc.freeze()  # long-lived from here on: not scanned by every collection, nor copied by the forked writers
    started = time.perf_counter()
    failures = [Failure(**f) for f in state.failures()]
    review = review_round(results, bundle, round_name=opts.round_name, failures=failures,
                          sketches=[sketches.get(h) for h in order], previous=earlier)
    for w in review.summary.warnings:
        logger.warning("%s: %s", w.file, w.message)

    def reports_letters_summary() -> None:
        for h, result in zip(order, review.results, strict=True):
            write_atomic(out / "reports" / f"{names[h]}.json", result.model_dump_json())
        for h, result in zip(order, review.results, strict=True):  # letters the round step changed, or not written yet
            if h not in letters or letters[h] != letter_basis(result):
                write_letter(out, names[h], result, state, opts.head)
        write_atomic(out / "summary.json", review.summary.model_dump_json(indent=1, exclude={"round_id", "updated_at"}))
        write_atomic(out / "summary.csv",
                     _summary_csv([(names[h], r) for h, r in zip(order, review.results, strict=True)], failures))

    by_unit: dict[str, list[tuple[str, AnalysisResult]]] = {}
    for h, result in zip(order, review.results, strict=True):
        by_unit.setdefault(result.document.unit or names[h], []).append((names[h], result))
    items_by_unit: dict[str, list[ChecklistItem]] = {}
    for row in review.items:
        result = review.results[row.result]
        items_by_unit.setdefault(result.document.unit or names[order[row.result]], []).append(row.item)
    reviewed = time.perf_counter()
    unit_rows = [(unit, entries, renumber(items_by_unit.get(unit, []))) for unit, entries in sorted(by_unit.items())]

    def unit_checklists() -> None:
        for unit, entries, items in unit_rows:
            write_json(out / "units" / f"{safe_name(unit)}.json", {
                "unit": unit,
                "issues": [i.model_dump(mode="json") for i in items],
                "verdicts": [{"file": r.document.filename, "report": f"reports/{stem}.json",
                              "decision": r.verdict.decision,
                              "reasons": [x.model_dump(mode="json") for x in r.verdict.reasons]}
                             for stem, r in entries],
            })

    def round_checklist() -> None:
        all_items = renumber(i for _, _, items in unit_rows for i in items)
        write_atomic(out / "checklist.xlsx", write_checklist_xlsx(
            [("个性问题清单", [i for i in all_items if i.scope != "common"]),
             ("共性问题明细", [i for i in all_items if i.scope == "common"])], list(review.common), review.results))

    # the three share nothing but what is computed above: two of them are written by forked copies of this process
    listed = time.perf_counter()
    in_parallel(reports_letters_summary, unit_checklists, round_checklist)
    logger.info("批次汇总%d份：审读%.0f毫秒，单位清单%.0f毫秒，写出文件%.0f毫秒", len(order),
                (reviewed - started) * 1000, (listed - reviewed) * 1000, (time.perf_counter() - listed) * 1000)


def in_parallel(*jobs: Callable[[], None]) -> None:
    """Run ``jobs`` at once: the first here, each other one in a forked child (which sees this process's memory,
    so nothing is pickled). Raises when a child fails. One after another where there is no fork."""
    if len(jobs) < 2 or not hasattr(os, "fork"):
        for job in jobs:
            job()
        return
    children = []
    for job in jobs[1:]:
        pid = os.fork()
        if pid == 0:  # the child: run the job and leave without running the parent's cleanup
            code = 1
            try:
                job()
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append(pid)
    try:
        jobs[0]()
    finally:
        failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} round-step writer(s) failed; see the error above")


def letter_basis(result: AnalysisResult) -> tuple[object, ...] | None:
    """Everything a letter is written from (the verdict and the document's names); None when no letter."""
    if result.verdict.decision == "pass":
        return None
    doc = result.document
    return (result.verdict, doc.unit, doc.year, doc.kind, doc.title, doc.filename)


def write_letter(out: Path, stem: str, result: AnalysisResult, state: BatchState | None = None,
                 head: LetterHead | None = None, today: date | None = None) -> tuple[object, ...] | None:
    """修改建议函 (revise) or 退回重写通知 (return) for one report, removing a letter of the other kind left by
    an earlier verdict; a passed report gets none. Its 文号 comes from ``state``'s counter (a letter keeps its
    number across runs). Returns ``letter_basis(result)``."""
    basis = letter_basis(result)
    head = head or LetterHead()
    today = today or date.today()
    for decision, kind in LETTERS.items():
        path = out / "letters" / f"{stem}_{kind}.docx"
        if decision == result.verdict.decision:
            number = state.letter_number(path.name, today.year) if state is not None else None
            write_atomic(path, letter_docx(result, head, letter_number(head.prefix, today.year, number)
                                           if number is not None else None, today))
        elif path.exists():
            path.unlink()
    return basis


SUMMARY_COLUMNS = ("文件", "结果文件", "单位", "文件类型", "年度", "预审结论", "问题篇幅占比", "问题数",
                   "表述笼统的问题数", "有对应措施的问题数", "意见类别", "预审意见", "结论代码", "类型代码", "意见代码")  # the last three for machines


def _summary_csv(rows: list[tuple[str, AnalysisResult]], failures: Sequence[Failure] = ()) -> str:
    """summary.csv: one row per report in Chinese (a failed one says why), the machine codes in their own columns."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(SUMMARY_COLUMNS)
    for stem, r in rows:
        m = r.metrics
        w.writerow([r.document.filename, f"reports/{stem}.json", r.document.unit or "", KINDS.get(r.document.kind, ""),
                    r.document.year or "", DECISIONS_SHORT.get(r.verdict.decision, ""), share_text(m.problem_share),
                    m.problems_total, m.problems_vague, m.problems_with_measure,
                    "；".join(reason_name(x.code) for x in r.verdict.reasons),
                    "；".join(x.message.rstrip("。") for x in r.verdict.reasons), r.verdict.decision, r.document.kind,
                    ";".join(x.code for x in r.verdict.reasons)])
    for f in failures:
        w.writerow([f.file, "", "", "", "", "未能处理", "", "", "", "", "文件未能处理", f.message, "failed", "", f.code])
    return buf.getvalue()
