"""Bearer tokens with roles: ``reviewer`` (everything) and ``submitter`` (upload; read its own unit only)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.tables import Token
from nlp.errors import ConfigError

ROLES = ("reviewer", "submitter")


@dataclass(frozen=True)
class Principal:
    """Who is calling: what a request may do follows from role and unit only."""

    token_id: int
    role: str
    unit: str | None
    label: str

    @property
    def is_reviewer(self) -> bool:
        return self.role == "reviewer"

    def may_read_unit(self, unit: str | None) -> bool:
        return self.is_reviewer or (self.unit is not None and unit == self.unit)

    @property
    def name(self) -> str:
        return self.label or f"{self.role}#{self.token_id}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, role: str, unit: str | None = None, label: str = "") -> str:
    """A new random token; only its hash is stored. A submitter must name its unit."""
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role == "submitter" and not unit:
        raise ConfigError("a submitter token needs --unit")
    token = "pr_" + secrets.token_urlsafe(24)
    session.add(Token(token_hash=hash_token(token), role=role, unit=unit or None,
                      label=label or (f"{unit}报送" if role == "submitter" else "审核员"),
                      created_at=datetime.now(UTC).isoformat(timespec="seconds"), revoked=False))
    session.commit()
    return token


def principal_for(session: Session, token: str) -> Principal | None:
    row = session.scalar(select(Token).where(Token.token_hash == hash_token(token), Token.revoked.is_(False)))
    return Principal(row.id, row.role, row.unit, row.label) if row else None
