"""A brand's first owner: an account without a password, and a mail with a link to set one."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from saas.db import DbSession
from saas.identity import roles as R
from saas.identity.models import STAFF, User
from saas.identity.services import EMAIL, MAX_EMAIL, IdentityError, create_user, find_by_email
from saas.notifications import mails
from saas.tenancy.crossing import as_tenant
from saas.tenancy.models import Tenant

# Given the invited person, the address of the page on the brand's host that sets their password.
LinkFor = Callable[[User], str]


def invite_owner(
    session: DbSession, tenant: Tenant, email: str, full_name: str, link_for: LinkFor
) -> User:
    """Make an owner of the brand who has no password yet, or invite again one who has none.

    Someone of the brand who set a password already has an account: the address is refused.
    """
    with as_tenant(session, tenant, "platform console: invite an owner"):
        person = find_by_email(session, email.strip())
        if person is not None and not _pending(person):
            raise IdentityError("identity.email_taken", field="email", email=email.strip())
        if person is None:
            person = create_user(
                session,
                kind=STAFF,
                email=email,
                password=None,
                full_name=full_name,
                roles=[R.OWNER],
            )
        mails.notify(session, person, "owner_invite", link=link_for(person))
        return person


def _pending(person: User) -> bool:
    return person.kind == STAFF and person.password is None and R.OWNER in person.role_names


def pending_owners(session: DbSession) -> list[User]:
    """The owners of the brand in scope who were invited and have not set a password yet."""
    query = select(User).where(User.kind == STAFF, User.password.is_(None))
    return [p for p in session.scalars(query.order_by(User.email)) if _pending(p)]


def address_problems(email: str) -> list[IdentityError]:
    """What is wrong with an owner's address before any brand holds it: its form only."""
    email = email.strip()
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return [IdentityError("identity.email_invalid", field="email")]
    return []
