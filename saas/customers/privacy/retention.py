"""The retention rules: which personal data has been kept long enough, and erasing it.

A subscriber's identity numbers, document data and bureau answers are kept for the brand's
period after their last line ended (every subscription cancelled and every line terminated);
a sign-up's personal answers for that period after it was rejected, or after it was abandoned
(a draft nobody touched for 30 days). `erase_due` is idempotent: what is erased is empty, and
a run that finds nothing left writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from saas.customers.kyc.models import KycCase
from saas.customers.onboarding.models import DRAFT, REJECTED, Application
from saas.customers.onboarding.services import DRAFT_LIFETIME
from saas.customers.privacy import erasure, holdings, parts, settings
from saas.customers.privacy.models import LINE_ENDED, SIGNUP_ABANDONED, SIGNUP_REJECTED, Erasure
from saas.db import DbSession, get_scoped, utcnow
from saas.identity.models import User
from saas.network.models import TERMINATED, Line
from saas.subscriptions.models import CANCELLED, Subscription

# Why the platform steps into each brand to erase, as the audit log records the crossing.
CROSSING = "erase personal data kept long enough"


@dataclass(frozen=True)
class Due:
    """Personal data whose period has run: whose, by which rule, since when."""

    rule: str
    since: datetime
    subscriber_id: int | None = None
    application_id: int | None = None


def cutoff(session: DbSession, now: datetime) -> datetime:
    """What ended before this instant has been kept for the brand's whole period."""
    return now - timedelta(days=settings.of_brand(session).retention_days)


def _live(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """How many rows of a group meet the condition."""
    return func.sum(case((condition, 1), else_=0))


def ended_lines(session: DbSession, before: datetime) -> Iterator[Due]:
    """Subscribers whose subscriptions all ended and lines all terminated before `before`."""
    sub_end, line_end = func.max(Subscription.ended_at), func.max(Line.changed_at)
    stmt = (
        select(Subscription.subscriber_id, sub_end, line_end)
        .outerjoin(Line, Line.subscription_id == Subscription.id)
        .group_by(Subscription.subscriber_id)
        .having(
            _live(Subscription.status != CANCELLED) == 0,
            _live(and_(Line.id.is_not(None), Line.state != TERMINATED)) == 0,
            sub_end <= before,
            or_(line_end.is_(None), line_end <= before),
        )
        .order_by(Subscription.subscriber_id)
    )
    for person_id, ended, terminated in session.execute(stmt):
        last = max(moment for moment in (ended, terminated) if moment is not None)
        yield Due(LINE_ENDED, last, subscriber_id=person_id)


def _not_erased() -> ColumnElement[bool]:
    return ~exists().where(Erasure.application_id == Application.id)


def ended_signups(session: DbSession, before: datetime) -> Iterator[Due]:
    """Sign-ups rejected, or abandoned as drafts, before `before`, not erased yet."""
    rejected = and_(Application.status == REJECTED, Application.decided_at <= before)
    abandoned = and_(Application.status == DRAFT, Application.updated_at <= before - DRAFT_LIFETIME)
    stmt = select(Application).where(or_(rejected, abandoned), _not_erased())
    for application in session.scalars(stmt.order_by(Application.id)):
        if application.status == REJECTED and application.decided_at is not None:
            yield Due(SIGNUP_REJECTED, application.decided_at, application_id=application.id)
        else:
            since = application.updated_at + DRAFT_LIFETIME
            yield Due(SIGNUP_ABANDONED, since, application_id=application.id)


def due(session: DbSession, now: datetime | None = None) -> list[Due]:
    """Whose personal data has been kept for the brand's whole period by `now`."""
    before = cutoff(session, now or utcnow())
    return [*ended_lines(session, before), *ended_signups(session, before)]


def _signup_rows(session: DbSession, application: Application) -> list[object]:
    """A sign-up and the identity check it made, unless that belongs to a subscriber now."""
    rows: list[object] = [application]
    made = get_scoped(session, KycCase, int(application.outcome.get("kyc_case") or 0))
    if made is not None and made.subscriber_id is None:
        rows += [made, *([made.mandate] if made.mandate is not None else [])]
    return rows


def erase(session: DbSession, item: Due) -> Erasure | None:
    """Erase what one due item still holds; None when nothing was left."""
    if item.subscriber_id is not None:
        person = session.get_one(User, item.subscriber_id)
        held = holdings.of(session, person)
        return erasure.erase_holdings(session, held, item.rule, since=item.since)
    application = session.get_one(Application, item.application_id)
    items = parts.erase(_signup_rows(session, application))
    if not items:
        return None
    session.flush()
    return erasure.record(
        session, items, item.rule, application_id=application.id, since=item.since
    )


def erase_due(session: DbSession, now: datetime | None = None) -> list[Erasure]:
    """Erase the brand's personal data whose period has run; what was erased, each recorded."""
    done = (erase(session, item) for item in due(session, now))
    return [e for e in done if e is not None]
