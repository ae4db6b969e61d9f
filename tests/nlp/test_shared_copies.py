"""The repository carries copies of the shared contract and taxonomy; they must stay in step."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
@pytest.mark.parametrize(("shared", "local"), [("contracts/analysis.schema.json", "analysis.schema.json"),
                                               ("docs/taxonomy.json", "taxonomy.json")])
def test_copy_matches_shared(shared: str, local: str) -> None:
    assert (SHARED / shared).read_bytes() == (DATA / local).read_bytes()
