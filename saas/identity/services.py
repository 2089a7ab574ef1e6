"""Create and change the people of a tenant."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from functools import cache
from typing import Any

from flask_security.utils import hash_password
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from saas.db import DbSession, fixed_limit, get_scoped
from saas.errors import N_, Refusal, register
from saas.identity import roles as R
from saas.identity.models import OPERATOR, STAFF, SUBSCRIBER, Role, User, email_key
from saas.tenancy.context import current_tenant_id
from saas.tenancy.models import Tenant

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KIND_ROLES = {STAFF: set(R.STAFF_ROLES), SUBSCRIBER: {R.SUBSCRIBER}, OPERATOR: {R.OPERATOR}}
MIN_PASSWORD = 10
MAX_EMAIL = 254  # the users.email column

register(
    {
        "identity.unknown_kind": N_("%(kind)s is not a kind of account."),
        "identity.email_invalid": N_("Enter an address like name@example.com."),
        "identity.email_taken": N_("%(email)s already has an account at this brand."),
        "identity.password_too_short": N_("Use at least %(count)d characters."),
        "identity.roles_required": N_("Choose at least one role."),
        "identity.role_not_allowed": N_("The role %(role)s is not for this kind of account."),
        "identity.role_not_yours": N_(
            "You cannot give or take the role %(role)s: it carries permissions you do not hold."
        ),
        "identity.own_roles": N_("You cannot change your own roles; ask another administrator."),
        "identity.last_owner": N_(
            "%(name)s is the last owner of this brand; make someone else an owner first."
        ),
        "identity.self_deactivate": N_("You cannot deactivate your own account."),
        "identity.deactivate_not_yours": N_(
            "You cannot deactivate %(name)s: their roles carry permissions you do not hold."
        ),
        "identity.locale_not_offered": N_("Choose one of the brand's languages."),
    }
)


class IdentityError(Refusal):
    """A person cannot be created or changed as asked: the rule's code, the field, the values."""

    def each(self) -> list[IdentityError]:
        """Return every refusal this error stands for."""
        return [self]


class IdentityErrors(IdentityError):
    """Several rules refused one form at once; the first one speaks for all in logs."""

    def __init__(self, refusals: list[IdentityError]) -> None:
        first = refusals[0]
        super().__init__(first.code, field=first.field, **first.params)
        self.refusals = refusals

    def each(self) -> list[IdentityError]:
        """Return every refusal, in the order of the form's fields."""
        return list(self.refusals)


def _refuse_all(refusals: list[IdentityError]) -> None:
    """Raise the refusals together, if there are any."""
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise IdentityErrors(refusals)


def sync_roles(session: DbSession) -> None:
    """Make the roles table match the roles defined in code."""
    existing = {r.name: r for r in session.scalars(select(Role))}
    for name, perms in R.ROLE_PERMISSIONS.items():
        role = existing.get(name) or Role(name=name)
        role.description = R.ROLE_DESCRIPTIONS[name]
        role.permissions = list(perms)
        session.add(role)
    session.flush()


def _role_problems(kind: str, wanted: set[str], by: User | None) -> list[IdentityError]:
    if not wanted:
        return [IdentityError("identity.roles_required", field="roles")]
    bad = sorted(wanted - KIND_ROLES[kind])
    if bad:
        return [IdentityError("identity.role_not_allowed", field="roles", role=bad[0])]
    return _grant_problems(by, wanted)


def _grant_problems(by: User | None, changed: set[str]) -> list[IdentityError]:
    """Refuse giving or taking a role that carries a permission the granting person lacks."""
    if by is None:  # the platform's own set-up: brand files, demo data
        return []
    foreign = R.beyond(changed, R.permissions_of(by.role_names))
    return (
        [IdentityError("identity.role_not_yours", field="roles", role=foreign[0])]
        if foreign
        else []
    )


def _default_roles(kind: str, names: Iterable[str]) -> set[str]:
    defaults = {SUBSCRIBER: {R.SUBSCRIBER}, OPERATOR: {R.OPERATOR}}
    return set(names) or defaults.get(kind, set())


def _load_roles(session: DbSession, names: set[str]) -> list[Role]:
    return list(session.scalars(select(Role).where(Role.name.in_(names)).order_by(Role.name)))


def signed_in(session: DbSession, uniquifier: str) -> User | None:
    """The person a session cookie or log-in token names, with their roles (one query)."""
    return session.scalar(_by_uniquifier(), {"uniquifier": uniquifier})


# Every request that carries a session asks this: the statement is built once per process.
@cache
def _by_uniquifier() -> Select[User]:
    stmt = select(User).options(joinedload(User.roles))
    return stmt.where(User.fs_uniquifier == bindparam("uniquifier"))


def find_by_email(session: DbSession, email: str) -> User | None:
    """Return the tenant's person with this e-mail (any case)."""
    return session.scalar(select(User).where(User.email_key == email_key(email)))


def _email_problems(session: DbSession, email: str) -> list[IdentityError]:
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return [IdentityError("identity.email_invalid", field="email")]
    if find_by_email(session, email) is not None:
        return [IdentityError("identity.email_taken", field="email", email=email)]
    return []


def _password_problems(password: str | None) -> list[IdentityError]:
    if password is not None and len(password) < MIN_PASSWORD:
        return [IdentityError("identity.password_too_short", field="password", count=MIN_PASSWORD)]
    return []


def _locale_problems(session: DbSession, locale: str | None) -> list[IdentityError]:
    tenant_id = current_tenant_id()
    tenant = session.get(Tenant, tenant_id) if locale and tenant_id is not None else None
    if tenant is None or locale in (tenant.locales or [tenant.default_locale]):
        return []
    return [IdentityError("identity.locale_not_offered", field="locale", locale=locale)]


def create_user(
    session: DbSession,
    *,
    kind: str,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: Iterable[str] = (),
    locale: str | None = None,
    by: User | None = None,
) -> User:
    """Add a person to the tenant in scope, refusing every broken rule at once.

    `by` is the person adding them, who may give only roles within their own permissions;
    None is the platform's own set-up (brand files, demo data).
    """
    email = email.strip()
    if kind not in KIND_ROLES:
        raise IdentityError("identity.unknown_kind", field="kind", kind=kind)
    wanted = _default_roles(kind, roles)
    _refuse_all(
        _email_problems(session, email)
        + _password_problems(password)
        + _locale_problems(session, locale)
        + _role_problems(kind, wanted, by)
    )
    user = User(
        kind=kind,
        email=email,
        full_name=full_name.strip(),
        locale=locale,
        password=hash_password(password) if password else None,
        fs_uniquifier=uuid.uuid4().hex,
        roles=_load_roles(session, wanted),
    )
    session.add(user)
    session.flush()
    return user


def check_contact(session: DbSession, email: str, locale: str | None) -> None:
    """Refuse an address or language a new person of the brand in scope could not have."""
    _refuse_all(_email_problems(session, email.strip()) + _locale_problems(session, locale))


def get_user(session: DbSession, user_id: int, kind: str | None = None) -> User:
    """Return a person of the tenant in scope, or raise LookupError."""
    user = get_scoped(session, User, user_id)
    if user is None or (kind and user.kind != kind):
        raise LookupError(f"{kind or 'user'} {user_id} not found")
    return user


def _other_active_owners(session: DbSession, user: User) -> int:
    # Every active owner's row is locked, in id order, until the change commits: two owners
    # removing each other at once are taken one after the other, and the second sees the first.
    stmt = (
        select(User.id)
        .join(User.roles)
        .where(Role.name == R.OWNER, User.kind == STAFF, User.active.is_(True))
        .order_by(User.id)
        .with_for_update(of=User)
    )
    return sum(1 for ident in session.scalars(stmt) if ident != user.id)


def is_last_owner(session: DbSession, user: User) -> bool:
    """Whether the brand would be left without an active owner if this one went."""
    return user.active and R.OWNER in user.role_names and _other_active_owners(session, user) == 0


def set_roles(session: DbSession, user: User, names: Iterable[str], *, by: User) -> User:
    """Replace a person's roles as `by` asks: never one's own, never beyond `by`'s permissions."""
    if by.id == user.id:
        raise IdentityError("identity.own_roles", field="roles")
    before, wanted = set(user.role_names), set(names)
    _refuse_all(_role_problems(user.kind, wanted, None) or _grant_problems(by, before ^ wanted))
    if R.OWNER in before - wanted and is_last_owner(session, user):
        raise IdentityError("identity.last_owner", field="roles", name=user.display_name)
    user.roles = _load_roles(session, wanted)
    session.flush()
    return user


def deactivate(session: DbSession, user: User, *, by: User | None) -> User:
    """Stop a person's log-in and end their sessions; not one's own, not the last owner's."""
    if by is not None and by.id == user.id:
        raise IdentityError("identity.self_deactivate")
    if by is not None and R.beyond(user.role_names, R.permissions_of(by.role_names)):
        raise IdentityError("identity.deactivate_not_yours", name=user.display_name)
    if is_last_owner(session, user):
        raise IdentityError("identity.last_owner", name=user.display_name)
    user.active = False
    return end_sessions(user)


def reactivate(user: User) -> User:
    """Let a deactivated person log in again."""
    user.active = True
    return user


def end_sessions(user: User) -> User:
    """End every session, cookie and log-in token of a person: they must log in again."""
    user.fs_uniquifier = uuid.uuid4().hex
    return user


def people_query(kind: str, search: str = "") -> Select[User]:
    """Select the tenant's people of one kind, optionally filtered by e-mail or name; unordered."""
    stmt = select(User).where(User.kind == kind)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.full_name).like(like))
    return stmt


def named_like(search: str) -> Any:
    """Whether a person's e-mail or name holds the text, any case; % and _ are only characters."""
    term = search.strip().lower()
    return func.lower(User.email).contains(term, autoescape=True) | func.lower(
        User.full_name
    ).contains(term, autoescape=True)


def people_rows(kind: str, search: str = "") -> Select[*tuple[Any, ...]]:
    """Select what a list of people shows (no roles), of one kind, optionally by e-mail or name."""
    shown = (User.id, User.full_name, User.email, User.active, User.created_at)
    stmt = select(*shown).where(User.kind == kind)
    return stmt.where(named_like(search)) if search.strip() else stmt


def people(session: DbSession, kind: str, search: str = "", limit: int = 200) -> list[User]:
    """Return the tenant's people of one kind, optionally filtered by e-mail or name."""
    return list(
        session.scalars(people_query(kind, search).order_by(User.email).limit(fixed_limit(limit)))
    )
