"""Rated records as the screens read them: a line's, a subscriber's, up to the last rated batch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from saas.db import DbSession
from saas.usage.models import UsageChunk, UsageRecord


def of_line(session: DbSession, line_id: int, limit: int = 200) -> list[UsageRecord]:
    """The line's latest rated records, newest first."""
    stmt = (
        select(UsageRecord)
        .filter_by(line_id=line_id)
        .order_by(UsageRecord.started_at.desc(), UsageRecord.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def of_subscriptions(
    session: DbSession, subscription_ids: list[int], limit: int = 200
) -> list[UsageRecord]:
    """The subscriptions' latest rated records, newest first."""
    if not subscription_ids:
        return []
    stmt = (
        select(UsageRecord)
        .where(UsageRecord.subscription_id.in_(subscription_ids))
        .order_by(UsageRecord.started_at.desc(), UsageRecord.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def last_rated_at(session: DbSession) -> datetime | None:
    """When the brand's last batch of usage was rated: what is shown is complete up to then."""
    return session.scalar(select(func.max(UsageChunk.done_at)))
