"""Move a version's subscribers onto a newer version: grandfathering ends only when scheduled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from saas.catalog import models as M
from saas.catalog.periods import local_date
from saas.catalog.services import plan_record
from saas.db import DbSession, utcnow
from saas.errors import Term
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.subscriptions import charges as C
from saas.subscriptions import cycles, notices
from saas.subscriptions.events import apply_due, zone
from saas.subscriptions.models import (
    ACTIVE,
    REVOKED,
    SCHEDULED,
    SUSPENDED,
    Subscription,
    SubscriptionEvent,
)
from saas.subscriptions.services import (
    CANCEL,
    MIGRATED,
    PLAN_CHANGED,
    SubscriptionError,
    current_period,
    period_end_at,
)


@dataclass(frozen=True)
class MigrationRow:
    """One subscription a migration would move, with its price before and after."""

    subscription: Subscription
    effective_at: datetime
    current: Decimal
    new: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return {
            "subscription_id": self.subscription.id,
            "subscriber": self.subscription.subscriber.email,
            "effective_at": self.effective_at.isoformat(),
            "current_per_period": str(self.current),
            "new_per_period": str(self.new),
        }


def _check(from_version: M.PlanVersion, to_version: M.PlanVersion) -> None:
    record = plan_record(from_version.plan.code)
    if from_version.plan_id != to_version.plan_id:
        raise SubscriptionError("subscription.migration_other_plan", record, "to_version_id")
    if from_version.id == to_version.id:
        raise SubscriptionError("subscription.migration_same_version", record, "to_version_id")
    if to_version.status != M.PUBLISHED:
        raise SubscriptionError(
            "subscription.migration_unpublished", record, "to_version_id", number=to_version.number
        )


def holders(session: DbSession, version: M.PlanVersion) -> list[Subscription]:
    """The live subscriptions on a version."""
    query = select(Subscription).filter_by(plan_version_id=version.id)
    query = query.where(Subscription.status.in_((ACTIVE, SUSPENDED))).options(
        selectinload(Subscription.subscriber), selectinload(Subscription.promotion)
    )
    return list(session.scalars(query.order_by(Subscription.id)))


def _leaving(session: DbSession, subs: list[Subscription]) -> set[int]:
    """Subscriptions with their own plan change or cancellation coming: their choice wins."""
    query = select(SubscriptionEvent.subscription_id).where(
        SubscriptionEvent.state == SCHEDULED,
        SubscriptionEvent.kind.in_((PLAN_CHANGED, CANCEL)),
        SubscriptionEvent.subscription_id.in_([s.id for s in subs]),
    )
    return set(session.scalars(query))


def _pending(session: DbSession, from_version: M.PlanVersion) -> M.PlanMigration | None:
    query = select(M.PlanMigration).filter_by(from_version_id=from_version.id, status="scheduled")
    return session.scalars(query).first()


def preview(
    session: DbSession,
    from_version: M.PlanVersion,
    to_version: M.PlanVersion,
    at: datetime | None = None,
) -> list[MigrationRow]:
    """Who would move, when (each at their next period start), at what price; own choices win."""
    _check(from_version, to_version)
    pending = _pending(session, from_version)
    if pending is not None:
        record = Term(
            "record.plan_version", code=from_version.plan.code, number=from_version.number
        )
        raise SubscriptionError("subscription.migration_pending", record, migration=pending.id)
    at = at or utcnow()
    subs = holders(session, from_version)
    leaving = _leaving(session, subs) if subs else set()
    return [
        _row(session, sub, from_version, to_version, at) for sub in subs if sub.id not in leaving
    ]


def _row(
    session: DbSession,
    sub: Subscription,
    from_version: M.PlanVersion,
    to_version: M.PlanVersion,
    at: datetime,
) -> MigrationRow:
    """One holder's move at their next period start, both prices for that same period."""
    currency = to_version.plan.currency
    period = current_period(session, sub, at)
    # The promotion rule asked for the period the move starts: the two prices differ by the
    # move alone, not by a promotion that ends meanwhile.
    promotion = cycles.discounting(sub, period.end)
    return MigrationRow(
        sub,
        period_end_at(session, sub, at),
        C.per_period(from_version, promotion, currency),
        C.per_period(to_version, promotion, currency),
    )


def schedule(
    session: DbSession,
    from_version: M.PlanVersion,
    to_version: M.PlanVersion,
    at: datetime | None = None,
) -> M.PlanMigration:
    """Schedule the move for every holder at their next period start; audited."""
    at = at or utcnow()
    rows = preview(session, from_version, to_version, at)
    migration = M.PlanMigration(
        from_version=from_version,
        to_version=to_version,
        affected=len(rows),
        created_by=current_actor().label,
    )
    session.add(migration)
    session.flush()
    for row in rows:
        _schedule_one(session, migration, row)
        notices.migration_scheduled(
            session, row.subscription, to_version, row.effective_at, row.current, row.new
        )
    session.flush()
    audit.record(
        session,
        "plan.migration.schedule",
        "plan",
        from_version.plan_id,
        migration=migration.id,
        from_version=from_version.number,
        to_version=to_version.number,
        subscriptions=len(rows),
    )
    return migration


def _schedule_one(session: DbSession, migration: M.PlanMigration, row: MigrationRow) -> None:
    data = {
        "migration_id": migration.id,
        "from_version_id": migration.from_version_id,
        "plan_version_id": migration.to_version_id,
        "current_per_period": str(row.current),
        "new_per_period": str(row.new),
    }
    if migration.from_version.billing_interval != migration.to_version.billing_interval:
        # A new interval starts a new period at the move: periods count from its local day.
        day = local_date(row.effective_at, zone(session, row.subscription))
        data["anchor_date"] = day.isoformat()
    session.add(
        SubscriptionEvent(
            subscription=row.subscription,
            kind=MIGRATED,
            state=SCHEDULED,
            effective_at=row.effective_at,
            actor_label=current_actor().label,
            data=data,
        )
    )


def cancel(session: DbSession, migration: M.PlanMigration, at: datetime | None = None) -> int:
    """Call off a scheduled migration's moves not due yet; return how many.

    The moves that have fallen due are applied first, and stay: they happened.
    """
    if migration.status != "scheduled":
        record = Term("record.migration", id=migration.id)
        raise SubscriptionError("subscription.migration_cancelled", record)
    at = at or utcnow()
    events = session.scalars(
        select(SubscriptionEvent).filter_by(kind=MIGRATED, state=SCHEDULED)
    ).all()
    mine = [e for e in events if e.data.get("migration_id") == migration.id]
    fallen_due = {e.subscription_id: e.subscription for e in mine if e.effective_at <= at}
    for ident in sorted(fallen_due):
        apply_due(session, at, fallen_due[ident])
    mine = [e for e in mine if e.state == SCHEDULED]
    for event in mine:
        event.state = REVOKED
    migration.status = "cancelled"
    session.flush()
    audit.record(
        session,
        "plan.migration.cancel",
        "plan",
        migration.from_version.plan_id,
        migration=migration.id,
        revoked=len(mine),
    )
    return len(mine)


def migrations(session: DbSession, plan: M.Plan) -> list[M.PlanMigration]:
    """The plan's migrations, newest first."""
    versions = [v.id for v in plan.versions]
    query = select(M.PlanMigration).where(M.PlanMigration.from_version_id.in_(versions))
    return list(session.scalars(query.order_by(M.PlanMigration.id.desc())))
