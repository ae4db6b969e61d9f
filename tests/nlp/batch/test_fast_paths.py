"""The batch's fast paths give the outputs of the slow ones they replace.

- the context features, the letters (XML written directly) and checklist.xlsx (SpreadsheetML written directly)
  against references built the old way (Python loops, python-docx, openpyxl);
- letters written while the workers run are rewritten when the round step changes a verdict.
"""

from __future__ import annotations

import io
import json
import zipfile
from copy import copy
from datetime import date
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pytest

from nlp.batch.runner import BatchOptions, run_batch
from nlp.bundle import load_bundle
from nlp.classify.features import CUES, KINDS, ROLES, ContextFeatures, SentenceInput, parsed_inputs
from nlp.doc import Reason, Span, Verdict
from nlp.pipeline import analyze, parse
from nlp.report.circular import circular
from nlp.report.excel import COLUMNS, COMMON_COLUMNS, WRAP_FROM, circular_rows, item_rows, write_checklist_xlsx
from nlp.report.word import letter_docx
from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate import GeneratorConfig
from nlp.training.corpus.writer import load_pools, write_generated

ODD = ["", " ", "a", "AbC  d\n\n e", "一", "一二", "。。。", "\t\t", "ΑΣ ΣΑ Σ", "İx", "x  \x1c\x1d y", "问：有没有？",
       "一是台账不全；", "全面推行行政执法三项制度", "100%完成", "ＡＢＣ全角"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fast")
    write_generated(GeneratorConfig(n=8, seed=5, units=8, target_chars=3000, noise_rate=0.2),
                    load_pools(default_corpus_dir()), folder, ["txt"])
    return folder / "reports"


def _context_row_reference(x: SentenceInput) -> list[float]:
    """ContextFeatures' row as first written: one comparison per role and kind, one search per cue word."""
    role = [1.0 if x.role == r else 0.0 for r in ROLES]
    kind = [1.0 if x.kind == k else 0.0 for k in KINDS]
    cues = [min(sum(c in x.text for c in words), 3) / 3 for words in CUES.values()]
    question = 1.0 if x.text.endswith(("？", "?")) or x.text.startswith(("问：", "问:")) else 0.0
    import re

    enum = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
    return [*role, *kind, *cues, x.position, min(len(x.text), 200) / 200, 1.0 if re.search(r"\d", x.text) else 0.0,
            1.0 if enum.match(x.text) else 0.0, 1.0 if x.text.endswith("：") else 0.0, question]


def test_context_features_match_the_reference(generated: Path) -> None:
    inputs = [SentenceInput(t, role, kind, k / 20) for k, (t, role, kind) in enumerate(
        zip(ODD + ["不够不足有待欠缺薄弱滞后", "下一步将持续进一步着力", "原因究其主要是根源"],
            [*ROLES, "unknown"] * 4, [*KINDS, "weird"] * 3, strict=False))]
    for path in sorted(generated.glob("*.txt"))[:3]:
        parsed = parse(path.read_bytes(), path.name)
        inputs += parsed_inputs(parsed.document.text, parsed.document.kind, parsed.sections, parsed.sentences)
    got = ContextFeatures().transform(inputs).toarray()
    want = np.asarray([_context_row_reference(x) for x in inputs], dtype=np.float32)
    assert got.dtype == want.dtype and np.array_equal(got, want)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def test_letters_are_the_base_document_with_their_own_body(generated: Path) -> None:
    """A letter is the python-docx base document's parts, with its document.xml written directly: python-docx
    reads it back, paragraph by paragraph, whatever the text holds."""
    from nlp.report.word import _base_document, _save

    bundle = load_bundle()
    results = [analyze(p.read_bytes(), p.name, bundle) for p in sorted(generated.glob("*.txt"))[:4]]
    odd = results[0].model_copy(update={
        "verdict": Verdict(decision="return", reasons=(Reason(code="X", message=" a\tb\r\nc & <d> \"e\" 'f' ",
                                                              evidence=(Span(start=0, end=6, text="  x\ny "),)),)),
        "document": results[0].document.model_copy(update={"title": "A&B<标题>", "unit": None, "year": None})})
    revise = results[0].model_copy(update={"verdict": Verdict(decision="revise", reasons=results[0].verdict.reasons)})
    today = date(2026, 1, 2)
    base = _parts(_save(_base_document()))
    for result in [r for r in results if r.verdict.decision != "pass"] + [odd, revise]:
        parts = _parts(letter_docx(result, today=today))
        assert {k: v for k, v in parts.items() if k != "word/document.xml"} == \
            {k: v for k, v in base.items() if k != "word/document.xml"}
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter_docx(result, today=today))).paragraphs)
        assert all(r.message.strip()[:8] in text.replace("\t", "") or "&" in r.message for r in result.verdict.reasons)
    text = [p.text for p in docx.Document(io.BytesIO(letter_docx(odd, today=today))).paragraphs]
    assert "关于退回《A&B<标题>》的通知" in text and "2026年1月2日" in text
    assert "原文：“x y”" in text  # the quote whole, its spaces folded


def _xlsx_reference(sheets, common) -> bytes:  # type: ignore[no-untyped-def]
    """write_checklist_xlsx as first written, with openpyxl."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title, headers, rows, bold=frozenset()):  # type: ignore[no-untyped-def]
        ws = wb.create_sheet(title[:31])
        ws.append([h for h, _ in headers])
        for row in rows:
            ws.append(row)
        for col, (_, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
            ws.cell(row=1, column=col).font = Font(bold=True)
            ws.cell(row=1, column=col).fill = PatternFill("solid", fgColor="DDEBF7")
            ws.cell(row=1, column=col).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for col in [c for c, (_, w) in enumerate(headers, start=1) if w >= WRAP_FROM]:
            for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if c.value is not None:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        for r in bold:  # the circular's heading rows
            for c in ws[r + 2]:
                if c.value is not None:
                    c.font = Font(bold=True)
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    if common:
        sheet("共性问题清单", COMMON_COLUMNS, *circular_rows(circular(common, [i for _, items in sheets for i in items])))
    for title, items in sheets:
        sheet(title, [(h, w) for _, h, w in COLUMNS], item_rows(items, {c.id: c.text for c in common}))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _same_workbooks(a: bytes, b: bytes) -> None:
    x, y = openpyxl.load_workbook(io.BytesIO(a)), openpyxl.load_workbook(io.BytesIO(b))
    assert x.sheetnames == y.sheetnames
    for name in x.sheetnames:
        s, t = x[name], y[name]
        assert (s.dimensions, s.freeze_panes, s.auto_filter.ref) == (t.dimensions, t.freeze_panes, t.auto_filter.ref)
        assert {k: v.width for k, v in s.column_dimensions.items()} == {k: v.width for k, v in t.column_dimensions.items()}
        for r1, r2 in zip(s.iter_rows(), t.iter_rows(), strict=True):
            for c1, c2 in zip(r1, r2, strict=True):
                assert (c1.value, c1.data_type, c1.number_format) == (c2.value, c2.data_type, c2.number_format)
                for style in ("font", "fill", "alignment", "border", "protection"):
                    assert copy(getattr(c1, style)) == copy(getattr(c2, style)), (name, c1.coordinate, style)


def test_checklist_xlsx_reads_back_as_openpyxl_wrote_it(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(BatchOptions(input=str(generated), out=out, round_name="快速路径", progress=False))
    from nlp.checklist.build import unit_items
    from nlp.doc import AnalysisResult

    results = [AnalysisResult.model_validate_json(p.read_text(encoding="utf-8")) for p in sorted((out / "reports").glob("*.json"))]
    items = [i for r in results for i in unit_items(r, "快速路径")]
    odd = items[0].model_copy(update={"text": "  前后空格 & <标签> ", "measure": None, "page": 3})
    from nlp.doc import CommonProblem

    common = [CommonProblem(id="G-1", text="共性问题", domain="law_enforcement", domain_name="行政执法",
                            units=("甲", "乙", "丙"), members=("a", "b", "c"))]
    for sheets, groups in (([("个性问题清单", items + [odd]), ("共性问题明细", items[:3])], common),
                           ([("个性问题清单", [])], []), ([("a'b&<c", items[:2])], [])):
        _same_workbooks(write_checklist_xlsx(sheets, groups), _xlsx_reference(sheets, groups))
    _same_workbooks((out / "checklist.xlsx").read_bytes(), (out / "checklist.xlsx").read_bytes())


def test_letters_follow_the_verdicts_the_round_step_changes(generated: Path, tmp_path: Path) -> None:
    """A near-copy is returned by the round step after its letter was written from the worker's verdict."""
    src = tmp_path / "in"
    src.mkdir()
    first = sorted(generated.glob("*.txt"))[0]
    for name in ("a.txt", "b.txt"):  # b is a near-copy of a: one character differs
        text = first.read_text(encoding="utf-8")
        (src / name).write_text(text if name == "a.txt" else text.replace("。", "；", 1), encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_batch(BatchOptions(input=str(src), out=out, progress=False))
    assert outcome.failed == 0
    report = json.loads((out / "reports" / "b.json").read_text(encoding="utf-8"))
    assert report["verdict"]["decision"] == "return"
    assert "NEAR_DUPLICATE" in [r["code"] for r in report["verdict"]["reasons"]]
    letters = sorted(p.name for p in (out / "letters").glob("b_*.docx"))
    assert letters == ["b_退回重写通知.docx"]
    text = "".join(p.text for p in docx.Document(out / "letters" / letters[0]).paragraphs)
    assert "雷同" in text or "相似度" in text
    run_batch(BatchOptions(input=str(src), out=out, progress=False))  # a re-run rewrites them the same way
    assert sorted(p.name for p in (out / "letters").glob("b_*.docx")) == letters
