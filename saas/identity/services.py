"""Create and change the people of a tenant."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from flask_security.utils import hash_password
from sqlalchemy import Select, func, select

from saas.db import DbSession, get_scoped
from saas.identity import roles as R
from saas.identity.models import OPERATOR, STAFF, SUBSCRIBER, Role, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KIND_ROLES = {STAFF: set(R.STAFF_ROLES), SUBSCRIBER: {R.SUBSCRIBER}, OPERATOR: {R.OPERATOR}}
MIN_PASSWORD = 10


class IdentityError(ValueError):
    """A person cannot be created or changed as asked."""


def sync_roles(session: DbSession) -> None:
    """Make the roles table match the roles defined in code."""
    existing = {r.name: r for r in session.scalars(select(Role))}
    for name, perms in R.ROLE_PERMISSIONS.items():
        role = existing.get(name) or Role(name=name)
        role.description = R.ROLE_DESCRIPTIONS[name]
        role.permissions = list(perms)
        session.add(role)
    session.flush()


def _roles(session: DbSession, kind: str, names: Iterable[str]) -> list[Role]:
    wanted = set(names) or (
        {R.SUBSCRIBER} if kind == SUBSCRIBER else {R.OPERATOR} if kind == OPERATOR else set()
    )
    if not wanted:
        raise IdentityError("staff need at least one role")
    bad = wanted - KIND_ROLES[kind]
    if bad:
        raise IdentityError(f"role(s) {', '.join(sorted(bad))} not allowed for {kind}")
    return list(session.scalars(select(Role).where(Role.name.in_(wanted)).order_by(Role.name)))


def find_by_email(session: DbSession, email: str) -> User | None:
    """Return the tenant's person with this e-mail (any case)."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: DbSession,
    *,
    kind: str,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: Iterable[str] = (),
    locale: str | None = None,
) -> User:
    """Add a person to the tenant in scope."""
    email = email.strip()
    if kind not in KIND_ROLES:
        raise IdentityError(f"unknown kind of person {kind!r}")
    if not EMAIL.match(email):
        raise IdentityError(f"{email!r} is not an e-mail address")
    if find_by_email(session, email) is not None:
        raise IdentityError(f"{email} already has an account here")
    if password is not None and len(password) < MIN_PASSWORD:
        raise IdentityError(f"password must have at least {MIN_PASSWORD} characters")
    user = User(
        kind=kind,
        email=email,
        full_name=full_name.strip(),
        locale=locale,
        password=hash_password(password) if password else None,
        fs_uniquifier=uuid.uuid4().hex,
        roles=_roles(session, kind, roles),
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: DbSession, user_id: int, kind: str | None = None) -> User:
    """Return a person of the tenant in scope, or raise LookupError."""
    user = get_scoped(session, User, user_id)
    if user is None or (kind and user.kind != kind):
        raise LookupError(f"{kind or 'user'} {user_id} not found")
    return user


def set_roles(session: DbSession, user: User, names: Iterable[str]) -> User:
    """Replace a staff member's roles."""
    user.roles = _roles(session, user.kind, names)
    session.flush()
    return user


def set_active(user: User, active: bool) -> User:
    """Allow or stop a person's log-in; a deactivated person loses every session."""
    user.active = active
    if not active:
        user.fs_uniquifier = uuid.uuid4().hex
    return user


def people_query(kind: str, search: str = "") -> Select[User]:
    """Select the tenant's people of one kind, optionally filtered by e-mail or name; unordered."""
    stmt = select(User).where(User.kind == kind)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.full_name).like(like))
    return stmt


def people(session: DbSession, kind: str, search: str = "", limit: int = 200) -> list[User]:
    """Return the tenant's people of one kind, optionally filtered by e-mail or name."""
    return list(session.scalars(people_query(kind, search).order_by(User.email).limit(limit)))
