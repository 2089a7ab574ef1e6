"""Company accounts: list them with their lines, find one in the brand, open a new one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from saas.catalog.models import PlanVersion
from saas.customers.models import COMPANY, Account
from saas.db import DbSession, fixed_limit, get_scoped
from saas.errors import N_, Refusal, Term, register
from saas.identity.models import SUBSCRIBER, User
from saas.subscriptions.models import Subscription

MAX_NAME = 200
LISTED = 200


class CustomerError(Refusal):
    """An account that cannot be made as asked: its code, the record, the field if one."""

    def __init__(
        self, code: str, record: Term | str, field: str | None = None, **params: Any
    ) -> None:
        super().__init__(code, field=field, record=record, **params)


REFUSALS = {
    "record.company_account": N_("company account"),
    "record.company_account_named": N_('company account "%(name)s"'),
    "customer.name_missing": N_("needs a name"),
    "customer.name_too_long": N_("name must have at most %(limit)s characters"),
    "customer.holder_not_subscriber": N_("%(email)s is not a subscriber"),
    "customer.choose_account": N_("choose one of the brand's accounts"),
}
register(REFUSALS)
COMPANY_ACCOUNT = Term("record.company_account")


def company_name(name: str) -> str:
    """Return a company account's name trimmed, or raise CustomerError naming what is wrong."""
    name = name.strip()
    if not name:
        raise CustomerError("customer.name_missing", COMPANY_ACCOUNT, "account_name")
    if len(name) > MAX_NAME:
        raise CustomerError(
            "customer.name_too_long", COMPANY_ACCOUNT, "account_name", limit=MAX_NAME
        )
    return name


def create_company(session: DbSession, name: str, holder: User) -> Account:
    """Open a company account held by one of the brand's subscribers."""
    name = company_name(name)
    if holder.kind != SUBSCRIBER:
        record = Term("record.company_account_named", name=name)
        raise CustomerError("customer.holder_not_subscriber", record, email=holder.email)
    account = Account(kind=COMPANY, name=name, holder_id=holder.id)
    session.add(account)
    session.flush()
    return account


def get(session: DbSession, ident: int) -> Account | None:
    """Return the brand's account (of any kind) with that id."""
    return get_scoped(session, Account, ident)


def get_company(session: DbSession, ident: int) -> Account | None:
    """Return the brand's company account with that id; personal accounts are not one."""
    account = get(session, ident)
    return account if account is not None and account.kind == COMPANY else None


def company_query() -> Any:
    """A query of the brand's company accounts, oldest first, for paging."""
    return select(Account).filter_by(kind=COMPANY).order_by(Account.id)


def line_ids(session: DbSession, accounts: Iterable[Account]) -> dict[int, list[int]]:
    """The subscription ids of each account's lines, oldest first."""
    ids: dict[int, list[int]] = {a.id: [] for a in accounts}
    rows = session.execute(
        select(Subscription.account_id, Subscription.id)
        .where(Subscription.account_id.in_(list(ids)))
        .order_by(Subscription.id)
    )
    for account_id, sub_id in rows:
        ids[account_id].append(sub_id)
    return ids


def companies(session: DbSession, limit: int = LISTED) -> list[tuple[Account, int]]:
    """The brand's company accounts by name, each with its number of lines."""
    query = (
        company_query().order_by(None).order_by(Account.name, Account.id).limit(fixed_limit(limit))
    )
    query = query.options(selectinload(Account.holder))
    accounts = list(session.scalars(query))
    counts = line_ids(session, accounts)
    return [(a, len(counts[a.id])) for a in accounts]


def lines(session: DbSession, account: Account) -> list[Subscription]:
    """The subscriptions (lines) of an account, oldest first, with their subscribers and plans."""
    query = select(Subscription).filter_by(account_id=account.id).order_by(Subscription.id)
    query = query.options(
        selectinload(Subscription.subscriber),
        selectinload(Subscription.plan_version).selectinload(PlanVersion.plan),
    )
    return list(session.scalars(query))
