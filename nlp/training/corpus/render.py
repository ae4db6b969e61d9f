"""Write text as DOCX (python-docx) or PDF (reportlab, built-in CJK CID font) for generated and test data."""

from __future__ import annotations

import io
from collections.abc import Sequence

PDF_FONT = "STSong-Light"  # a CID font every PDF reader maps to Unicode; nothing to embed or download


def docx_bytes(items: Sequence[tuple[str, str]], table: Sequence[Sequence[str]] | None = None,
               styles: bool = True) -> bytes:
    """``items`` are (kind, text) with kind ``title``, ``h1``..``h3`` or ``p``; ``table`` goes after the first h1."""
    import docx

    document = docx.Document()
    placed = False
    for kind, text in items:
        if kind == "title" and styles:
            document.add_heading(text, level=0)
        elif kind in ("h1", "h2", "h3") and styles:
            document.add_heading(text, level=int(kind[1]))
        else:
            document.add_paragraph(text)
        if table and not placed and kind == "h1":
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
            placed = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def pdf_bytes(pages: Sequence[Sequence[str]], header: str | None = None, page_numbers: bool = True,
              encrypt: str | None = None, letter_spacing: Sequence[str] = (), font: str | None = None) -> bytes:
    """One drawn line per string; ``letter_spacing`` lines are drawn with a space between characters. ``font`` is
    a font registered with reportlab (the benchmark embeds a TrueType one); default: a CID font the PDF only names."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    font = font or _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption(encrypt, canPrint=1) if encrypt else None, invariant=1)
    for number, lines in enumerate(pages, start=1):
        c.setFont(font, 12)
        if header:
            c.drawString(72, 800, header)
        y = 760
        for line in lines:
            c.drawString(72, y, " ".join(line) if line in letter_spacing else line)
            y -= 18
        if page_numbers:
            c.drawString(290, 40, f"- {number} -")
        c.showPage()
    c.save()
    return buf.getvalue()


def wrap_pages(text: str, width: int = 38, lines_per_page: int = 38) -> list[list[str]]:
    """Lay text out as fixed-width lines and pages, the way a Word export breaks it."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines += [para[i:i + width] for i in range(0, len(para), width)] or [""]
    return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
