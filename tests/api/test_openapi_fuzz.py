"""schemathesis against /openapi.json, on SQLite and (PREREVIEW_TEST_POSTGRES_URL) PostgreSQL: generated requests, valid
and not, never get a server error (5xx).

The operations are driven through Hypothesis directly (one test per operation), with a reviewer's token.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from api.settings import Settings

# The operation list comes from the schema alone: building it starts no service (no database, no models).
OPERATIONS = [op.ok() for op in schemathesis.openapi.from_dict(
    create_app(Settings(analysis_mode="inline")).openapi()).get_all_operations()]


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_errors(operation, backend_service) -> None:  # type: ignore[no-untyped-def]
    service = backend_service  # SQLite, and PostgreSQL when PREREVIEW_TEST_POSTGRES_URL is set
    live = schemathesis.openapi.from_asgi("/openapi.json", service.app)[operation.path][operation.method]

    @given(case=live.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(headers=service.reviewer)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        if response.status_code >= 400 and content_type.startswith("application/json"):
            assert {"code", "message"} <= set(response.json()), response.text[:300]

    run()
