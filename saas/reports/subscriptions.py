"""What a brand's subscriptions hold and how they moved, read from the subscription history.

Contracted monthly recurring revenue (MRR) is what the live subscriptions hold now: their plan
version's recurring components, less a promotion discount that lasts (forever, or repeating
within its periods), plus the recurring price of their active add-ons. A price billed every
week, quarter, half-year or year is brought to a month exactly: weekly x 52 / 12, quarterly / 3,
half-yearly / 6, yearly / 12. Amounts are summed as exact fractions and rounded once per figure,
half up, to the currency's minor unit, so a total is the rounded exact sum, not the sum of
rounded rows.

Every figure is a few GROUP BY queries whatever the number of subscriptions; the Python work is
per plan version and promotion, not per subscription.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, case, false, func, literal, select, true
from sqlalchemy.orm import selectinload

from saas.catalog import models as M
from saas.catalog.periods import add_months, local_date, start_of_local_day
from saas.db import DbSession
from saas.money import round_fraction
from saas.reports.headcount import LIVE
from saas.subscriptions import charges as C
from saas.subscriptions.models import (
    ACTIVE,
    REVOKED,
    SUSPENDED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)
from saas.subscriptions.services import CANCEL, PLAN_CHANGED, SUBSCRIBED

# One period's price times this is its price per month.
PER_MONTH = {
    "weekly": Fraction(52, 12),
    "monthly": Fraction(1),
    "quarterly": Fraction(1, 3),
    "semiannual": Fraction(1, 6),
    "yearly": Fraction(1, 12),
}
_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}
MOVES = ("new", "upgraded", "downgraded", "cancelled")


@dataclass(frozen=True)
class PlanLine:
    """One plan (or add-on) with the live subscriptions holding it and what they pay a month."""

    plan_id: int
    code: str
    name: str
    kind: str
    currency: str
    active: int
    suspended: int
    mrr: Decimal


@dataclass(frozen=True)
class Holdings:
    """The brand's plans and add-ons as held now, and the MRR per currency."""

    plans: list[PlanLine]
    addons: list[PlanLine]
    mrr: dict[str, Decimal]


@dataclass(frozen=True)
class MonthMoves:
    """New, upgraded, downgraded and cancelled subscriptions in one local calendar month."""

    month: date
    new: int = 0
    upgraded: int = 0
    downgraded: int = 0
    cancelled: int = 0

    def count(self, move: str) -> int:
        """The number of one kind of move."""
        return int(getattr(self, move))


# --- what the subscriptions hold ------------------------------------------------------------


def _versions(session: DbSession, ids: set[int]) -> dict[int, M.PlanVersion]:
    """The plan and add-on versions counted, with their prices and plans."""
    query = (
        select(M.PlanVersion)
        .where(M.PlanVersion.id.in_(ids))
        .options(selectinload(M.PlanVersion.components), selectinload(M.PlanVersion.plan))
    )
    return {v.id: v for v in session.scalars(query)}


def _promotions(session: DbSession) -> dict[int, M.Promotion]:
    held = select(Subscription.promotion_id).where(Subscription.status.in_(LIVE))
    return {p.id: p for p in session.scalars(select(M.Promotion).where(M.Promotion.id.in_(held)))}


def earliest_running_anchor(cycles: int, interval: str, today: date) -> date:
    """The first anchor whose `cycles` periods of `interval` still include the local date."""
    if interval == "weekly":
        return today - timedelta(days=7 * cycles) + timedelta(days=1)
    months = _MONTHS[interval] * cycles
    # add_months clamps to a short month's end, so step from a little early to the first anchor
    # whose last discounted period ends after today.
    anchor = add_months(today, -months) - timedelta(days=4)
    while add_months(anchor, months) <= today:
        anchor += timedelta(days=1)
    return anchor


def _discounting(promotions: Iterable[M.Promotion], today: date) -> Any:
    """SQL telling whether a subscription's promotion still takes something off today."""
    whens: list[tuple[Any, Any]] = []
    for p in promotions:
        if p.duration == "forever" or (p.duration == "repeating" and not p.cycles):
            whens.append((Subscription.promotion_id == p.id, true()))
        elif p.duration == "repeating":
            assert p.cycles is not None
            for interval in PER_MONTH:
                start = earliest_running_anchor(p.cycles, interval, today)
                held = and_(
                    Subscription.promotion_id == p.id, M.PlanVersion.billing_interval == interval
                )
                whens.append((held, Subscription.anchor_date >= start))
    return case(*whens, else_=false()) if whens else literal(False)


def _monthly(per_period: Decimal, interval: str, count: int) -> Fraction:
    return Fraction(per_period) * PER_MONTH[interval] * count


def _plan_counts(session: DbSession, promotions: dict[int, M.Promotion], today: date) -> list[Any]:
    discounting = _discounting(promotions.values(), today).label("discounting")
    # Grouped outside the per-subscription select: the CASE's parameters kept out of GROUP BY,
    # where PostgreSQL would not see them as the same expression as the one selected.
    held = (
        select(
            Subscription.plan_version_id,
            Subscription.promotion_id,
            discounting,
            Subscription.status,
        )
        .join(M.PlanVersion, M.PlanVersion.id == Subscription.plan_version_id)
        .where(Subscription.status.in_(LIVE))
        .subquery()
    )
    columns = (held.c.plan_version_id, held.c.promotion_id, held.c.discounting, held.c.status)
    return list(session.execute(select(*columns, func.count()).group_by(*columns)).all())


def _addon_counts(session: DbSession) -> list[Any]:
    query = (
        select(SubscriptionAddOn.addon_version_id, Subscription.status, func.count())
        .join(Subscription, Subscription.id == SubscriptionAddOn.subscription_id)
        .where(SubscriptionAddOn.status == ACTIVE, Subscription.status.in_(LIVE))
        .group_by(SubscriptionAddOn.addon_version_id, Subscription.status)
    )
    return list(session.execute(query).all())


class _Tally:
    """Counts and exact monthly amounts per plan, then per currency."""

    def __init__(self) -> None:
        self.counts: dict[int, dict[str, int]] = defaultdict(lambda: {ACTIVE: 0, SUSPENDED: 0})
        self.amounts: dict[int, Fraction] = defaultdict(Fraction)
        self.plans: dict[int, M.Plan] = {}

    def add(self, version: M.PlanVersion, status: str, count: int, monthly: Fraction) -> None:
        self.plans[version.plan_id] = version.plan
        self.counts[version.plan_id][status] += count
        self.amounts[version.plan_id] += monthly

    def lines(self) -> list[PlanLine]:
        return sorted(
            (
                PlanLine(
                    plan.id,
                    plan.code,
                    plan.name,
                    plan.kind,
                    plan.currency,
                    self.counts[plan.id][ACTIVE],
                    self.counts[plan.id][SUSPENDED],
                    round_fraction(self.amounts[plan.id], plan.currency),
                )
                for plan in self.plans.values()
            ),
            key=lambda line: (line.name, line.code),
        )

    def by_currency(self, into: dict[str, Fraction]) -> None:
        for plan_id, amount in self.amounts.items():
            into[self.plans[plan_id].currency] += amount


def holdings(session: DbSession, at: datetime, zone: str) -> Holdings:
    """The live subscriptions per plan and add-on, and the MRR they are contracted for."""
    promotions = _promotions(session)
    held = _plan_counts(session, promotions, local_date(at, zone))
    added = _addon_counts(session)
    # Versions are read last, for exactly the ids counted: one taken meanwhile is not missed.
    versions = _versions(session, {row[0] for row in held} | {row[0] for row in added})
    plans, addons = _Tally(), _Tally()
    for version_id, promotion_id, discounting, status, count in held:
        version = versions[version_id]
        lasting = promotions.get(promotion_id) if discounting else None
        price = C.per_period(version, lasting, version.plan.currency)
        plans.add(version, status, count, _monthly(price, version.billing_interval, count))
    for version_id, status, count in added:
        version = versions[version_id]
        price = C.per_period(version, None, version.plan.currency)
        addons.add(version, status, count, _monthly(price, version.billing_interval, count))
    total: dict[str, Fraction] = defaultdict(Fraction)
    plans.by_currency(total)
    addons.by_currency(total)
    mrr = {currency: round_fraction(amount, currency) for currency, amount in total.items()}
    return Holdings(plans.lines(), addons.lines(), dict(sorted(mrr.items())))


# --- how the subscriptions moved ------------------------------------------------------------


def last_months(at: datetime, zone: str, count: int = 12) -> list[date]:
    """The first days of the last `count` local calendar months, the month of `at` last."""
    today = local_date(at, zone)
    this_month = today.replace(day=1)
    return [add_months(this_month, -n) for n in range(count - 1, -1, -1)]


def _bucket(starts: list[datetime]) -> Any:
    """SQL giving the index of the month an event's effective time falls in."""
    whens = [(SubscriptionEvent.effective_at < edge, i) for i, edge in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1)


def moves(session: DbSession, at: datetime, zone: str, count: int = 12) -> list[MonthMoves]:
    """New, upgraded, downgraded and cancelled subscriptions per local month, up to `at`.

    Each event counts in the month it takes effect; a revoked one never does. A plan change is
    an upgrade or a downgrade as it was priced (its `direction`); a version migration the brand
    schedules moves a price list, not a subscriber's choice, and is not counted.
    """
    months = last_months(at, zone, count)
    starts = [start_of_local_day(m, zone) for m in months]
    events = (
        select(
            _bucket(starts).label("month"),
            SubscriptionEvent.kind.label("kind"),
            SubscriptionEvent.data["direction"].as_string().label("direction"),
        )
        .where(
            SubscriptionEvent.kind.in_((SUBSCRIBED, PLAN_CHANGED, CANCEL)),
            SubscriptionEvent.state != REVOKED,
            SubscriptionEvent.effective_at >= starts[0],
            SubscriptionEvent.effective_at <= at,
        )
        .subquery()
    )
    query = select(events.c.month, events.c.kind, events.c.direction, func.count()).group_by(
        events.c.month, events.c.kind, events.c.direction
    )
    tally: list[dict[str, int]] = [dict.fromkeys(MOVES, 0) for _ in months]
    for month, kind, direction, n in session.execute(query):
        move = _move(kind, direction)
        if move is not None:
            tally[month][move] += n
    return [MonthMoves(month, **tally[i]) for i, month in enumerate(months)]


def _move(kind: str, direction: str | None) -> str | None:
    """The chart's name for an event: a plan change is an upgrade or a downgrade as priced."""
    if kind == SUBSCRIBED:
        return "new"
    if kind == CANCEL:
        return "cancelled"
    return {"upgrade": "upgraded", "downgrade": "downgraded"}.get(direction or "")
