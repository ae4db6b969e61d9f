"""Read the corpus authoring format (``corpora/AUTHORING.md``) into annotated-document records.

Stdlib only, so writers can check their files with a bare ``python3``. The record is the JSONL shape of
``corpora/annotated/``: the document text is rebuilt from the lines, and every sentence, heading, issue
and measure gets exact offsets into it. The rebuilt text is split again with the project's own sentence
splitter and must give back exactly the annotated lines, so a corpus sentence and a parsed sentence
always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nlp.segment.sentences import iter_sentence_spans

LABELS = {"A": "achievement", "P": "problem", "C": "cause", "M": "measure", "O": "other"}
KINDS = ("shufa_report", "annual_report", "self_report", "rectification_report", "feedback", "transcript")
LEVELS = ("province", "city", "county", "township", "department")
VERDICTS = ("pass", "revise", "return", "none")
REASONS = (
    "NO_PROBLEMS", "LOW_PROBLEM_SHARE", "VAGUE_PROBLEMS", "NO_CAUSES", "OBJECTIVE_CAUSES_ONLY",
    "PROBLEMS_WITHOUT_MEASURES", "NEAR_DUPLICATE", "INDICATOR_ALERT", "MISSING_REQUIRED_TOPIC",
    "READS_AS_PUBLICITY", "NO_PERSONAL_DUTY",
)
VISIBILITY = {"e": ("explicit", None), "h": ("latent", "hedged"), "i": ("latent", "indicator"),
              "x": ("latent", "cross_source")}
HEADER_KEYS = ("id", "kind", "title", "unit", "level", "year", "style", "verdict", "reasons", "omission", "copy_of")
_LINE = re.compile(r"^(?P<tag>T|H[1-4]|[APCMO])(?:\[(?P<attrs>[^\]]*)\])?\|\s?(?P<text>.*)$")
_END_OK = ("。", "！", "？", "；", "……", "：")
_CLOSERS = "”’）》」』】"


class SourceError(ValueError):
    """A problem in an authoring file, with the file name and line number."""


@dataclass
class _Line:
    lineno: int
    tag: str
    attrs: dict[str, str]
    flags: set[str]
    text: str


@dataclass
class _Build:
    text: list[str] = field(default_factory=list)
    length: int = 0
    sentences: list[dict[str, Any]] = field(default_factory=list)
    headings: list[dict[str, Any]] = field(default_factory=list)


def parse_source(raw: str, name: str = "<source>", taxonomy_codes: frozenset[str] | None = None) -> dict[str, Any]:
    """Parse one authoring file into an annotated-document record; raise SourceError on any defect."""
    header, body_lines, body_offset = _split_header(raw, name)
    paragraphs = _paragraphs(body_lines, body_offset, name)
    build = _Build()
    title_span = None
    for para in paragraphs:
        if build.length:
            build.text.append("\n")
            build.length += 1
        start = build.length
        for line in para:
            build.text.append(line.text)
            build.length += len(line.text)
        _record_paragraph(para, start, build, name)
        if para[0].tag == "T":
            title_span = {"start": start, "end": build.length}
    text = "".join(build.text)
    _check_split(text, build, name)
    issues, claims = _issues(build.sentences, header, name, taxonomy_codes)
    speakers_inherit(build.sentences)
    record = {**header, "text": text, "title_span": title_span, "headings": build.headings,
              "sentences": [_public_sentence(s) for s in build.sentences], "issues": issues, "claims": claims}
    return record


def speakers_inherit(sentences: list[dict[str, Any]]) -> None:
    """Give every sentence after a turn marker the speaker of its turn (transcripts only)."""
    current = None
    for s in sentences:
        if s["attrs"].get("spk"):
            current = s["attrs"]["spk"]
        s["speaker"] = current


def _split_header(raw: str, name: str) -> tuple[dict[str, Any], list[str], int]:
    lines = raw.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(f"{name}:1: the file must start with a '---' header line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise SourceError(f"{name}: the header has no closing '---'") from None
    values: dict[str, str] = {}
    for i in range(1, end):
        if not lines[i].strip():
            continue
        key, sep, value = lines[i].partition(":")
        if not sep or key.strip() not in HEADER_KEYS:
            raise SourceError(f"{name}:{i + 1}: unknown header line {lines[i]!r}; keys are {', '.join(HEADER_KEYS)}")
        values[key.strip()] = value.strip()
    return _header(values, name), lines[end + 1:], end + 2


def _header(values: dict[str, str], name: str) -> dict[str, Any]:
    for key in ("id", "kind", "unit", "level", "year", "verdict"):
        if not values.get(key):
            raise SourceError(f"{name}: header key {key!r} is missing or empty")
    if values["kind"] not in KINDS:
        raise SourceError(f"{name}: kind {values['kind']!r} is not one of {KINDS}")
    if values["level"] not in LEVELS:
        raise SourceError(f"{name}: level {values['level']!r} is not one of {LEVELS}")
    if values["verdict"] not in VERDICTS:
        raise SourceError(f"{name}: verdict {values['verdict']!r} is not one of {VERDICTS}")
    if not re.fullmatch(r"(19|20)\d\d", values["year"]):
        raise SourceError(f"{name}: year {values['year']!r} is not a year")
    reasons = _csv(values.get("reasons", ""))
    bad = [r for r in reasons if r not in REASONS]
    if bad:
        raise SourceError(f"{name}: unknown reason codes {bad}; expected {REASONS}")
    if values["verdict"] in ("revise", "return") and not reasons:
        raise SourceError(f"{name}: a {values['verdict']} verdict needs reason codes")
    return {"id": values["id"], "kind": values["kind"], "title": values.get("title") or None,
            "unit": values["unit"], "level": values["level"], "year": int(values["year"]),
            "style": values.get("style") or None, "verdict": values["verdict"], "reasons": reasons,
            "omission": _csv(values.get("omission", "")), "copy_of": values.get("copy_of") or None}


def _csv(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,，、\s]+", value) if v.strip()]


def _paragraphs(lines: list[str], offset: int, name: str) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for i, raw in enumerate(lines):
        lineno = offset + i
        if not raw.strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        m = _LINE.match(raw.strip())
        if not m:
            raise SourceError(f"{name}:{lineno}: a line must look like 'A| text' or 'P[d=... v=e]| text': {raw[:40]!r}")
        attrs, flags = _attrs(m.group("attrs") or "", name, lineno)
        text = m.group("text").strip()
        if not text:
            raise SourceError(f"{name}:{lineno}: empty line text")
        line = _Line(lineno, m.group("tag"), attrs, flags, text)
        if line.tag in ("T", "H1", "H2", "H3", "H4") and current:
            paragraphs.append(current)
            current = []
        current.append(line)
        if line.tag in ("T", "H1", "H2", "H3", "H4"):
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    if not paragraphs:
        raise SourceError(f"{name}: the document has no body lines")
    return paragraphs


def _attrs(raw: str, name: str, lineno: int) -> tuple[dict[str, str], set[str]]:
    attrs: dict[str, str] = {}
    flags: set[str] = set()
    for part in raw.split():
        key, sep, value = part.partition("=")
        if sep:
            if key not in ("d", "v", "m", "g", "claim", "contra", "spk"):
                raise SourceError(f"{name}:{lineno}: unknown attribute {key!r}")
            attrs[key] = value
        elif part.startswith("#") and part[1:].isdigit():
            attrs["#"] = part[1:]
        elif part in ("vague", "+"):
            flags.add(part)
        else:
            raise SourceError(f"{name}:{lineno}: unknown attribute {part!r}")
    return attrs, flags


def _record_paragraph(para: list[_Line], start: int, build: _Build, name: str) -> None:
    pos = start
    for k, line in enumerate(para):
        end = pos + len(line.text)
        if line.tag.startswith("H"):
            build.headings.append({"start": pos, "end": end, "level": int(line.tag[1]), "text": line.text})
        elif line.tag != "T":
            last = k == len(para) - 1
            if not last and not line.text.rstrip(_CLOSERS).endswith(_END_OK[:-1]):
                raise SourceError(f"{name}:{line.lineno}: a sentence inside a paragraph must end with 。！？； or ……"
                                  f" (a line ending with ： or no mark must end its paragraph): {line.text[-15:]!r}")
            build.sentences.append({"start": pos, "end": end, "label": LABELS[line.tag],
                                    "attrs": line.attrs, "flags": line.flags, "lineno": line.lineno})
        pos = end


def _check_split(text: str, build: _Build, name: str) -> None:
    """The project's splitter must give back exactly the annotated sentences and headings."""
    expected = sorted([(s["start"], s["end"]) for s in build.sentences] +
                      [(h["start"], h["end"]) for h in build.headings])
    got = list(iter_sentence_spans(text))
    got_set = set(got)
    missing = [span for span in expected if span not in got_set]
    if missing:
        s, e = missing[0]
        line = next((x["lineno"] for x in build.sentences if x["start"] == s), "?")
        pieces = [text[a:b] for a, b in got if a < e and b > s]
        raise SourceError(f"{name}:{line}: the sentence splitter cuts this line differently: "
                          f"{text[s:e][:50]!r} -> {[p[:30] for p in pieces]}")


def _issues(sentences: list[dict[str, Any]], header: dict[str, Any], name: str,
            taxonomy_codes: frozenset[str] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    measures = {s["attrs"]["#"]: s for s in sentences if "#" in s["attrs"]}
    issues: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for s in sentences:
        a, where = s["attrs"], f"{name}:{s['lineno']}"
        if "#" in a and s["label"] != "measure":
            raise SourceError(f"{where}: only M lines take a #N number")
        if "claim" in a:
            claims.append({"key": a["claim"], "start": s["start"], "end": s["end"]})
        if "+" in s["flags"]:
            if not issues:
                raise SourceError(f"{where}: '+' continues an issue, but there is none before it")
            issues[-1]["evidence"].append({"start": s["start"], "end": s["end"]})
            continue
        if "d" not in a:
            if "v" in a or "vague" in s["flags"] or "m" in a or "contra" in a or "g" in a:
                raise SourceError(f"{where}: v=, vague, m= and contra= belong to an issue line, which needs d=")
            continue
        if taxonomy_codes is not None and a["d"] not in taxonomy_codes:
            raise SourceError(f"{where}: unknown domain {a['d']!r}")
        if a.get("v") not in VISIBILITY:
            raise SourceError(f"{where}: an issue needs v=e, v=h, v=i or v=x")
        visibility, basis = VISIBILITY[a["v"]]
        measure = None
        if "m" in a:
            if a["m"] not in measures:
                raise SourceError(f"{where}: m={a['m']} points to no M[#{a['m']}] line")
            m = measures[a["m"]]
            measure = {"start": m["start"], "end": m["end"]}
        issues.append({"id": f"{header['id']}-i{len(issues) + 1}", "domain": a["d"], "visibility": visibility,
                       "latent_basis": basis, "vague": "vague" in s["flags"], "measure": measure,
                       "evidence": [{"start": s["start"], "end": s["end"]}], "contra": a.get("contra"),
                       "group": a.get("g")})
    for code in header["omission"]:
        if taxonomy_codes is not None and code not in taxonomy_codes:
            raise SourceError(f"{name}: unknown omission domain {code!r}")
        issues.append({"id": f"{header['id']}-i{len(issues) + 1}", "domain": code, "visibility": "latent",
                       "latent_basis": "omission", "vague": False, "measure": None, "evidence": [], "contra": None,
                       "group": None})
    return issues, claims


def _public_sentence(s: dict[str, Any]) -> dict[str, Any]:
    return {"start": s["start"], "end": s["end"], "label": s["label"], "speaker": s.get("speaker")}
