"""Who holds what: the subscriptions taken with a promotion."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from saas.catalog import models as M
from saas.db import DbSession
from saas.subscriptions.models import Subscription


def took_promotion(session: DbSession, promotion: M.Promotion) -> list[Subscription]:
    """The subscriptions taken with a promotion, newest first, with subscriber and plan."""
    query = (
        select(Subscription)
        .filter_by(promotion_id=promotion.id)
        .options(
            selectinload(Subscription.subscriber),
            selectinload(Subscription.plan_version).selectinload(M.PlanVersion.plan),
        )
        .order_by(Subscription.started_at.desc(), Subscription.id.desc())
    )
    return list(session.scalars(query))
