"""Priced changes, made at the price shown: preview first, confirm second.

A change is priced by its preview and shown; the confirmation carries the change's parameters and
the price that was shown. On confirm the price is computed again and the change is made only if it
still matches, so nobody is charged what they did not see. Previews write nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from saas.catalog import models as M
from saas.catalog.services import plan_record
from saas.customers import services as customers
from saas.customers.models import Account
from saas.db import DbSession, get_scoped, row_id
from saas.errors import Term
from saas.identity.models import User
from saas.subscriptions import charges as C
from saas.subscriptions import services as subs
from saas.subscriptions.models import (
    CANCELLED,
    SCHEDULED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)

Params = Mapping[str, str]  # a change's parameters as the screens carry them: text by name
Named = Callable[[Any], M.PlanVersion | None]
REASON_MAX = 500
LINE_LABEL_MAX = 120


@dataclass(frozen=True)
class Step:
    """One kind of change: how to price it, how to make it, which parameters it carries."""

    preview: Callable[[DbSession, Subscription, Params, datetime], C.Preview]
    apply: Callable[[DbSession, Subscription, Params, datetime], Any]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shown:
    """The price a confirmation was shown: the total now, the next recurring price, the version."""

    total: Decimal
    next_recurring: Decimal
    plan_version_id: int | None

    @classmethod
    def of(cls, preview: C.Preview) -> Shown:
        """The price a preview shows."""
        return cls(preview.total, preview.next_recurring, preview.plan_version_id)


@dataclass(frozen=True)
class Outcome:
    """A confirmation: the fresh price, and what was made (None when the price had moved)."""

    preview: C.Preview
    made: Any = None

    @property
    def price_moved(self) -> bool:
        """Whether nothing was made because the price is no longer the one shown."""
        return self.made is None


def published(session: DbSession, plan_code: str, kind: str = M.PLAN) -> M.PlanVersion:
    """The version of a plan on sale now, by the plan's code."""
    plan = session.scalar(select(M.Plan).filter_by(code=plan_code, kind=kind))
    if plan is None or plan.published is None:
        raise subs.SubscriptionError("subscription.not_on_sale", plan_record(plan_code), "plan")
    return plan.published


def held_addon(session: DbSession, sub: Subscription, ident: str) -> SubscriptionAddOn:
    """One of the subscription's own add-ons, by id."""
    number = row_id(ident)
    addon = get_scoped(session, SubscriptionAddOn, number) if number is not None else None
    if addon is None or addon.subscription_id != sub.id:
        record = Term("record.subscription", id=sub.id)
        raise subs.SubscriptionError("subscription.no_such_addon", record, "item", addon=ident)
    return addon


def _suspend(session: DbSession, sub: Subscription, p: Params, at: datetime) -> Any:
    return subs.suspend(session, sub, at, p.get("reason", "")[:REASON_MAX])


def _resume(session: DbSession, sub: Subscription, p: Params, at: datetime) -> Any:
    return subs.resume(session, sub, at)


STEPS: dict[str, Step] = {
    "change": Step(
        lambda s, sub, p, at: subs.preview_change(s, sub, published(s, p.get("plan", "")), at),
        lambda s, sub, p, at: subs.change_plan(s, sub, published(s, p.get("plan", "")), at),
        ("plan",),
    ),
    "cancel": Step(
        lambda s, sub, p, at: subs.preview_cancel(s, sub, at, p.get("when", "now")),
        lambda s, sub, p, at: subs.cancel(
            s, sub, at, p.get("when", "now"), p.get("reason", "")[:REASON_MAX]
        ),
        ("when", "reason"),
    ),
    "addon": Step(
        lambda s, sub, p, at: subs.preview_addon(
            s, sub, published(s, p.get("addon", ""), M.ADDON), at
        ),
        lambda s, sub, p, at: subs.add_addon(s, sub, published(s, p.get("addon", ""), M.ADDON), at),
        ("addon",),
    ),
    "remove-addon": Step(
        lambda s, sub, p, at: subs.preview_remove_addon(
            s, held_addon(s, sub, p.get("item", "")), at
        ),
        lambda s, sub, p, at: subs.remove_addon(s, held_addon(s, sub, p.get("item", "")), at),
        ("item",),
    ),
    "suspend": Step(lambda s, sub, p, at: subs.preview_suspend(s, sub, at), _suspend, ("reason",)),
    "resume": Step(lambda s, sub, p, at: subs.preview_resume(s, sub, at), _resume),
}
# Staff only: a subscriber cannot bar or restore their own line.
PORTAL_STEPS = ("change", "cancel", "addon", "remove-addon")


def confirm(
    session: DbSession,
    sub: Subscription,
    step: Step,
    params: Params,
    shown: Shown | None,
    at: datetime,
) -> Outcome:
    """Make the change if it still costs what was shown; else return the new price, unapplied."""
    preview = step.preview(session, sub, params, at)
    if shown != Shown.of(preview):
        return Outcome(preview)
    return Outcome(preview, step.apply(session, sub, params, at))


SUBSCRIBE_FIELDS = ("plan", "promo_code", "line_label")
# Staff only: a subscriber cannot put their line on a company's account.
ACCOUNT_FIELDS = ("account", "account_id", "account_name")
OWN, EXISTING, NEW = "own", "existing", "new"


@dataclass(frozen=True)
class AccountChoice:
    """The account a new line joins: the subscriber's own, a company's, or a company's to open."""

    kind: str = OWN
    account: Account | None = None
    name: str = ""


def account_choice(session: DbSession, params: Params) -> AccountChoice:
    """Check which account the parameters choose; an id not of this brand is a LookupError."""
    kind = params.get("account") or OWN
    if kind == NEW:
        return AccountChoice(NEW, name=customers.company_name(params.get("account_name", "")))
    if kind != EXISTING:
        return AccountChoice()
    ident = params.get("account_id", "")
    number = row_id(ident)
    if number is None:
        raise customers.CustomerError(
            "customer.choose_account", customers.COMPANY_ACCOUNT, "account_id"
        )
    account = customers.get_company(session, number)
    if account is None:
        raise LookupError(f"company account {ident} not found")
    return AccountChoice(EXISTING, account)


def _joined(session: DbSession, user: User, choice: AccountChoice) -> Account | None:
    if choice.kind == NEW:
        return customers.create_company(session, choice.name, user)
    return choice.account


def preview_subscribe(
    session: DbSession, params: Params, at: datetime, person: User | None = None
) -> C.Preview:
    """Price subscribing to the plan (and promo code) the parameters name, for the person."""
    version = published(session, params.get("plan", ""))
    promo_code = params.get("promo_code") or None
    return subs.preview_subscribe(session, version, at, promo_code=promo_code, subscriber=person)


def subscribe(
    session: DbSession, user: User, params: Params, shown: Shown | None, at: datetime
) -> Outcome:
    """Subscribe as previewed, on the chosen account, if the price still stands; else re-price."""
    choice = account_choice(session, params)
    preview = preview_subscribe(session, params, at, user)
    if shown != Shown.of(preview):
        return Outcome(preview)
    sub = subs.subscribe(
        session,
        user,
        published(session, params["plan"]),
        at,
        account=_joined(session, user, choice),
        line_label=params.get("line_label", "")[:LINE_LABEL_MAX],
        promo_code=params.get("promo_code") or None,
    )
    return Outcome(preview, sub)


def live(subscriptions: list[Subscription]) -> list[Subscription]:
    """The subscriptions that have not ended."""
    return [s for s in subscriptions if s.status != CANCELLED]


def waiting(events: list[SubscriptionEvent]) -> list[SubscriptionEvent]:
    """The events of a history that are still to take effect."""
    return [e for e in events if e.state == SCHEDULED]


def charged(event: SubscriptionEvent) -> Decimal | None:
    """The net amount an event charged, from the preview stored with it."""
    total = (event.data.get("charges") or {}).get("total")
    return Decimal(total) if total is not None else None


def version_named(session: DbSession, ident: Any) -> M.PlanVersion | None:
    """A plan version of this brand by id, for labelling events and states."""
    return get_scoped(session, M.PlanVersion, ident) if isinstance(ident, int) else None


def versions_named(
    session: DbSession,
    events: Iterable[SubscriptionEvent],
    known: Iterable[M.PlanVersion] = (),
) -> Named:
    """Look up the versions events name (and so their states), loaded with their plans at once.

    `known` are versions the caller holds already (with their plans); they are not read again.
    """
    found = {v.id: v for v in known}
    named = [e.data.get(key) for e in events for key in ("plan_version_id", "addon_version_id")]
    ids = {i for i in named if isinstance(i, int) and i not in found}
    if ids:
        query = select(M.PlanVersion).where(M.PlanVersion.id.in_(ids))
        loaded = session.scalars(query.options(joinedload(M.PlanVersion.plan, innerjoin=True)))
        found |= {v.id: v for v in loaded}
    return lambda ident: found.get(ident) if isinstance(ident, int) else None
