"""The problem taxonomy (13 domains, boilerplate phrasings, indicator alert rules), shipped in ``nlp/data``.

A copy of ``shared/docs/taxonomy.json``, kept in step by a test when the shared folder is present.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nlp.glossary import EXTRA_DOMAINS


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    subs: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorRule:
    name: str
    unit: str
    op: str
    threshold: float

    def breached(self, value: float) -> bool:
        return {">=": value >= self.threshold, ">": value > self.threshold, "<": value < self.threshold,
                "<=": value <= self.threshold}[self.op]


@dataclass(frozen=True)
class Taxonomy:
    version: str
    domains: tuple[Domain, ...]
    boilerplate: tuple[str, ...]
    indicators: tuple[IndicatorRule, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains)

    def name(self, code: str) -> str:
        """The domain's Chinese name; domains kept outside the shared taxonomy (glossary.EXTRA_DOMAINS) too."""
        return next((d.name for d in self.domains if d.code == code), EXTRA_DOMAINS.get(code, code))


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    raw = json.loads(resources.files("nlp").joinpath("data/taxonomy.json").read_text(encoding="utf-8"))
    rules = []
    for item in raw["indicators"]["items"]:
        op, threshold = item["alert_if"].split()
        rules.append(IndicatorRule(item["name"], item["unit"], op, float(threshold)))
    return Taxonomy(
        version=raw["version"],
        domains=tuple(Domain(d["code"], d["name"], tuple(d["subs"]), tuple(d["cues"])) for d in raw["domains"]),
        boilerplate=tuple(raw["boilerplate_problems"]["examples"]),
        indicators=tuple(rules),
    )
