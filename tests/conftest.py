from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREREVIEW_JIEBA_CACHE", str(Path(__file__).resolve().parents[1] / ".cache" / "jieba"))

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCHEMA_PATH = SHARED / "contracts" / "analysis.schema.json"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED
