"""Batch benchmark: 1,000 generated reports of about 6,000 characters as TXT, DOCX and PDF.

Prints, for each format, wall time, reports/s, characters/s, CPU seconds per report (all processes) and peak
memory, and the floor: reading the same texts and segmenting them with jieba in one process. Also the machine's
load average before and after, because other work on the machine slows every figure.

Run by hand: ``.venv/bin/python benchmarks/bench_batch.py`` (about 10 minutes, most of it generating the
reports; ``--data DIR`` keeps them for the next run, ``--formats txt --n 200`` for a quick look). Results go in
benchmarks/RESULTS.md.

PDFs embed their font, as reports exported by Word or WPS do: a TrueType subset of Noto Sans CJK SC, converted
from the system's OpenType (CFF) font with fontTools. ``--pdf-font cid`` draws them with reportlab's built-in
STSong-Light instead (a font the PDF only names), which pdfium replaces with a system font on every page and
reads 3–4× slower.

Targets (2 cores): 1,000 TXT or DOCX ≤ 30 s; 1,000 PDF ≤ 60 s; pipeline ≤ 2.5 × floor for TXT; peak ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.batch.runner import BatchOptions, run_batch  # noqa: E402
from nlp.training.corpus import default_corpus_dir  # noqa: E402
from nlp.training.corpus.generate import GeneratorConfig  # noqa: E402
from nlp.training.corpus.writer import load_pools, write_generated  # noqa: E402

CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONT_NAME = "BenchCJK"


def floor(texts: list[str]) -> float:
    """Reading the texts and segmenting them with jieba, in one process."""
    from nlp.segment.tokens import jieba_tokenizer

    tok = jieba_tokenizer()
    t0 = time.perf_counter()
    for text in texts:
        tok.lcut(text)
    return time.perf_counter() - t0


def truetype_subset(out: Path) -> Path | None:
    """A TrueType font with the GB2312 characters, ASCII and CJK punctuation, made from the system's Noto CJK
    (OpenType CFF outlines, which reportlab cannot embed): subset with fontTools, curves made quadratic."""
    if out.exists():
        return out
    source = next((p for p in CJK_FONTS if Path(p).exists()), None)
    if source is None:
        return None
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, TTFont, newTable

    faces = [f["name"].getDebugName(1) or "" for f in TTCollection(source).fonts]
    index = next((k for k, name in enumerate(faces) if name.endswith(" SC")), 0)
    font = TTFont(source, fontNumber=index)
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0x3000, 0x3040)}
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)} | set("—–‘’“”…·、。《》〈〉【】〔〕％")
    for hi in range(0xA1, 0xF8):  # every GB2312 character
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    order = font.getGlyphOrder()
    shapes = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(shapes)
        shapes[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"
    font.save(out)
    return out


def generate(data: Path, n: int, formats: list[str], pdf_font: str) -> str:
    """Generate (or reuse) the reports in ``data``; returns how the PDFs were drawn."""
    stamp = data / "bench.json"
    wanted = {"n": n, "formats": sorted(formats), "pdf_font": pdf_font}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        return pdf_font
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    if "pdf" in formats and pdf_font == "embedded":
        font = truetype_subset(data / "font.ttf")
        if font is None:
            print("no Noto CJK font on this machine: PDFs use the built-in CID font", file=sys.stderr)
            pdf_font = wanted["pdf_font"] = "cid"
        else:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            import nlp.training.corpus.writer as writer

            pdfmetrics.registerFont(TTFont(FONT_NAME, str(font)))
            # the writer's noise and layout, this font
            writer.pdf_bytes = functools.partial(writer.pdf_bytes, font=FONT_NAME)
    write_generated(GeneratorConfig(n=n, seed=7, units=n, noise_rate=0.2), load_pools(default_corpus_dir()),
                    data, formats)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return pdf_font


class RoundStepLog(logging.Handler):
    """Keeps the last line the batch logs about its round step (phases in ms, from nlp.batch.outputs)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.last = record.getMessage()


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--formats", default="txt,docx,pdf")
    ap.add_argument("--data", type=Path, help="keep the generated reports here and reuse them next time")
    ap.add_argument("--pdf-font", choices=("embedded", "cid"), default="embedded")
    args = ap.parse_args()
    formats = args.formats.split(",")
    work = Path(tempfile.mkdtemp(prefix="prereview-bench-"))
    data = args.data or work / "gen"
    t0 = time.perf_counter()
    pdf_font = generate(data, args.n, formats, args.pdf_font)
    gen_s = time.perf_counter() - t0
    gold = [json.loads(x) for x in (data / "gold.jsonl").open(encoding="utf-8")]
    chars = sum(len(g["text"]) for g in gold)
    pages = None
    load_before = os.getloadavg()
    floor_s = floor([(data / "reports" / f"{g['id']}.txt").read_text(encoding="utf-8") for g in gold]) \
        if "txt" in formats else None
    rows = []
    round_steps: dict[str, str] = {}
    round_log = RoundStepLog()
    logging.getLogger("nlp.batch.outputs").addHandler(round_log)
    logging.getLogger("nlp.batch.outputs").setLevel(logging.INFO)
    for fmt in formats:
        src = work / f"in-{fmt}"
        src.mkdir()
        for g in gold:
            os.link(data / "reports" / f"{g['id']}.{fmt}", src / f"{g['id']}.{fmt}")
        if fmt == "pdf":
            import pypdfium2 as pdfium

            pages = sum(len(pdfium.PdfDocument(p.read_bytes())) for p in src.iterdir())
        cpu, t = cpu_seconds(), time.perf_counter()
        outcome = run_batch(BatchOptions(input=str(src), out=work / f"out-{fmt}", workers=args.workers, progress=False))
        seconds, cpu = time.perf_counter() - t, cpu_seconds() - cpu
        rows.append((fmt, outcome.total, outcome.failed, seconds, cpu))
        round_steps[fmt] = round_log.last
    load_after = os.getloadavg()
    peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"{args.n} reports, {chars / args.n:,.0f} characters each on average; generation {gen_s:.0f} s")
    print(f"load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
          f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if pages:
        font = "embedded TrueType subset" if pdf_font == "embedded" else "STSong-Light (not embedded)"
        print(f"PDF: {pages} pages, font {font}")
    print(f"{'input':<8}{'reports':>8}{'failed':>8}{'wall s':>9}{'reports/s':>11}{'chars/s':>12}{'CPU ms/report':>15}")
    for fmt, total, failed, seconds, cpu in rows:
        print(f"{fmt:<8}{total:>8}{failed:>8}{seconds:>9.1f}{total / seconds:>11.1f}{chars / seconds:>12,.0f}"
              f"{cpu / total * 1000:>15.1f}")
    for fmt, message in round_steps.items():
        print(f"{fmt}: {message}")
    if floor_s:
        txt = next(r for r in rows if r[0] == "txt")
        print(f"floor (read + jieba, 1 process): {floor_s:.1f} s; pipeline / floor (TXT) = {txt[3] / floor_s:.2f}")
    print(f"peak memory: main process {peak_main:,.0f} MB, largest worker {peak_child:,.0f} MB")
    print("targets: TXT/DOCX <= 30 s, PDF <= 60 s for 1,000; pipeline/floor <= 2.5; peak <= 2 GB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
