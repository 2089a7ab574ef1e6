"""What is left of a subscription's allowances this period, up to the last charged batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from saas.catalog import models as C
from saas.catalog.periods import Period, local_date, period_containing
from saas.db import DbSession, read, utcnow
from saas.subscriptions.models import CANCELLED, Subscription, SubscriptionAddOn
from saas.tenancy.models import Tenant
from saas.usage.charging_models import ACCOUNT, SUBSCRIPTION, AllowanceCounter
from saas.usage.units import base_units, counted, in_units


@dataclass(frozen=True)
class Use:
    """One allowance in one period: in the metric's units (minutes, SMS, MB), exact."""

    allowance_id: int
    metric_code: str
    metric_name: str
    unit: str
    service: str | None
    period: Period
    total: Decimal | None  # None: unlimited
    used: Decimal
    carried: Decimal
    shared: bool
    addon: bool

    @property
    def left(self) -> Decimal | None:
        """What is left (never below zero); None when unlimited."""
        return None if self.total is None else max(Decimal(0), self.total - self.used)


def _allowances(
    session: DbSession, sub: Subscription, at: datetime
) -> list[tuple[C.Allowance, bool]]:
    versions = [(sub.plan_version_id, False)]
    addons = select(SubscriptionAddOn.addon_version_id).where(
        SubscriptionAddOn.subscription_id == sub.id,
        SubscriptionAddOn.started_at <= at,
        (SubscriptionAddOn.ended_at.is_(None)) | (SubscriptionAddOn.ended_at > at),
    )
    versions += [(v, True) for (v,) in read(session, addons)]
    found = []
    for version_id, addon in versions:
        stmt = select(C.Allowance).filter_by(version_id=version_id).order_by(C.Allowance.id)
        found += [(a, addon) for a in session.scalars(stmt)]
    return found


def _pool(session: DbSession, sub: Subscription) -> tuple[int, int]:
    """A shared allowance's lines on the version and the first one's anchor."""
    stmt = select(func.count(Subscription.id), func.min(Subscription.id)).where(
        Subscription.account_id == sub.account_id,
        Subscription.plan_version_id == sub.plan_version_id,
        Subscription.status != CANCELLED,
    )
    lines, first = read(session, stmt).one()
    return int(lines or 1), int(first or sub.id)


def use_of(session: DbSession, sub: Subscription, at: datetime | None = None) -> list[Use]:
    """Each allowance of the subscription (its plan's, then its add-ons') in the period of `at`."""
    at = at or utcnow()
    tenant = session.get(Tenant, sub.tenant_id)
    assert tenant is not None
    metrics = {m.code: m for m in session.scalars(select(C.Metric))}
    interval = sub.plan_version.billing_interval
    day = local_date(at, tenant.timezone)
    out = []
    for allowance, addon in _allowances(session, sub, at):
        metric = metrics.get(allowance.metric_code)
        how = counted(metric) if metric is not None else None
        size = how.size if how else 1
        holder, holder_id, anchor, lines = SUBSCRIPTION, sub.id, sub.anchor_date, 1
        if allowance.shared:
            lines, first = _pool(session, sub)
            holder, holder_id = ACCOUNT, sub.account_id
            first_sub = session.get(Subscription, first)
            anchor = first_sub.anchor_date if first_sub else sub.anchor_date
        period = period_containing(anchor, interval, max(day, anchor))
        counter = session.scalar(
            select(AllowanceCounter).filter_by(
                allowance_id=allowance.id,
                holder=holder,
                holder_id=holder_id,
                period_start=period.start,
            )
        )
        if counter is not None:
            granted, carried, used = counter.granted, counter.carried, counter.used
        else:
            quantity = allowance.quantity
            granted = None if quantity is None else base_units(quantity, size) * lines
            carried, used = 0, 0
        total = None if granted is None else in_units(granted + carried, size)
        out.append(
            Use(
                allowance_id=allowance.id,
                metric_code=allowance.metric_code,
                metric_name=metric.name if metric else allowance.metric_code,
                unit=metric.unit if metric else "",
                service=how.service if how else None,
                period=period,
                total=total,
                used=in_units(used, size),
                carried=in_units(carried, size),
                shared=allowance.shared,
                addon=addon,
            )
        )
    return out
