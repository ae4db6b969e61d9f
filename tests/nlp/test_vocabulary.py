"""Every code of every vocabulary in nlp.doc has its Chinese words in nlp.glossary, and nothing more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import glossary
from nlp.doc import KINDS, Decision, ItemSource, Kind, Label, LatentBasis, Scope, SectionRole, Visibility
from nlp.segment.enumeration import ITEM_START, strip_enumerator


@pytest.mark.parametrize(("enum", "words"), [
    (Kind, glossary.KINDS), (Label, glossary.LABELS), (SectionRole, glossary.SECTION_ROLES),
    (Decision, glossary.DECISIONS), (Decision, glossary.DECISIONS_SHORT), (Decision, glossary.DECISIONS_PAGE),
    (Visibility, glossary.VISIBILITY), (LatentBasis, glossary.LATENT_BASIS), (Scope, glossary.SCOPE),
    (ItemSource, glossary.ITEM_SOURCES),
])
def test_glossary_covers_each_code(enum: type, words: dict[str, str]) -> None:
    assert list(words) == [m.value for m in enum]


def test_kinds_follow_the_contract() -> None:
    schema = Path(__file__).resolve().parents[3] / "shared/contracts/analysis.schema.json"
    if not schema.exists():
        pytest.skip("shared contract not present")
    text = json.dumps(json.loads(schema.read_text(encoding="utf-8")))
    assert all(f'"{k}"' in text for k in KINDS)


@pytest.mark.parametrize(("text", "item", "stripped"), [
    ("一是学习不够；", True, "学习不够；"), ("（二）制度不全。", True, "制度不全。"), ("3.执法不规范", True, "执法不规范"),
    ("其一，台账缺失", True, "台账缺失"), ("首先，认识不足", False, "认识不足"), ("一些单位认识不足", False, "一些单位认识不足"),
])
def test_one_enumeration_rule(text: str, item: bool, stripped: str) -> None:
    assert bool(ITEM_START.match(text)) is item and strip_enumerator(text) == stripped
