"""What every route depends on: the services, the caller and its role, and the shared parameter types.

The JSON API's callers are ``Who`` and ``Reviewer`` (a missing token is a 401 body, a submitter a 403 body); the
web pages' are ``Viewer``, ``SignedIn`` and ``PageReviewer``, which raise ``SignInRequired`` and ``ReviewersOnly``
instead, and ``api.web`` answers those with the sign-in redirect and the 403 page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from api.errors import ForbiddenError, UnauthorizedError
from api.services import Services
from api.settings import Settings
from api.tokens import Principal, principal_for
from api.uploads import check_size

COOKIE = "prereview_token"  # the web pages keep the token here (api/web.py sets it)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_services(request: Request) -> Services:
    """The running service's shared state, built at start-up (``create_app``'s lifespan)."""
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]
bearer = HTTPBearer(auto_error=False, description="`prereview token create` 生成的访问令牌")


def principal(request: Request, svc: ServicesDep,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The caller, from the Authorization header or the web page's cookie."""
    token = credentials.credentials if credentials else request.cookies.get(COOKIE)
    if not token:
        raise UnauthorizedError("no bearer token")
    with svc.sessions() as s:
        who = principal_for(s, token)
    if who is None:
        raise UnauthorizedError("unknown or revoked token")
    return who


def reviewer(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.is_reviewer:
        raise ForbiddenError("reviewers only")
    return who


Who = Annotated[Principal, Depends(principal)]
Reviewer = Annotated[Principal, Depends(reviewer)]
MAX_ID = 2**31 - 1  # ids and every other integer parameter fit a 32-bit column: larger ones are a 422, not a 500
RoundId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="批次编号")]
ROUND_HELP = ("批次编号（id）。仅由数字 0-9 组成时一律按编号查找；其他文字暂按批次名称查找（已弃用，"
              "下一版本起只收编号）。按名称请用 round_name。")
ROUND_NAME_HELP = "批次名称，按名称精确查找（名称为数字也只按名称）。"


def round_ref(round_id: str | None, round_name: str | None, where: str = "query") -> int | str | None:
    """The round a request names, as ``store.get_round`` takes it: an ``int`` id or a ``str`` name, or None.

    One rule, so that an id and a name are never confused: ``round`` made of ASCII digits 0-9 is an id, always
    (so a round named "2024" is reached with ``round_name=2024``); other text in ``round`` is still read as a name
    until the next release (deprecated); ``round_name`` is a name, always. Both at once is a 422.
    """
    from fastapi.exceptions import RequestValidationError

    def invalid(field: str, msg: str) -> RequestValidationError:
        return RequestValidationError([{"loc": (where, field), "msg": msg, "type": "value_error"}])

    round_id = (round_id or "").strip()
    round_name = (round_name or "").strip()
    if round_id and round_name:
        raise invalid("round_name", "give round (an id) or round_name, not both")
    if round_name:
        return round_name
    if not round_id:
        return None
    if round_id.isascii() and round_id.isdigit():
        if len(round_id) > len(str(MAX_ID)) or not 1 <= int(round_id) <= MAX_ID:
            raise invalid("round", f"a round id is between 1 and {MAX_ID}")
        return int(round_id)
    return round_id


# -- the web pages' caller ----------------------------------------------------------------------------------------

class SignInRequired(Exception):
    """A page was asked for without a valid sign-in cookie: ``api.web`` redirects to ``/login?next=…``."""


class ReviewersOnly(Exception):
    """A submitter asked for a reviewer's page: ``api.web`` answers with the 403 page."""

    def __init__(self, who: Principal) -> None:
        super().__init__("reviewers only")
        self.who = who


def viewer(request: Request, svc: ServicesDep) -> Principal | None:
    """The signed-in browser's principal (the cookie only: pages never see an Authorization header), or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    with svc.sessions() as s:
        return principal_for(s, token)


def signed_in(who: Annotated[Principal | None, Depends(viewer)]) -> Principal:
    if who is None:
        raise SignInRequired
    return who


def page_reviewer(who: Annotated[Principal, Depends(signed_in)]) -> Principal:
    if not who.is_reviewer:
        raise ReviewersOnly(who)
    return who


Viewer = Annotated[Principal | None, Depends(viewer)]
SignedIn = Annotated[Principal, Depends(signed_in)]
PageReviewer = Annotated[Principal, Depends(page_reviewer)]

LAST_PAGE = 10_000


def _page_or_nearest(value: object) -> object:
    """Page links are edited by hand: a page number that is not a number reads as the first page, and one out of
    range as the nearest page in range, as the pages always did."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return 1
    return min(max(number, 1), LAST_PAGE)


PageNo = Annotated[int, BeforeValidator(_page_or_nearest), Query(ge=1, le=LAST_PAGE, description="页码")]


def read_upload(file: UploadFile, settings: Settings) -> bytes:
    """The upload's bytes, refused before the whole of an oversized file is read."""
    data = file.file.read(settings.max_upload_bytes + 1)
    check_size(file.filename or "upload", data, settings)
    return data


def upload_name(file: UploadFile) -> str:
    """The upload's base name (a browser may send a whole path), at most 200 characters."""
    return (file.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"


def download(data: bytes, media_type: str, filename: str, ascii_name: str = "") -> Response:
    """An attachment named ``filename`` (RFC 6266 ``filename*``), with an ASCII ``filename`` for old clients:
    ``ascii_name``, else ``filename`` with what is not printable ASCII replaced."""
    import re
    from urllib.parse import quote

    fallback = re.sub(r'[^\x20-\x7e]|["\\;]', "_", ascii_name or filename)
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"})


def error_responses() -> dict[int | str, dict[str, object]]:
    """The error statuses every API route may answer with, documented with the one error body."""
    from api.schemas import ErrorBody

    return {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422)}
