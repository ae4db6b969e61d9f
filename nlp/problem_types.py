"""Fine-grained problem types (共性问题 kinds) under the taxonomy's domains, shipped in ``nlp/data/problem_types.json``.

A problem type is a kind of problem reviewers know by its standard line ("执法人员持证上岗管理不到位") and count units
by. Each carries the ways units actually word it (``wordings``) and, optionally, wordings of a neighbouring type it must
not be confused with (``not``). A reviewing office extends the list without retraining by passing its own file of the
same format: entries with a new code add a type; entries with a known code add wordings (and ``not`` lines) to it and
may not change anything else.

File format: ``{"version": 1, "types": [{"code", "domain", "statement", "description", "wordings", "not"?}, ...]}``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nlp.errors import ConfigError
from nlp.glossary import EXTRA_DOMAINS
from nlp.taxonomy import load_taxonomy

FORMAT_VERSION = 1
MIN_WORDINGS = 5
BUNDLED = "data/problem_types.json"
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_TRAILING = "。；;，,、 "


class ProblemType(BaseModel):
    """One kind of problem: its standard statement and the wordings that express it."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    code: str
    domain: str
    statement: str
    description: str = ""
    wordings: tuple[str, ...]
    not_: tuple[str, ...] = Field(default=(), alias="not")


class _Entry(BaseModel):
    """A type as written in a file: only ``code`` is required, so an extension entry can carry wordings alone."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    code: str
    domain: str | None = None
    statement: str | None = None
    description: str | None = None
    wordings: list[str] = []
    not_: list[str] = Field(default=[], alias="not")


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    types: list[_Entry]


@dataclass(frozen=True)
class ProblemTypes:
    """The validated list, in file order (bundled types first, then an office's new ones)."""

    types: tuple[ProblemType, ...]
    sources: tuple[str, ...] = ()
    by_code: Mapping[str, ProblemType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", MappingProxyType({t.code: t for t in self.types}))

    def __iter__(self) -> Iterator[ProblemType]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def domain_of(self, code: str) -> str:
        """The domain code of a problem type; ConfigError for an unknown type code."""
        try:
            return self.by_code[code].domain
        except KeyError:
            raise ConfigError(f"unknown problem type {code!r}") from None

    def in_domain(self, domain: str) -> tuple[ProblemType, ...]:
        return tuple(t for t in self.types if t.domain == domain)

    @property
    def domains(self) -> tuple[str, ...]:
        """Domain codes that have at least one type, in first-seen order."""
        return tuple(dict.fromkeys(t.domain for t in self.types))


def known_domains() -> tuple[str, ...]:
    """The taxonomy's 13 rule-of-law domains plus the domains that live only here (``general_governance``)."""
    return load_taxonomy().codes + tuple(EXTRA_DOMAINS)


def wording_key(text: str) -> str:
    """What two wordings must differ in: width, surrounding spaces and trailing punctuation are ignored."""
    return unicodedata.normalize("NFKC", text).strip().rstrip(_TRAILING)


def load_problem_types(extra: Path | str | None = None) -> ProblemTypes:
    """The bundled types, extended by an office's file when given. Cached by path (and the file's mtime)."""
    if extra is None:
        return _load(None, 0)
    path = Path(extra).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as err:
        raise ConfigError(f"problem types file {path}: cannot read ({err.strerror})") from None
    return _load(str(path), mtime)


@lru_cache(maxsize=8)
def _load(extra: str | None, _mtime: int) -> ProblemTypes:
    merged: dict[str, dict[str, Any]] = {}
    _merge(merged, _read(resources.files("nlp").joinpath(BUNDLED).read_text(encoding="utf-8"), BUNDLED), BUNDLED,
           extending=False)
    sources = [BUNDLED]
    if extra is not None:
        try:
            text = Path(extra).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"problem types file {extra}: cannot read ({err})") from None
        _merge(merged, _read(text, extra), extra, extending=True)
        sources.append(extra)
    types = tuple(_finish(fields, where) for fields, where in ((f, f.pop("_where")) for f in merged.values()))
    _check_shared_wordings(types, sources)
    return ProblemTypes(types=types, sources=tuple(sources))


def _read(text: str, where: str) -> _File:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"problem types file {where}: not valid JSON ({err})") from None
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"problem types file {where}: {loc}: {first['msg']}") from None
    if parsed.version != FORMAT_VERSION:
        raise ConfigError(f"problem types file {where}: version {parsed.version} is not supported "
                          f"(expected {FORMAT_VERSION})")
    return parsed


def _merge(merged: dict[str, dict[str, Any]], parsed: _File, where: str, *, extending: bool) -> None:
    seen: set[str] = set()
    for entry in parsed.types:
        at = f"problem types file {where}: type {entry.code!r}"
        if entry.code in seen:
            raise ConfigError(f"{at}: duplicate code in the same file")
        seen.add(entry.code)
        if not _CODE.match(entry.code):
            raise ConfigError(f"{at}: code must be snake_case (lower-case letters, digits, underscores)")
        if extending and entry.code in merged:
            _extend(merged[entry.code], entry, at)
            continue
        merged[entry.code] = {"code": entry.code, "domain": entry.domain, "statement": entry.statement,
                              "description": entry.description or "", "wordings": list(entry.wordings),
                              "not": list(entry.not_), "_where": at}


def _extend(fields: dict[str, Any], entry: _Entry, at: str) -> None:
    """Known code in an office's file: wordings and ``not`` lines are added; other fields may only repeat."""
    for name in ("domain", "statement", "description"):
        value = getattr(entry, name)
        if value is not None and value != fields[name]:
            raise ConfigError(f"{at}: an extension may add wordings to a bundled type but not change its {name} "
                              f"({fields[name]!r} -> {value!r}); use a new code for a different type")
    fields["wordings"].extend(entry.wordings)
    fields["not"].extend(entry.not_)


def _finish(fields: dict[str, Any], at: str) -> ProblemType:
    if fields["domain"] not in known_domains():
        raise ConfigError(f"{at}: unknown domain {fields['domain']!r} (known: {', '.join(known_domains())})")
    if not (fields["statement"] or "").strip():
        raise ConfigError(f"{at}: statement is empty")
    wordings = _unique([w for w in fields["wordings"] if w.strip()])
    if len(wordings) < MIN_WORDINGS:
        raise ConfigError(f"{at}: {len(wordings)} distinct wordings, at least {MIN_WORDINGS} are needed")
    own = {wording_key(w) for w in wordings}
    negatives = _unique([n for n in fields["not"] if n.strip()])
    clash = next((n for n in negatives if wording_key(n) in own), None)
    if clash is not None:
        raise ConfigError(f"{at}: {clash!r} is both a wording and a 'not' line")
    return ProblemType(code=fields["code"], domain=fields["domain"], statement=fields["statement"].strip(),
                       description=fields["description"].strip(), wordings=tuple(wordings), not_=tuple(negatives))


def _unique(texts: list[str]) -> list[str]:
    """Texts in order, stripped, a repeat (by ``wording_key``) dropped: adding a wording twice is harmless."""
    out: dict[str, str] = {}
    for text in texts:
        out.setdefault(wording_key(text), text.strip())
    return list(out.values())


def _check_shared_wordings(types: tuple[ProblemType, ...], sources: list[str]) -> None:
    owner: dict[str, str] = {}
    for t in types:
        for w in t.wordings:
            other = owner.setdefault(wording_key(w), t.code)
            if other != t.code:
                raise ConfigError(f"problem types ({' + '.join(sources)}): wording {w!r} belongs to both {other!r} "
                                  f"and {t.code!r}")
