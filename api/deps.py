"""What every route depends on: the services, the caller and its role, and the shared parameter types."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ForbiddenError, UnauthorizedError
from api.services import Services
from api.settings import Settings
from api.tokens import Principal, principal_for
from api.uploads import check_size

COOKIE = "prereview_token"  # the web pages keep the token here (api/web.py sets it)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


bearer = HTTPBearer(auto_error=False, description="`prereview token create` 生成的访问令牌")


def principal(request: Request,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The caller, from the Authorization header or the web page's cookie."""
    token = credentials.credentials if credentials else request.cookies.get(COOKIE)
    if not token:
        raise UnauthorizedError("no bearer token")
    with services(request).sessions() as s:
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
RoundId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="批次编号")]


def read_upload(file: UploadFile, settings: Settings) -> bytes:
    """The upload's bytes, refused before the whole of an oversized file is read."""
    data = file.file.read(settings.max_upload_bytes + 1)
    check_size(file.filename or "upload", data, settings)
    return data


def upload_name(file: UploadFile) -> str:
    """The upload's base name (a browser may send a whole path), at most 200 characters."""
    return (file.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"


def download(data: bytes, media_type: str, filename: str) -> Response:
    from urllib.parse import quote

    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def error_responses() -> dict[int | str, dict[str, object]]:
    """The error statuses every API route may answer with, documented with the one error body."""
    from api.schemas import ErrorBody

    return {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422)}
