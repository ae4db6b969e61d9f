"""The only place the order of stages lives: bytes → Document → sentences → labels → issues → verdict."""

from __future__ import annotations

from nlp.bundle import ModelBundle
from nlp.classify.context import relabel_listed
from nlp.classify.features import parsed_inputs
from nlp.classify.sentence_model import label_sentences
from nlp.config import IngestLimits
from nlp.doc import NON_REPORT_KINDS, AnalysisResult, Kind, ParsedDocument
from nlp.errors import EmptyDocumentError
from nlp.extract.indicators import find_indicators
from nlp.extract.issues import build_issues, group_problem_sentences, indicator_issues
from nlp.extract.measures import match_measures
from nlp.extract.omissions import find_omissions
from nlp.extract.problem_typing import with_problem_types
from nlp.ingest import read_document
from nlp.review.metrics import compute_metrics
from nlp.review.reasons import ReviewInput
from nlp.review.verdict import decide
from nlp.segment import segment
from nlp.segment.parts import read_parts
from nlp.segment.transcript import find_turns, masked_filename, names_to_hide
from nlp.taxonomy import load_taxonomy


def parse(data: bytes, filename: str, *, limits: IngestLimits | None = None, kind: str | None = None,
          unit: str | None = None, year: int | None = None) -> ParsedDocument:
    """Bytes → Document → sections and sentences.

    Example:
        >>> parsed = parse(open("report.docx", "rb").read(), "report.docx")
        >>> parsed.document.kind, len(parsed.sentences)
    """
    doc, clean = read_document(data, filename, limits)
    parsed = segment(doc, dict(clean.heading_hints), kind=kind, unit=unit, year=year)
    if parsed.document.kind == Kind.TRANSCRIPT:  # a transcript is often named after its interviewee
        names = names_to_hide(doc.text, find_turns(doc.text))
        public = masked_filename(doc.filename, names, doc.id)
        if public != doc.filename:
            parsed = parsed.model_copy(update={"document": parsed.document.model_copy(update={"filename": public})})
    return parsed


def analyze(data: bytes, filename: str, models: ModelBundle, *, kind: str | None = None, unit: str | None = None,
            year: int | None = None) -> AnalysisResult:
    """Pre-review one file on its own: what needs the round's other files (near-copies, common problems, interviews
    against reports) is the round step's (``nlp.round.review_round``).

    Example:
        >>> bundle = load_bundle()
        >>> result = analyze(data, "report.docx", bundle)
        >>> result.verdict.decision, result.metrics.problem_share
    """
    parsed = parse(data, filename, limits=models.config.limits, kind=kind, unit=unit, year=year)
    return analyze_parsed(parsed, models)


def analyze_parsed(parsed: ParsedDocument, models: ModelBundle) -> AnalysisResult:
    """Everything after parsing: labels, indicators, issues, measures, metrics, verdict."""
    doc = parsed.document
    if not parsed.sentences:
        raise EmptyDocumentError("no body sentences after cleaning")
    parts, listing = read_parts(doc.text, parsed.sections, parsed.sentences)
    inputs = parsed_inputs(doc.text, doc.kind, parsed.sections, parsed.sentences, parts)
    sentences = label_sentences(parsed.sentences, models.sentence_model.predict_proba(inputs),
                                models.sentence_model.classes_)
    sentences = relabel_listed(sentences, listing)
    indicators = find_indicators(sentences, load_taxonomy(), models.config.indicators)
    # where a report has a problems part, a problem elsewhere must be worded as one
    elsewhere = frozenset(s.i for s, part in zip(sentences, parts, strict=True) if part not in ("problems", "causes")) \
        if "problems" in parts else frozenset()
    groups = group_problem_sentences(sentences, listing, elsewhere)
    typed = models.issue_typer.predict([" ".join(s.text for s in g) for g in groups])
    issues = build_issues(doc, groups, typed, listing)
    issues = with_problem_types(issues, models.config.problem_types)
    issues = match_measures(issues, sentences)
    issues += indicator_issues(doc, indicators, issues, sentences)
    if doc.kind not in NON_REPORT_KINDS:
        issues += find_omissions(doc, models.config)
    metrics = compute_metrics(sentences, issues, indicators, kind=doc.kind, policy=models.config.verdict)
    verdict = decide(ReviewInput(doc, tuple(sentences), tuple(issues), metrics, models.config))
    return AnalysisResult(document=doc, sections=parsed.sections, sentences=tuple(sentences), metrics=metrics,
                          verdict=verdict, issues=tuple(issues))
