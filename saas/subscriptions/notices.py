"""The mails a change to a subscription sends its holder, written in the change's own work."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from saas.catalog import models as M
from saas.catalog.texts import plan_text
from saas.db import DbSession
from saas.notifications import mails
from saas.subscriptions import charges as C
from saas.subscriptions import cycles
from saas.subscriptions.models import Subscription


def _name(session: DbSession, sub: Subscription, plan: M.Plan) -> str:
    """The plan's name in the language the holder's mail is written in."""
    return plan_text(plan, mails.reader_locale(session, sub.subscriber)).name


def _plan(session: DbSession, sub: Subscription, version: M.PlanVersion) -> dict[str, str]:
    return {
        "plan": _name(session, sub, version.plan),
        "interval": version.billing_interval,
        "currency": version.plan.currency,
    }


def subscribed(session: DbSession, sub: Subscription, preview: C.Preview) -> None:
    """Tell the holder which plan they took, at what price per period, from which day."""
    facts = _plan(session, sub, sub.plan_version) | {
        "amount": preview.next_recurring,
        "at": preview.effective_at,
    }
    mails.notify(session, sub.subscriber, "subscribed", **facts)


def plan_changed(
    session: DbSession,
    sub: Subscription,
    old: M.PlanVersion,
    new: M.PlanVersion,
    preview: C.Preview,
) -> None:
    """Tell the holder the plan they move to, its price and the day: today, or period end."""
    kind = "plan_upgraded" if preview.action == "upgrade" else "plan_downgrade_scheduled"
    facts = _plan(session, sub, new) | {
        "amount": preview.next_recurring,
        "at": preview.effective_at,
    }
    mails.notify(session, sub.subscriber, kind, current_plan=_name(session, sub, old.plan), **facts)


def cancelled(session: DbSession, sub: Subscription, preview: C.Preview) -> None:
    """Tell the holder their plan ends: now, with any credit, or at period end at its price."""
    version = sub.plan_version
    facts = _plan(session, sub, version) | {"at": preview.effective_at}
    if preview.action == "cancel":
        credit = -preview.total if preview.total < 0 else Decimal(0)
        mails.notify(session, sub.subscriber, "cancelled", credit=credit, **facts)
        return
    promotion = _until_then(session, sub, preview.effective_at)
    amount = C.per_period(version, promotion, version.plan.currency)
    mails.notify(session, sub.subscriber, "cancel_scheduled", amount=amount, **facts)


def _until_then(session: DbSession, sub: Subscription, ends_at: datetime) -> M.Promotion | None:
    """The promotion if it discounts the period that ends at the instant."""
    # Imported here: the services send these mails, so they import this module first.
    from saas.subscriptions.services import current_period

    period = current_period(session, sub, ends_at - timedelta(microseconds=1))
    return cycles.discounting(sub, period.start)


def migration_scheduled(
    session: DbSession,
    sub: Subscription,
    to_version: M.PlanVersion,
    at: datetime,
    current: Decimal,
    new: Decimal,
) -> None:
    """Tell a holder their plan's new price and the day it applies from."""
    facts = _plan(session, sub, to_version) | {"amount": new, "current": current, "at": at}
    mails.notify(session, sub.subscriber, "migration_scheduled", **facts)
