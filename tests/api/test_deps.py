"""The dependency aliases of api/deps.py on a small app of their own: what a page's caller and page number become."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from api.deps import LAST_PAGE, PageNo, PageReviewer, ReviewersOnly, SignedIn, SignInRequired, viewer
from api.tokens import Principal


def _app(who: Principal | None) -> TestClient:
    app = FastAPI()
    app.state.services = SimpleNamespace()  # never reached: viewer is overridden
    app.dependency_overrides[viewer] = lambda: who

    @app.get("/any")
    def any_page(user: SignedIn, page_no: PageNo = 1) -> dict[str, object]:
        return {"name": user.name, "page_no": page_no}

    @app.get("/reviewers")
    def reviewers_page(user: PageReviewer) -> dict[str, object]:
        return {"name": user.name}

    app.add_exception_handler(SignInRequired, lambda *_: PlainTextResponse("sign in", status_code=303))
    app.add_exception_handler(
        ReviewersOnly, lambda _, err: PlainTextResponse(f"reviewers only, not {err.who.name}", status_code=403))
    return TestClient(app)


REVIEWER = Principal(1, "reviewer", None, "审核员甲")
SUBMITTER = Principal(2, "submitter", "甲县司法局", "甲县司法局")


def test_no_principal_raises_sign_in_required() -> None:
    client = _app(None)
    assert client.get("/any").status_code == 303
    assert client.get("/reviewers").status_code == 303


def test_a_submitter_is_refused_the_reviewers_pages_only() -> None:
    client = _app(SUBMITTER)
    assert client.get("/any").json()["name"] == "甲县司法局"
    r = client.get("/reviewers")
    assert r.status_code == 403 and r.text == "reviewers only, not 甲县司法局"
    assert _app(REVIEWER).get("/reviewers").json() == {"name": "审核员甲"}


@pytest.mark.parametrize(("asked", "read"), [(None, 1), ("7", 7), ("+7", 7), ("abc", 1), ("0", 1), ("-1", 1),
                                             (str(LAST_PAGE + 1), LAST_PAGE), ("9" * 40, LAST_PAGE)])
def test_page_numbers_are_bounded_ints(asked: str | None, read: int) -> None:
    params = {} if asked is None else {"page_no": asked}
    assert _app(REVIEWER).get("/any", params=params).json()["page_no"] == read
