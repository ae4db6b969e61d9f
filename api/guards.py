"""Refusals made before any work: a NUL character anywhere in a request's text.

PostgreSQL cannot store a NUL in a text column, and no field of ours needs one, so every request carrying one in
its path, its query, a form field (names, values and file names) or a JSON string is a 422 ``VALIDATION_ERROR``
on every backend, before any route, token check or file store sees it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

NUL = "\x00"


def _refused(where: str) -> RequestValidationError:
    return RequestValidationError([{"loc": (where,), "msg": "NUL characters (\\u0000) are not accepted",
                                    "type": "value_error"}])


class RefuseNulMiddleware:
    """Paths and queries, for every route (the web pages and the 404s too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            where = ("path" if NUL in scope.get("path", "") else
                     "query" if b"\x00" in unquote_to_bytes(scope.get("query_string", b"")) else None)
            if where is not None:
                from api.app import error_response

                await error_response("VALIDATION_ERROR", 422, f"{where}: NUL characters are not accepted")(
                    scope, receive, send)
                return
        await self.app(scope, receive, send)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


async def refuse_nul_body(request: Request) -> None:
    """Form fields and JSON strings (a dependency of every route; FastAPI has parsed and cached the body)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        for key, value in form.multi_items():
            text = value if isinstance(value, str) else (value.filename or "")
            if NUL in key or NUL in text:
                raise _refused("body")
    elif "json" in content_type:
        body = await request.body()
        if b"\\u0000" in body or b"\x00" in body:
            try:
                parsed = json.loads(body)
            except ValueError:
                return  # not JSON: the route's own validation answers
            if _has_nul(parsed):
                raise _refused("body")
