"""A brand's catalogue as stored at one catalogue version, to keep in memory and never change.

Pages that show prices read the same few plans and versions over and over; a snapshot holds
every version of the brand with its plan, prices and allowances, and the brand's metrics, as
objects detached from any session. It is good for as long as `catalog_version` (bumped by a
trigger in the transaction of any write to a catalogue table, of any brand) has not moved:
`current_version` costs one read of one row. Promotions are not in it: a subscription's own
promotion is read with the subscription.

A snapshot is shared by every request of a process: read it, never change it, and never add
its objects to a session (the domain services read versions by code or id themselves).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from saas.catalog import models as M
from saas.db import DbSession, read


@dataclass(frozen=True)
class Snapshot:
    """Every plan version of one brand with its plan, prices and allowances; its metrics."""

    version: int
    versions: Mapping[int, M.PlanVersion]
    metrics: Mapping[str, M.Metric]

    def plan_version(self, ident: Any) -> M.PlanVersion | None:
        """A version of the brand by id (None for anything else)."""
        return self.versions.get(ident) if isinstance(ident, int) else None

    def sold(self, plan_id: int) -> M.PlanVersion | None:
        """The version of a plan sold to new subscribers now, if any."""
        return next(
            (v for v in self.versions.values() if v.plan_id == plan_id and v.status == M.PUBLISHED),
            None,
        )

    def sellable(self, kind: str = M.PLAN, currency: str | None = None) -> list[M.PlanVersion]:
        """What `saas.catalog.services.sellable` answers, in its order, without a query."""
        found = [
            v
            for v in self.versions.values()
            if v.status == M.PUBLISHED
            and v.plan.kind == kind
            and (not currency or v.plan.currency == currency)
        ]
        return sorted(found, key=_by_price_and_name)


def _by_price_and_name(version: M.PlanVersion) -> tuple[Decimal, str]:
    return version.recurring_total(), version.plan.name


def current_version(session: DbSession) -> int:
    """The catalogue version stored now (one row read by its key, as a plain column)."""
    return int(read(session, _VERSION).scalar() or 0)


_VERSION = select(M.catalog_version.c.version).where(M.catalog_version.c.id == 1)


def load(session: DbSession) -> Snapshot:
    """Read the brand in scope's catalogue as committed, in a transaction of its own.

    Its own session on the same engine (the session hooks set the tenant and filter by it),
    closed at the end: its objects come out detached, with everything a page reads of them
    loaded. A transaction of its own, so a write of the caller's that may yet roll back is never
    kept for every request; the version is read first, so a snapshot is never labelled newer
    than it is.
    """
    with Session(bind=session.get_bind()) as reader:
        version = current_version(reader)
        query = select(M.PlanVersion).options(
            joinedload(M.PlanVersion.plan, innerjoin=True).selectinload(M.Plan.versions),
            selectinload(M.PlanVersion.components),
            selectinload(M.PlanVersion.allowances),
        )
        versions = {v.id: v for v in reader.scalars(query)}
        metrics = {m.code: m for m in reader.scalars(select(M.Metric).order_by(M.Metric.code))}
    # Closing (not rolling back, which would expire them) detaches the objects as loaded, and
    # ends the transaction, which wrote nothing.
    return Snapshot(version, MappingProxyType(versions), MappingProxyType(metrics))
