"""Issue #18 part 4, defects found by a reliability pass: each one answered with a code, never a 500, on SQLite and
(with PREREVIEW_TEST_POSTGRES_URL) on PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.blobs import sha256
from tests.api.conftest import BACKENDS, Service, service_on, wait_job

SAMPLE = (Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_report.txt").read_bytes()


@pytest.fixture(scope="module", params=BACKENDS)
def issue_18(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A running service on each backend (PostgreSQL: bytes in the ``blobs`` table)."""
    with service_on(request.param, tmp_path_factory.mktemp(f"issue18-{request.param}")) as svc:
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


# -- NUL characters -------------------------------------------------------------------------------------------

def _counts(svc: Service) -> tuple[int, int]:
    from api.blobs import BlobStore
    from api.tables import Blob, Report

    with svc.services.sessions() as s:
        reports = s.scalar(select(func.count()).select_from(Report)) or 0
        blobs = s.scalar(select(func.count()).select_from(Blob)) or 0
    if isinstance(svc.services.blobs, BlobStore):
        blobs = sum(1 for p in svc.services.blobs.root.glob("??/*") if p.is_file())
    return reports, blobs


@pytest.mark.parametrize("url", ["/api/v1/issues?unit=%00", "/api/v1/issues?round_name=a%00b", "/api/v1/issues?%00=1",
                                 "/api/v1/reports/ab%00cd", "/api/v1/jobs/%00", "/api/v1/issues/x%00/history",
                                 "/reports/a%00", "/rounds/%00", "/checklist?unit=%00", "/nothing%00"])
def test_a_nul_in_a_path_or_query_is_a_validation_error(issue_18, url: str) -> None:
    _error(issue_18.client.get(url, headers=issue_18.reviewer), 422, "VALIDATION_ERROR")


def _multipart(field: str, filename: str, data: bytes, **form: str) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand: httpx would escape a NUL in a file name, other clients do not."""
    boundary = "nulboundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in form.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 "Content-Type: text/plain\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize(("filename", "form"), [("r.txt", {"unit": "甲\x00县"}), ("r.txt", {"round": "\x00"}),
                                                ("r.txt", {"round_name": "批\x00次"}), ("r.txt", {"kind": "\x00"}),
                                                ("a\x00.txt", {})])
def test_a_nul_in_an_upload_form_is_refused_and_nothing_is_stored(issue_18, filename: str, form: dict[str, str]) -> None:
    before = _counts(issue_18)
    body, headers = _multipart("file", filename, SAMPLE + "空字符。".encode(), **form)
    res = issue_18.client.post("/api/v1/reports", content=body, headers=issue_18.reviewer | headers)
    _error(res, 422, "VALIDATION_ERROR")
    assert _counts(issue_18) == before


@pytest.mark.parametrize(("method", "url", "body"), [
    ("POST", "/api/v1/rounds", {"name": "批\x00次"}),
    ("PATCH", "/api/v1/issues/x:y", {"status": "in_progress", "note": "\x00"}),
])
def test_a_nul_in_a_json_string_is_a_validation_error(issue_18, method: str, url: str, body: dict) -> None:  # type: ignore[type-arg]
    _error(issue_18.client.request(method, url, json=body, headers=issue_18.reviewer), 422, "VALIDATION_ERROR")


def test_a_nul_in_a_round_upload_file_name_is_refused(issue_18) -> None:
    rid = _round(issue_18, "空字符批次")["id"]
    body, headers = _multipart("files", "a\x00.txt", SAMPLE)
    res = issue_18.client.post(f"/api/v1/rounds/{rid}/reports", content=body, headers=issue_18.reviewer | headers)
    _error(res, 422, "VALIDATION_ERROR")


# -- the same bytes from another unit -------------------------------------------------------------------------

def test_bytes_another_unit_submitted_are_a_409_that_names_no_report(issue_18) -> None:
    data = SAMPLE + "乙县的报告。".encode()
    theirs = _upload(issue_18, data, headers=issue_18.other_submitter)
    assert theirs.status_code == 201
    again = _upload(issue_18, data, headers=issue_18.other_submitter)
    assert again.status_code == 200 and again.json()["id"] == theirs.json()["id"]  # their own: their report
    before = _counts(issue_18)
    mine = _upload(issue_18, data, headers=issue_18.submitter)
    _error(mine, 409, "ALREADY_SUBMITTED")
    assert theirs.json()["id"] not in mine.text and "乙县" not in mine.text
    assert _counts(issue_18) == before
    assert _upload(issue_18, data).json()["id"] == theirs.json()["id"]  # a reviewer reads every report


# -- methods a path does not allow ----------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("TRACE", "/api/v1/issues", {"GET"}), ("DELETE", "/api/v1/reports", {"POST"}), ("PUT", "/api/v1/rounds", {"GET", "POST"}),
    ("TRACE", "/", {"GET"}), ("POST", "/static/app.css", {"GET", "HEAD"}), ("OPTIONS", "/healthz", {"GET"}),
])
def test_a_method_a_path_does_not_allow_is_a_405_with_allow(issue_18, method: str, path: str, allowed: set[str]) -> None:
    res = issue_18.client.request(method, path, headers=issue_18.reviewer)
    _error(res, 405, "METHOD_NOT_ALLOWED")
    assert res.json()["message"] != "处理文件时出错。" and "请求方式" in res.json()["message"]
    assert {m.strip() for m in res.headers["allow"].split(",")} >= allowed


# -- round uploads: a failed file leaves nothing behind; an empty file fails alone ----------------------------

def _wait_job(svc: Service, job_id: str, timeout: float = 120) -> dict:  # type: ignore[type-arg]
    return wait_job(svc.client, svc.reviewer, job_id, timeout)


def _stored(svc: Service, data: bytes) -> bool:
    from api.errors import FileMissingError

    try:
        svc.services.blobs.get(sha256(data))
    except FileMissingError:
        return False
    return True


def test_a_file_that_fails_in_a_round_job_keeps_no_stored_copy(issue_18) -> None:
    rid = _round(issue_18, "失败文件批次")["id"]
    broken, good = b"%PDF-1.4 broken " + rid.to_bytes(4, "big"), SAMPLE + "好文件。".encode()
    res = issue_18.client.post(f"/api/v1/rounds/{rid}/reports", headers=issue_18.reviewer,
                               files=[("files", ("broken.pdf", broken)), ("files", ("good.txt", good))])
    job = _wait_job(issue_18, res.json()["id"])
    assert [(f["name"], f["status"], f["code"]) for f in job["files"]] == [
        ("broken.pdf", "failed", "CORRUPT_FILE"), ("good.txt", "done", None)]
    assert not _stored(issue_18, broken) and _stored(issue_18, good)


def test_bytes_a_report_keeps_stay_when_the_same_bytes_fail_in_a_job(issue_18) -> None:
    from api.blobs import sha256
    from api.tables import Job, JobFile

    data = SAMPLE + "共用文件。".encode()
    assert _upload(issue_18, data).status_code == 201
    with issue_18.services.sessions.begin() as s:  # a job file of the same bytes that failed: the report keeps them
        job = s.get(Job, _wait_job(issue_18, issue_18.client.post(
            f"/api/v1/rounds/{_round(issue_18, '共用批次')['id']}/reports", headers=issue_18.reviewer,
            files=[("files", ("x.txt", SAMPLE + "其他。".encode()))]).json()["id"])["id"])
        s.add(JobFile(job_id=job.id, position=9, name="y.txt", sha256=sha256(data), status="failed", attempts=1))
        issue_18.services.blobs.discard(sha256(data), s)
    assert _stored(issue_18, data)


def test_an_empty_file_fails_alone_in_a_round_upload(issue_18) -> None:
    rid = _round(issue_18, "空文件批次")["id"]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("empty-in-zip.txt", b"")
        zf.writestr("in-zip.txt", SAMPLE + "压缩包内。".encode())
    res = issue_18.client.post(f"/api/v1/rounds/{rid}/reports", headers=issue_18.reviewer, files=[
        ("files", ("a.txt", SAMPLE + "甲。".encode())), ("files", ("empty.txt", b"")),
        ("files", ("b.zip", zipped.getvalue()))])
    assert res.status_code == 202, res.text
    job = _wait_job(issue_18, res.json()["id"])
    status = {f["name"]: (f["status"], f["code"]) for f in job["files"]}
    assert status == {"a.txt": ("done", None), "empty.txt": ("failed", "EMPTY_DOCUMENT"),
                      "empty-in-zip.txt": ("failed", "EMPTY_DOCUMENT"), "in-zip.txt": ("done", None)}
    assert job["failed"] == 2 and job["done"] == 2 and job["progress"] == 1.0
    summary = issue_18.client.get(f"/api/v1/rounds/{rid}/summary", headers=issue_18.reviewer).json()
    assert {f["file"] for f in summary["failures"]} == {"empty.txt", "empty-in-zip.txt"}
    alone = issue_18.client.post(f"/api/v1/rounds/{rid}/reports", headers=issue_18.reviewer,
                                 files=[("files", ("only-empty.txt", b""))])
    assert alone.status_code == 202 and _wait_job(issue_18, alone.json()["id"])["failed"] == 1
