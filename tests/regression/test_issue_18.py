"""Issue #18 part 4, defects found by a reliability pass: each one answered with a code, never a 500, on SQLite and
(with PREREVIEW_TEST_POSTGRES_URL) on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import BACKENDS, Service, postgres_schema, running_service

SAMPLE = (Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_report.txt").read_bytes()


@pytest.fixture(scope="module", params=BACKENDS)
def issue_18(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A running service on each backend (PostgreSQL: bytes in the ``blobs`` table)."""
    data_dir = tmp_path_factory.mktemp(f"issue18-{request.param}")
    if request.param == "sqlite":
        with running_service(data_dir) as svc:
            yield svc
        return
    with postgres_schema() as url, running_service(data_dir, url) as svc:
        yield svc


def _round(svc: Service, name: str) -> dict:  # type: ignore[type-arg]
    res = svc.client.post("/api/v1/rounds", json={"name": name}, headers=svc.reviewer)
    assert res.status_code == 201, res.text
    return res.json()  # type: ignore[no-any-return]


def _upload(svc: Service, data: bytes, headers: dict[str, str] | None = None, **form: str):  # type: ignore[no-untyped-def]
    return svc.client.post("/api/v1/reports", files={"file": ("r.txt", data)}, data=form,
                           headers=headers or svc.reviewer)


def _error(res, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert res.status_code == status, res.text
    assert res.json()["code"] == code and res.json()["message"], res.text


# -- integers out of range ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=2147483648", "limit=9223372036854775808",
                                   "round=9223372036854775808", "round=" + "9" * 5000])
def test_integers_past_32_bits_are_validation_errors(issue_18, query: str) -> None:
    _error(issue_18.client.get(f"/api/v1/issues?{query}", headers=issue_18.reviewer), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("path", ["/api/v1/rounds/9223372036854775808/summary",
                                  "/api/v1/rounds/9223372036854775808/checklist.xlsx"])
def test_path_ids_past_32_bits_are_validation_errors(issue_18, path: str) -> None:
    _error(issue_18.client.get(path, headers=issue_18.reviewer), 422, "VALIDATION_ERROR")


def test_a_form_year_past_32_bits_is_a_validation_error(issue_18) -> None:
    _error(_upload(issue_18, SAMPLE, year="9223372036854775808"), 422, "VALIDATION_ERROR")


# -- round ids and names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["³", "١٢", "²⁰²⁴"])
def test_round_names_in_unicode_digits_are_names(issue_18, name: str) -> None:
    client, h = issue_18.client, issue_18.reviewer
    rnd = _round(issue_18, name)
    assert rnd["name"] == name and _round(issue_18, name)["id"] == rnd["id"]  # the same round again
    assert client.get("/api/v1/issues", params={"round_name": name}, headers=h).status_code == 200
    assert client.get("/api/v1/issues", params={"round": name}, headers=h).status_code == 200  # deprecated: a name
    assert _upload(issue_18, SAMPLE + name.encode(), round_name=name).json()["round"] == rnd["id"]
    pages = client.cookies
    client.cookies = {"prereview_token": h["Authorization"].split()[1]}
    try:
        page = client.get(f"/rounds/{name}", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == f"/rounds/{rnd['id']}"
        assert client.get(f"/rounds/{rnd['id']}").status_code == 200
        assert client.get("/checklist", params={"round": name}).status_code == 200
        assert "未找到所选批次" not in client.get("/checklist", params={"round_name": name}).text
    finally:
        client.cookies = pages


def test_a_round_named_like_an_id_is_found_by_its_name_only(issue_18) -> None:
    client, h = issue_18.client, issue_18.reviewer
    first = _round(issue_18, "第一批（编号测试）")
    named = _round(issue_18, str(first["id"]))  # a new round named after the other's id, not the other round
    assert named["id"] != first["id"] and named["name"] == str(first["id"])
    year = _round(issue_18, "2024")
    assert year["name"] == "2024"
    by_name = _upload(issue_18, SAMPLE + "按名称。".encode(), round_name=str(first["id"]))
    assert by_name.status_code == 201 and by_name.json()["round"] == named["id"]
    by_id = _upload(issue_18, SAMPLE + "按编号。".encode(), round=str(first["id"]))
    assert by_id.status_code == 201 and by_id.json()["round"] == first["id"]
    _error(_upload(issue_18, SAMPLE + "无此批次。".encode(), round="2024"), 404, "NOT_FOUND")  # id 2024: none
    listed = client.get("/api/v1/issues", params={"round_name": str(first["id"])}, headers=h).json()
    assert listed and {i["round_id"] for i in listed} == {named["id"]}
    listed = client.get("/api/v1/issues", params={"round": first["id"]}, headers=h).json()
    assert listed and {i["round_id"] for i in listed} == {first["id"]}
    both = client.get("/api/v1/issues", params={"round": first["id"], "round_name": "2024"}, headers=h)
    _error(both, 422, "VALIDATION_ERROR")
