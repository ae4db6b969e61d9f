"""The text of a letter (修改建议函 / 退回重写通知) as editable paragraphs: what ``nlp.report.word.letter_docx``
sets in type, and what a reviewer edits before it is sent (the service's ``/reports/{id}/letter``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nlp.doc import AnalysisResult
from nlp.glossary import KINDS

MAX_EVIDENCE = 3  # quotes per reason
INLINE_QUOTE = 60  # longer quotes are set as their own indented paragraph, never cut


class LetterParagraph(BaseModel):
    """One paragraph of the letter's body: ``body`` text (indented two characters) or a ``quote`` of the report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(max_length=20_000)
    style: Literal["body", "quote"] = "body"


class LetterDraft(BaseModel):
    """A letter's words: its title, to whom (the unit, ``None`` when unknown), and its body paragraphs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(max_length=500)
    recipient: str | None = Field(default=None, max_length=500)
    paragraphs: tuple[LetterParagraph, ...] = Field(default=(), max_length=500)


def letter_title(result: AnalysisResult) -> str:
    """The letter's title from what is known: the unit, else the document's title, else neither (no placeholder)."""
    doc = result.document
    kind = KINDS.get(doc.kind, "报告") if doc.kind != "other" else "报告"
    if doc.unit:
        what = f"{doc.unit}{f'{doc.year}年度' if doc.year else ''}{kind}"
    elif doc.title:
        what = f"《{doc.title}》"
    else:
        what = "所报报告"
    return f"关于{what}的修改建议函" if result.verdict.decision == "revise" else f"关于退回{what}的通知"


def letter_draft(result: AnalysisResult, deadline_days: int = 10) -> LetterDraft:
    """The letter a revise or return verdict sends, as paragraphs; refuses a pass verdict.

    Example:
        >>> [p.text for p in letter_draft(result).paragraphs][:1]  # doctest: +SKIP
        ['经预审，你单位报送的《…》总体上反映了本年度法治建设工作情况，…']
    """
    decision = result.verdict.decision
    if decision == "pass":
        raise ValueError("a passed report gets no letter")
    doc = result.document
    name = f"《{doc.title}》" if doc.title else "报告"
    if decision == "revise":
        opening = (f"经预审，你单位报送的{name}总体上反映了本年度法治建设工作情况，"
                   "但对照有关要求，还存在以下需要修改完善的地方：")
        closing = f"请对照上述意见认真修改完善，于{deadline_days}个工作日内重新报送。"
    else:
        opening = f"经预审，你单位报送的{name}存在以下问题，不符合报送要求，现予退回："
        closing = ("请严格按照要求重新撰写，如实查摆问题、深入剖析原因、明确整改措施，"
                   f"于{deadline_days}个工作日内重新报送。")
    paragraphs = [LetterParagraph(text=opening)]
    for k, reason in enumerate(result.verdict.reasons, start=1):
        paragraphs.append(LetterParagraph(text=f"{ordinal(k)}{reason.message}"))
        paragraphs += [LetterParagraph(text=quote_text(span.text), style="quote")
                       for span in reason.evidence[:MAX_EVIDENCE]]
    paragraphs.append(LetterParagraph(text=closing))
    return LetterDraft(title=letter_title(result), recipient=doc.unit or None, paragraphs=tuple(paragraphs))


def quote_text(text: str) -> str:
    """``原文：“…”``, the quote's whitespace collapsed."""
    return f"原文：“{' '.join(text.split())}”"


def ordinal(k: int) -> str:
    digits = "一二三四五六七八九十"
    return f"{digits[k - 1] if k <= 10 else k}、"
