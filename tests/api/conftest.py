"""Fixtures for the service: an app on a temporary data folder (SQLite by default, PostgreSQL when
PREREVIEW_TEST_POSTGRES_URL is set for the storage tests), and tokens of each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.tokens import create_token


@dataclass
class Service:
    client: TestClient
    app: object
    data_dir: Path
    reviewer: dict[str, str]
    submitter: dict[str, str]  # unit 甲县司法局
    other_submitter: dict[str, str]  # unit 乙县司法局

    @property
    def services(self):  # type: ignore[no-untyped-def]
        return self.app.state.services  # type: ignore[attr-defined]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One running app per test module (models load once); analyses run inline."""
    data_dir = tmp_path_factory.mktemp("service")
    app = create_app(Settings(data_dir=data_dir, analysis_mode="inline"))
    with TestClient(app) as client:
        with app.state.services.sessions() as s:
            tokens = (create_token(s, "reviewer", label="测试审核员"), create_token(s, "submitter", "甲县司法局"),
                      create_token(s, "submitter", "乙县司法局"))
        yield Service(client, app, data_dir, *(_bearer(t) for t in tokens))


@pytest.fixture(scope="session")
def sample_report() -> bytes:
    return (Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_report.txt").read_bytes()
