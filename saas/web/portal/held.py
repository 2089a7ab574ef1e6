"""A subscriber's lines as the portal shows them: one read of columns, versions from memory.

Every portal page asks which lines the subscriber holds. Read through the ORM with their
versions, plans, promotion and add-ons joined, they cost more than the page's template; here
they are plain values from one statement, each plan version (with its plan, prices and
allowances) the catalogue's in memory (saas.web.catalogue). They are shown, never changed:
a change reads its subscription through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select

from saas.catalog import models as M
from saas.catalog.snapshot import Snapshot
from saas.db import DbSession, read, scoped
from saas.subscriptions.models import ACTIVE, CANCELLED, Subscription, SubscriptionAddOn


@dataclass(frozen=True, slots=True)
class Promotion:
    """What prices and pages read of a subscription's promotion."""

    id: int
    code: str
    name: str
    kind: str
    value: Decimal
    currency: str | None
    plan_id: int | None
    component_code: str | None
    duration: str
    cycles: int | None


@dataclass(frozen=True, slots=True)
class AddOn:
    """An add-on a line holds or held."""

    id: int
    status: str
    started_at: datetime
    ended_at: datetime | None
    addon_version_id: int
    addon_version: M.PlanVersion


COMPUTED = ("plan_version", "promotion", "addons")


@dataclass(frozen=True, slots=True)
class Line:
    """A subscription as the portal shows it."""

    id: int
    tenant_id: int
    subscriber_id: int
    account_id: int
    line_label: str
    status: str
    plan_version_id: int
    anchor_date: date
    started_at: datetime
    ended_at: datetime | None
    promotion_id: int | None
    promotion_ends_on: date | None
    plan_version: M.PlanVersion
    promotion: Promotion | None
    addons: tuple[AddOn, ...]


def live_lines(session: DbSession, person_id: int, versions: Snapshot) -> list[Line] | None:
    """The person's subscriptions that have not ended, newest first; None if the catalogue in
    memory lacks a version one of them is on (one published after it was read)."""
    rows_of: dict[int, list[Any]] = {}
    for row in read(session, _held(), {"person": person_id}):
        rows_of.setdefault(row.id, []).append(row)
    lines = [_line(rows, versions) for rows in rows_of.values()]
    return None if None in lines else lines  # type: ignore[return-value]


def active_addons(line: Any) -> list[Any]:
    """The add-ons a line (shown or loaded) holds now."""
    return [addon for addon in line.addons if addon.status == ACTIVE]


def _line(rows: list[Any], versions: Snapshot) -> Line | None:
    first = rows[0]
    version = versions.plan_version(first.plan_version_id)
    found = [_addon(row, versions) for row in rows if row.addon_id is not None]
    addons = [addon for addon in found if addon is not None]
    if version is None or len(addons) < len(found):
        return None
    values = {name: getattr(first, name) for name in Line.__slots__ if name not in COMPUTED}
    return Line(**values, plan_version=version, promotion=_promotion(first), addons=tuple(addons))


def _promotion(row: Any) -> Promotion | None:
    if row.promotion_id is None:
        return None
    return Promotion(**{name: getattr(row, f"promotion_{name}") for name in Promotion.__slots__})


def _addon(row: Any, versions: Snapshot) -> AddOn | None:
    version = versions.plan_version(row.addon_version_id)
    if version is None:
        return None
    return AddOn(
        id=row.addon_id,
        status=row.addon_status,
        started_at=row.addon_started_at,
        ended_at=row.addon_ended_at,
        addon_version_id=row.addon_version_id,
        addon_version=version,
    )


@cache
def _held() -> Any:
    sub, promotion, addon = Subscription, M.Promotion, SubscriptionAddOn
    own = [getattr(sub, name) for name in Line.__slots__ if hasattr(sub.__table__.c, name)]
    promoted = [
        getattr(promotion, name).label(f"promotion_{name}")
        for name in Promotion.__slots__
        if name != "id"
    ]
    added = [
        addon.id.label("addon_id"),
        addon.status.label("addon_status"),
        addon.started_at.label("addon_started_at"),
        addon.ended_at.label("addon_ended_at"),
        addon.addon_version_id,
    ]
    query = (
        select(*own, *promoted, *added)
        .outerjoin(promotion, promotion.id == sub.promotion_id)
        .outerjoin(addon, addon.subscription_id == sub.id)
        .where(sub.subscriber_id == bindparam("person"), sub.status != CANCELLED)
        .order_by(sub.id.desc(), addon.id)
    )
    return scoped(query)
