"""Prepaid balances: one per prepaid account, topped up by staff, drawn on by charged usage.

An account is prepaid when one of its subscriptions (not cancelled) is on a prepaid plan
(`Plan.payment`). The credit class decides what a person may be sold, so a class that allows no
postpaid (`postpaid = false`, e.g. "prepaid only") leaves them prepaid plans only; the plan, not
the class, is what the balance follows.

The balance may go below zero: records arrive after the usage happened. When a batch leaves it
at or below zero, every active line of the account's prepaid subscriptions is barred through the
provisioning adapter (a suspend order each) and the holder is told by e-mail; a top-up that
takes the balance above zero restores the lines the empty balance barred (and only those).
Top-ups are, until payments arrive, staff credits with a reason, each in the audit log.

The balance row is locked for every change (`SELECT ... FOR UPDATE`), after any usage counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite

from saas.catalog import models as C
from saas.customers.models import Account
from saas.db import DbSession, get_scoped, read, utcnow
from saas.errors import N_, Refusal, register
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.money import exponent
from saas.network.models import ACTIVE, SUSPENDED, Line, LineNumber
from saas.network.provisioning import orders
from saas.notifications import mails
from saas.subscriptions.models import CANCELLED, Subscription
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant
from saas.usage.charging_models import TOP_UP, USAGE, PrepaidEntry, PrepaidWallet
from saas.usage.records import to_decimal

REFUSALS = {
    "prepaid.not_prepaid": N_("has no prepaid plan, so it has no balance to top up"),
    "prepaid.amount_not_positive": N_("must be more than zero"),
    "prepaid.amount_too_precise": N_("has more decimals than the currency has (%(places)s)"),
    "prepaid.amount_too_large": N_("is more than a top-up may be (%(most)s)"),
    "prepaid.reason_required": N_("is needed: say why the balance is credited"),
    "prepaid.no_account": N_("does not exist"),
}
register(REFUSALS)
MOST = Decimal("10000")  # the largest single top-up


class BalanceError(Refusal):
    """A top-up that cannot be made: its code, the field and the parameters."""


def is_prepaid(session: DbSession, account_id: int) -> bool:
    """Whether one of the account's live subscriptions is on a prepaid plan."""
    stmt = select(
        exists().where(
            Subscription.account_id == account_id,
            Subscription.status != CANCELLED,
            Subscription.plan_version_id == C.PlanVersion.id,
            C.PlanVersion.plan_id == C.Plan.id,
            C.Plan.payment == C.PREPAID,
        )
    )
    return bool(read(session, stmt).scalar())


def wallet_of(session: DbSession, account_id: int) -> PrepaidWallet | None:
    """The account's balance, if it has one yet."""
    return session.scalar(select(PrepaidWallet).filter_by(account_id=account_id))


def _currency(session: DbSession) -> str:
    tenant = session.get(Tenant, require_tenant_id())
    assert tenant is not None
    return tenant.currency


def _insert_missing(session: DbSession, account_ids: list[int]) -> None:
    if not account_ids:
        return
    tenant, currency, now = require_tenant_id(), _currency(session), utcnow()
    rows = [
        {
            "tenant_id": tenant,
            "account_id": a,
            "currency": currency,
            "balance": Decimal(0),
            "barred": False,
            "barred_subscriptions": [],
            "bars": 0,
            "updated_at": now,
        }
        for a in sorted(account_ids)
    ]
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = make(PrepaidWallet).values(rows)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["tenant_id", "account_id"]))


def _locked(session: DbSession, account_ids: list[int]) -> list[PrepaidWallet]:
    """The accounts' balances, made where missing, locked in account order."""
    _insert_missing(session, account_ids)
    stmt = (
        select(PrepaidWallet)
        .where(PrepaidWallet.account_id.in_(account_ids))
        .order_by(PrepaidWallet.account_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt))


# Usage


def draw(session: DbSession, batch: pl.DataFrame) -> None:
    """Take what the batch's prepaid records are charged from their accounts' balances."""
    prepaid = batch.filter(pl.col("prepaid").fill_null(False) & (pl.col("charged_micros") != 0))
    if prepaid.height == 0:
        return
    sums = (
        prepaid.group_by("account_id")
        .agg(pl.col("charged_micros").sum().alias("micros"), pl.len().alias("records"))
        .sort("account_id")
    )
    per = {a: (m, n) for a, m, n in sums.iter_rows()}
    now, dry = utcnow(), []
    for wallet in _locked(session, list(per)):
        micros, records = per[wallet.account_id]
        wallet.balance = wallet.balance - to_decimal(micros)
        wallet.updated_at = now
        session.add(
            PrepaidEntry(
                wallet_id=wallet.id,
                kind=USAGE,
                amount=-to_decimal(micros),
                balance_after=wallet.balance,
                records=records,
                actor_label=current_actor().label,
                at=now,
            )
        )
        if wallet.balance <= 0 and not wallet.barred:
            dry.append(wallet)
    session.flush()
    if dry:
        _bar(session, dry)


@dataclass(frozen=True)
class _Live:
    subscription_id: int
    account_id: int
    msisdn: str


def _prepaid_lines(session: DbSession, account_ids: list[int], state: str) -> list[_Live]:
    """The lines in `state` of the accounts' prepaid subscriptions, with their numbers now."""
    stmt = (
        select(Subscription.id, Subscription.account_id, LineNumber.msisdn)
        .join(Line, Line.subscription_id == Subscription.id)
        .join(LineNumber, (LineNumber.line_id == Line.id) & LineNumber.valid_to.is_(None))
        .join(C.PlanVersion, C.PlanVersion.id == Subscription.plan_version_id)
        .join(C.Plan, C.Plan.id == C.PlanVersion.plan_id)
        .where(
            Subscription.account_id.in_(account_ids),
            Line.state == state,
            C.Plan.payment == C.PREPAID,
        )
        .order_by(Subscription.id)
    )
    return [_Live(*row) for row in read(session, stmt)]


def _plus(msisdn: str) -> str:
    return msisdn if msisdn.startswith("+") else f"+{msisdn}"


def _bar(session: DbSession, wallets: list[PrepaidWallet]) -> None:
    """Bar the prepaid lines of accounts whose balance ran dry, and tell their holders."""
    by_account = {w.account_id: w for w in wallets}
    live = _prepaid_lines(session, list(by_account), ACTIVE)
    for wallet in wallets:
        wallet.barred, wallet.bars = True, wallet.bars + 1
        mine = [x for x in live if x.account_id == wallet.account_id]
        for line in mine:
            key = f"prepaid-bar-{wallet.id}-{wallet.bars}-{line.subscription_id}"
            orders.suspend(session, line.subscription_id, msisdn=_plus(line.msisdn), key=key)
        wallet.barred_subscriptions = [x.subscription_id for x in mine]
        account = session.get(Account, wallet.account_id)
        if account is not None:
            facts = {"balance": wallet.balance, "currency": wallet.currency}
            mails.notify(session, account.holder, "prepaid_empty", **facts)
    session.flush()


# Top-ups


def check_amount(amount: Decimal, currency: str) -> None:
    """Refuse a top-up amount that is not more than zero, too precise or too large."""
    places = exponent(currency)
    if amount <= 0:
        raise BalanceError("prepaid.amount_not_positive", field="amount")
    if amount != round(amount, places):
        raise BalanceError("prepaid.amount_too_precise", field="amount", places=places)
    if amount > MOST:
        raise BalanceError("prepaid.amount_too_large", field="amount", most=MOST)


def top_up(session: DbSession, account_id: int, amount: Decimal, reason: str) -> PrepaidEntry:
    """Credit a prepaid account's balance (a staff credit, with a reason); lift its bar if due."""
    account = get_scoped(session, Account, account_id)
    if account is None:
        raise BalanceError("prepaid.no_account", field="account")
    if not is_prepaid(session, account_id):
        raise BalanceError("prepaid.not_prepaid", field="account")
    check_amount(amount, _currency(session))
    reason = reason.strip()
    if not reason:
        raise BalanceError("prepaid.reason_required", field="reason")
    (wallet,) = _locked(session, [account_id])
    wallet.balance = wallet.balance + amount
    wallet.updated_at = utcnow()
    entry = PrepaidEntry(
        wallet_id=wallet.id,
        kind=TOP_UP,
        amount=amount,
        balance_after=wallet.balance,
        reason=reason[:2000],
        actor_label=current_actor().label,
        at=wallet.updated_at,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        "prepaid.top_up",
        "accounts",
        account_id,
        amount=str(amount),
        balance=str(wallet.balance),
        reason=entry.reason,
    )
    if wallet.barred and wallet.balance > 0:
        _restore(session, wallet)
    return entry


def _restore(session: DbSession, wallet: PrepaidWallet) -> None:
    barred = set(wallet.barred_subscriptions or [])
    for line in _prepaid_lines(session, [wallet.account_id], SUSPENDED):
        if line.subscription_id in barred:
            key = f"prepaid-restore-{wallet.id}-{wallet.bars}-{line.subscription_id}"
            orders.restore(session, line.subscription_id, msisdn=_plus(line.msisdn), key=key)
    wallet.barred, wallet.barred_subscriptions = False, []
    session.flush()


# Reading


@dataclass(frozen=True)
class Balance:
    """An account's balance as screens show it."""

    account_id: int
    currency: str
    balance: Decimal
    barred: bool
    entries: list[PrepaidEntry]


def balance(session: DbSession, account_id: int, entries: int = 20) -> Balance:
    """The account's balance (zero before its first top-up) and its latest movements."""
    wallet = wallet_of(session, account_id)
    if wallet is None:
        return Balance(account_id, _currency(session), Decimal(0), False, [])
    stmt = (
        select(PrepaidEntry)
        .filter_by(wallet_id=wallet.id)
        .order_by(PrepaidEntry.at.desc(), PrepaidEntry.id.desc())
        .limit(entries)
    )
    return Balance(
        account_id, wallet.currency, wallet.balance, wallet.barred, list(session.scalars(stmt))
    )
