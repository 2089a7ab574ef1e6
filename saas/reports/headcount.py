"""How many people a brand has, counted per kind without reading their rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select

from saas.db import DbSession
from saas.identity.models import STAFF, SUBSCRIBER, User
from saas.subscriptions.models import ACTIVE, SUSPENDED, Subscription

# Lines that hold a plan and pay for it: a suspended line's recurring charges continue.
LIVE = (ACTIVE, SUSPENDED)


@dataclass(frozen=True)
class Headcount:
    """The brand's people, by kind."""

    staff: int
    subscribers: int


def _people(kind: str) -> ScalarSelect[int]:
    # One count per kind: with an index on users (tenant_id, kind) each is an index-only scan
    # of that kind's entries, never a read of every user row of the brand.
    return select(func.count()).select_from(User).where(User.kind == kind).scalar_subquery()


def headcount(session: DbSession) -> Headcount:
    """Count the brand's staff and subscribers in one statement."""
    staff, subscribers = session.execute(select(_people(STAFF), _people(SUBSCRIBER))).one()
    return Headcount(staff=staff, subscribers=subscribers)


@dataclass(frozen=True)
class BrandFigures:
    """What the platform operator sees of one brand."""

    subscribers: int
    live_subscriptions: int


def brand_figures(session: DbSession) -> BrandFigures:
    """Count the brand in scope's subscribers and live subscriptions in one statement."""
    live = (
        select(func.count())
        .select_from(Subscription)
        .where(Subscription.status.in_(LIVE))
        .scalar_subquery()
    )
    subscribers, subscriptions = session.execute(select(_people(SUBSCRIBER), live)).one()
    return BrandFigures(subscribers=subscribers, live_subscriptions=subscriptions)
