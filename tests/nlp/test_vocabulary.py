"""Every code of every vocabulary in nlp.doc has its Chinese words in nlp.glossary, and nothing more."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from nlp import glossary
from nlp.doc import (
    KINDS,
    Decision,
    FollowUp,
    ItemSource,
    Kind,
    Label,
    LatentBasis,
    Scope,
    SectionRole,
    Status,
    Visibility,
)
from nlp.segment.enumeration import ITEM_START, strip_enumerator


@pytest.mark.parametrize(("enum", "words"), [
    (Kind, glossary.KINDS), (Label, glossary.LABELS), (SectionRole, glossary.SECTION_ROLES),
    (Decision, glossary.DECISIONS), (Decision, glossary.DECISIONS_SHORT), (Decision, glossary.DECISIONS_PAGE),
    (Visibility, glossary.VISIBILITY), (LatentBasis, glossary.LATENT_BASIS), (Scope, glossary.SCOPE),
    (ItemSource, glossary.ITEM_SOURCES), (Status, glossary.STATUSES), (FollowUp, glossary.FOLLOWUPS),
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


# -- one word for each thing: the Chinese words for codes live in nlp/glossary.py only -----------------------------

ROOT = Path(__file__).resolve().parents[2]
CODES = frozenset(code for enum in (Kind, Label, SectionRole, Decision, ItemSource, Visibility, LatentBasis, Scope,
                                    Status, FollowUp) for code in enum) | set(glossary.JOB_STATUSES)
# a migration records the words as they were stored at its revision: frozen, it must not follow the glossary
FROZEN = ("api/migrations/versions/",)


def _chinese(node: ast.AST | None) -> bool:
    """Chinese words (a template with ``{placeholders}``, such as a title pattern per kind, is not a word for it)."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(CJK.search(node.value))
            and "{" not in node.value)


def _code(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in CODES


def code_word_dicts(source: str) -> list[int]:
    """Lines of dict literals that map a code to Chinese words (or Chinese words to a code)."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Dict) and any(
        (_code(k) and _chinese(v)) or (_chinese(k) and _code(v)) for k, v in zip(node.keys, node.values, strict=True))]


CJK = re.compile(r"[\u4e00-\u9fff]")
JS_PAIR = re.compile(r"""["']?\b([a-z_]+)\b["']?\s*:\s*["'][^"']*[\u4e00-\u9fff]""")


def test_the_scan_finds_a_code_word_dict() -> None:
    source = 'X = {"closed": "已销号"}\nY = {"整改中": "in_progress"}\nZ = {"a": "甲", "closed": 1, "pass": "{unit}通过"}'
    assert code_word_dicts(source) == [1, 2]


def test_no_code_to_chinese_dict_outside_the_glossary() -> None:
    found = []
    for path in sorted([*ROOT.joinpath("nlp").rglob("*.py"), *ROOT.joinpath("api").rglob("*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "nlp/glossary.py" or rel.startswith(FROZEN):
            continue
        found += [f"{rel}:{line}" for line in code_word_dicts(path.read_text(encoding="utf-8"))]
    for path in sorted(ROOT.joinpath("api", "static").glob("*.js")):  # the pages' scripts take the words from the page
        rel = path.relative_to(ROOT).as_posix()
        found += [f"{rel}:{n}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                  if any(m.group(1) in CODES for m in JS_PAIR.finditer(line))]
    assert found == [], "code → Chinese words belong in nlp/glossary.py"
