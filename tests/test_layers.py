"""Imports run one way: every module under ``nlp/`` and ``api/`` is parsed (imports inside functions too).

- ``nlp/`` never imports ``api``;
- training and corpus code (``nlp.training``) is imported only inside ``nlp/training/`` and by ``api/cli.py``,
  the module that composes the ``prereview`` command (tests, benchmarks and notebooks are not walked);
- ``nlp/ingest`` imports nothing above it (``segment``, ``classify``…): what both need lives in ``nlp/text``;
- ``nlp/text`` imports nothing else of ``nlp``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSER = "api/cli.py"  # the one module outside nlp/training allowed to mount the training commands
MODULES = sorted(p.relative_to(ROOT).as_posix() for top in ("nlp", "api") for p in (ROOT / top).rglob("*.py"))


# Parsed once, at collection, before any test runs in this worker: CPython 3.11.7's ast.parse can fail with
# "SystemError: AST constructor recursion depth mismatch" after another test left the recursion counter off
# (gh-106905, fixed in 3.11.8); a fresh-clone run met it once.
TREES = {path: ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path) for path in MODULES}


def imported(path: str) -> set[str]:
    """Every absolute module name ``path`` imports, at any depth of the file (``from a import b`` gives a and a.b)."""
    tree = TREES[path] if path in TREES else ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    package = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + (1 if path.endswith("__init__.py") else 0)]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(path: str, names: set[str]) -> list[str]:
    out = []
    if path.startswith("nlp/"):
        out += [f"{path} imports {n} (nlp/ never imports api)" for n in names if _under(n, "api")]
    if not path.startswith("nlp/training/") and path != COMPOSER:
        out += [f"{path} imports {n} (training code)" for n in names
                if _under(n, "nlp.training") or _under(n, "nlp.corpus")]
    if path.startswith("nlp/ingest/"):
        above = ("nlp.segment", "nlp.classify", "nlp.extract", "nlp.cluster", "nlp.review", "nlp.checklist",
                 "nlp.report", "nlp.pipeline", "nlp.batch", "nlp.bundle")
        out += [f"{path} imports {n} (ingest is below it)" for n in names if any(_under(n, p) for p in above)]
    if path.startswith("nlp/text/"):
        out += [f"{path} imports {n} (nlp/text imports no other nlp module)" for n in names
                if _under(n, "nlp") and not _under(n, "nlp.text")]
    return out


def test_the_walk_sees_every_module_and_nested_imports() -> None:
    assert {"nlp/pipeline.py", "nlp/training/train.py", "api/cli.py", "api/app.py"} <= set(MODULES)
    assert "nlp.training.corpus.generate" in imported("nlp/training/demo.py")  # imported inside a function
    assert "api.app" in imported("api/cli.py")


@pytest.mark.parametrize("path", MODULES)
def test_imports_run_one_way(path: str) -> None:
    assert violations(path, imported(path)) == []


def test_the_rules_catch_what_they_name() -> None:
    assert violations("nlp/cli.py", {"api.app"})
    assert violations("nlp/classify/data.py", {"nlp.corpus.schema"})
    assert violations("nlp/cluster/planted.py", {"nlp.training.corpus.generate"})
    assert violations("api/demo.py", {"nlp.training.demo"})
    assert violations("nlp/ingest/normalize.py", {"nlp.segment.headings"})
    assert not violations("api/cli.py", {"nlp.training.cli", "api.app"})
    assert not violations("nlp/training/evaluate.py", {"nlp.pipeline", "nlp.training.corpus"})
