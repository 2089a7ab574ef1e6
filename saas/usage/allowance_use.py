"""What is left of a subscription's allowances this period, up to the last charged batch.

`use_of` reads what it needs; `uses` takes the subscription's allowances and the brand's metrics
as the caller holds them (the portal's catalogue in memory) and reads only the counters, in one
statement (and the account's lines once for shared allowances), none when there are no
allowances.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, tuple_

from saas.catalog import models as C
from saas.catalog.periods import Period, local_date, period_containing
from saas.db import DbSession, read, utcnow
from saas.subscriptions.models import ACTIVE, CANCELLED, Subscription
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


def held_allowances(sub: Any, at: datetime) -> list[tuple[Any, bool]]:
    """The plan version's allowances, then those of the add-ons held at `at` (with `addon`)."""
    found = [(a, False) for a in sub.plan_version.allowances]
    for addon in sub.addons:
        if (
            addon.status == ACTIVE
            and addon.started_at <= at
            and not (addon.ended_at and addon.ended_at <= at)
        ):
            found += [(a, True) for a in addon.addon_version.allowances]
    return found


def use_of(session: DbSession, sub: Subscription, at: datetime | None = None) -> list[Use]:
    """Each allowance of the subscription (its plan's, then its add-ons') in the period of `at`."""
    at = at or utcnow()
    tenant = session.get(Tenant, sub.tenant_id)
    assert tenant is not None
    metrics = {m.code: m for m in session.scalars(select(C.Metric))}
    return uses(session, sub, tenant.timezone, held_allowances(sub, at), metrics, at)


def _pool(session: DbSession, sub: Any) -> tuple[int, Any]:
    """A shared allowance's lines on the version and the first one's anchor."""
    stmt = (
        select(Subscription.anchor_date)
        .where(
            Subscription.account_id == sub.account_id,
            Subscription.plan_version_id == sub.plan_version_id,
            Subscription.status != CANCELLED,
        )
        .order_by(Subscription.id)
    )
    anchors = [a for (a,) in read(session, stmt)]
    return max(1, len(anchors)), (anchors[0] if anchors else sub.anchor_date)


def uses(
    session: DbSession,
    sub: Any,
    zone: str,
    allowances: Iterable[tuple[Any, bool]],
    metrics: Mapping[str, Any],
    at: datetime,
) -> list[Use]:
    """The allowances' use in the period of `at`, read from their counters."""
    allowances = list(allowances)
    if not allowances:
        return []
    interval = sub.plan_version.billing_interval
    day = local_date(at, zone)
    pool = _pool(session, sub) if any(a.shared for a, _ in allowances) else (1, sub.anchor_date)
    shaped = []
    for allowance, addon in allowances:
        metric = metrics.get(allowance.metric_code)
        how = counted(metric) if metric is not None else None
        size = how.size if how else 1
        if allowance.shared:
            holder, holder_id, (lines, anchor) = ACCOUNT, sub.account_id, pool
        else:
            holder, holder_id, lines, anchor = SUBSCRIPTION, sub.id, 1, sub.anchor_date
        period = period_containing(anchor, interval, max(day, anchor))
        key = (allowance.id, holder, holder_id, period.start)
        shaped.append((allowance, addon, metric, how, size, lines, period, key))
    columns = (
        AllowanceCounter.allowance_id,
        AllowanceCounter.holder,
        AllowanceCounter.holder_id,
        AllowanceCounter.period_start,
    )
    stmt = select(
        *columns, AllowanceCounter.granted, AllowanceCounter.carried, AllowanceCounter.used
    ).where(tuple_(*columns).in_([s[-1] for s in shaped]))
    counters = {tuple(r[:4]): tuple(r[4:]) for r in read(session, stmt)}
    out = []
    for allowance, addon, metric, how, size, lines, period, key in shaped:
        if key in counters:
            granted, carried, used = counters[key]
        else:
            quantity = allowance.quantity
            granted = None if quantity is None else base_units(quantity, size) * lines
            carried, used = 0, 0
        out.append(
            Use(
                allowance_id=allowance.id,
                metric_code=allowance.metric_code,
                metric_name=metric.name if metric else allowance.metric_code,
                unit=metric.unit if metric else "",
                service=how.service if how else None,
                period=period,
                total=None if granted is None else in_units(granted + carried, size),
                used=in_units(used, size),
                carried=in_units(carried, size),
                shared=allowance.shared,
                addon=addon,
            )
        )
    return out
