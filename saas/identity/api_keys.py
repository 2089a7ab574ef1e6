"""Per-brand API keys: shown once, stored as a hash, scoped and revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, String, bindparam, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from saas.db import Base, DbSession, TenantScoped, get_scoped, read, scoped, utcnow
from saas.errors import N_, Refusal, register
from saas.identity import audit
from saas.identity.roles import API_SCOPES, scopes_beyond

TOKEN_PREFIX = "mvno"
# A key's last use is bookkeeping: kept to the minute, so a busy key is not written per request.
USE_PRECISION = timedelta(minutes=1)


class ApiKeyError(Refusal):
    """An API key request that cannot be honoured."""


register(
    {
        "apikey.name_missing": N_("an API key needs a name"),
        "apikey.scopes_unknown": N_("unknown scopes: %(scopes)s"),
        "apikey.scopes_missing": N_("choose at least one scope"),
        "apikey.scopes_beyond": N_("you cannot give scopes you do not hold: %(scopes)s"),
    }
)


class ApiKey(TenantScoped, Base):
    """A credential for one brand's API, limited to its scopes."""

    __tablename__ = "api_keys"
    __audited__ = True
    __audit_redact__ = ("secret_hash",)
    # Use is bookkeeping, not a change anyone made to the key.
    __audit_ignore__ = ("last_used_at",)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "created_by_id"], ["users.tenant_id", "users.id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.active and scope in self.scopes


@dataclass(frozen=True)
class IssuedKey:
    """A new key and its token, which is never shown again."""

    key: ApiKey
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: DbSession,
    name: str,
    scopes: list[str],
    created_by_id: int | None,
    held: set[str] | None = None,
) -> IssuedKey:
    """Create a key for the tenant in scope and return its one-time token.

    `held` is what the person issuing the key may do; a scope beyond it is refused. None (the
    platform's own tools) gives any scope.
    """
    name = name.strip()
    if not name:
        raise ApiKeyError("apikey.name_missing", field="name")
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown:
        raise ApiKeyError("apikey.scopes_unknown", field="scopes", scopes=", ".join(unknown))
    if not scopes:
        raise ApiKeyError("apikey.scopes_missing", field="scopes")
    foreign = scopes_beyond(scopes, held) if held is not None else []
    if foreign:
        raise ApiKeyError("apikey.scopes_beyond", field="scopes", scopes=", ".join(foreign))
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=_digest(token),
        scopes=sorted(set(scopes)),
        created_by_id=created_by_id,
    )
    session.add(key)
    session.flush()
    return IssuedKey(key, token)


@dataclass(frozen=True, slots=True)
class KeyInUse:
    """What a request needs of the key it came with (read as columns on every API call)."""

    id: int
    tenant_id: int
    prefix: str
    secret_hash: str
    scopes: list[str]
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.active and scope in self.scopes


def authenticate(session: DbSession, token: str) -> KeyInUse | None:
    """Return the active key of the tenant in scope that the token belongs to."""
    # The secret part is urlsafe base64, which may itself contain "_".
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    row = read(session, _by_prefix(), {"prefix": parts[1]}).first()
    key = KeyInUse(**row._mapping) if row is not None else None
    if key is None or not key.active:
        return None
    if not hmac.compare_digest(key.secret_hash, _digest(token)):
        return None
    return key


@cache
def _by_prefix() -> Any:
    columns = [getattr(ApiKey, name) for name in KeyInUse.__slots__]
    return scoped(select(*columns).where(ApiKey.prefix == bindparam("prefix")))


def use_is_stale(key: KeyInUse | ApiKey, now: datetime) -> bool:
    """Whether the key's recorded last use is over a minute older than `now`."""
    return key.last_used_at is None or key.last_used_at <= now - USE_PRECISION


def record_use(session: DbSession, key_id: int, at: datetime) -> bool:
    """Record that a key was used at `at`, unless a use within the minute before is recorded.

    Tells whether it wrote; several processes recording the same minute write it once.
    """
    stale = or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= at - USE_PRECISION)
    done = session.execute(
        update(ApiKey).where(ApiKey.id == key_id, stale).values(last_used_at=at),
        execution_options={"synchronize_session": False},
    )
    return bool(getattr(done, "rowcount", 0))


def revoke(session: DbSession, key_id: int) -> ApiKey:
    """Revoke a key of the tenant in scope; revoking twice is harmless."""
    key = get_scoped(session, ApiKey, key_id)
    if key is None:
        raise LookupError(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, "apikey.revoke", "api_keys", key.id, name=key.name)
    return key


def listing(session: DbSession) -> list[ApiKey]:
    """Return the tenant's keys, newest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id.desc())))
