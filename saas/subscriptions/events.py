"""A subscription's history: its events, what each sets, and the state they add up to.

Every change is an event with the instant it takes effect. Scheduled ones are applied when they
fall due (`apply_due`); the state at any instant is replayed from the events alone (`state_at`).
A cancellation ends everything: its add-ons end with it, and nothing takes effect after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import object_session

from saas.catalog import models as M
from saas.catalog.periods import Period, local_date, period_containing
from saas.db import DbSession, fixed_limit, get_scoped, read, scoped, utcnow
from saas.identity.actor import current_actor
from saas.subscriptions import charges as C
from saas.subscriptions import hooks
from saas.subscriptions.errors import CHANGE_OVER, SubscriptionError, named
from saas.subscriptions.models import (
    ACTIVE,
    APPLIED,
    CANCELLED,
    REVOKED,
    SCHEDULED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)
from saas.tenancy.models import Tenant

SUBSCRIBED = "subscribed"
PLAN_CHANGED = "plan_changed"
MIGRATED = "migrated"
SUSPEND = "suspended"
RESUME = "resumed"
CANCEL = "cancelled"
ADDON_ADDED = "addon_added"
ADDON_REMOVED = "addon_removed"
ZONES = "tenant_zones"
BY_TIME = (SubscriptionEvent.effective_at, SubscriptionEvent.id)


def remember_zone(session: DbSession, tenant_id: int, zone: str) -> None:
    """Tell the session a brand's time zone, known already, so periods need not read the brand."""
    session.info.setdefault(ZONES, {})[tenant_id] = zone


def zone(session: DbSession, sub_or_tenant_id: Subscription | int) -> str:
    """The time zone of a subscription's brand (or a brand's, by id)."""
    tenant_id = (
        sub_or_tenant_id if isinstance(sub_or_tenant_id, int) else sub_or_tenant_id.tenant_id
    )
    # Remembered for the session: the identity map holds rows weakly, so a get() per
    # subscription of a page would read the brand again each time.
    zones: dict[int, str] = session.info.setdefault(ZONES, {})
    if tenant_id not in zones:
        tenant = session.get(Tenant, tenant_id)
        assert tenant is not None
        zones[tenant_id] = tenant.timezone
    return zones[tenant_id]


@dataclass
class State:
    """A subscription as it stood at one instant."""

    at: datetime
    plan_version_id: int
    status: str
    addon_version_ids: dict[int, int] = field(default_factory=dict)
    promotion_id: int | None = None
    anchor_date: date | None = None  # periods count from this local date


def ends(event: SubscriptionEvent) -> bool:
    """Whether the event is a cancellation: the subscription ends when it takes effect."""
    return event.data.get("status") == CANCELLED


def record(
    session: DbSession,
    sub: Subscription,
    kind: str,
    at: datetime,
    data: dict[str, Any],
    state: str = APPLIED,
) -> SubscriptionEvent:
    """Store an event of the subscription; an applied one changes its current state at once."""
    event = SubscriptionEvent(
        subscription=sub,
        kind=kind,
        state=state,
        effective_at=at,
        actor_label=current_actor().label,
        data=data,
    )
    session.add(event)
    if state == APPLIED:
        project(sub, event)
    session.flush()
    return event


def project(sub: Subscription, event: SubscriptionEvent) -> None:
    """Bring the subscription's current state in line with one event."""
    data = event.data
    if "plan_version_id" in data:
        # The version itself, not only its id: what is priced next reads it before any flush.
        session = object_session(sub)
        version = session.get(M.PlanVersion, data["plan_version_id"]) if session else None
        if version is not None:
            sub.plan_version = version
        sub.plan_version_id = data["plan_version_id"]
    if "anchor_date" in data:
        sub.anchor_date = date.fromisoformat(data["anchor_date"])
    if "status" in data:
        sub.status = data["status"]
    if ends(event):
        sub.ended_at = event.effective_at
    if "addon_status" in data:
        for addon in sub.addons:
            if addon.id == data["subscription_addon_id"]:
                addon.status = data["addon_status"]
                addon.ended_at = event.effective_at if addon.status != ACTIVE else None


def _replay(state: State, event: SubscriptionEvent) -> None:
    data = event.data
    state.plan_version_id = data.get("plan_version_id", state.plan_version_id)
    state.status = data.get("status", state.status)
    state.promotion_id = data.get("promotion_id", state.promotion_id)
    if "anchor_date" in data:
        state.anchor_date = date.fromisoformat(data["anchor_date"])
    if ends(event):
        state.addon_version_ids.clear()  # the add-ons end with the subscription
    elif data.get("addon_status") == ACTIVE:
        state.addon_version_ids[data["subscription_addon_id"]] = data["addon_version_id"]
    elif "addon_status" in data:
        state.addon_version_ids.pop(data["subscription_addon_id"], None)


def _before_the_end(events: list[SubscriptionEvent]) -> list[SubscriptionEvent]:
    """The events that count: a cancellation, and what takes effect before it.

    At the cancellation's own instant, what took effect before it was recorded (the subscription
    itself, for a cancellation the moment it began) counts; a change scheduled for that instant
    never takes effect.
    """
    cancel = next((e for e in events if ends(e)), None)
    if cancel is None:
        return events
    end = cancel.effective_at
    return [
        e
        for e in events
        if e.effective_at < end
        or ends(e)
        or (e.effective_at == end and e.id < cancel.id and e.state == APPLIED)
    ]


def state_at(session: DbSession, sub: Subscription, at: datetime) -> State | None:
    """The subscription as it stood (or, with scheduled changes, will stand) at an instant."""
    events = session.scalars(
        select(SubscriptionEvent)
        .filter_by(subscription_id=sub.id)
        .where(SubscriptionEvent.state != REVOKED, SubscriptionEvent.effective_at <= at)
        .order_by(*BY_TIME)
    ).all()
    if not events:
        return None
    start = local_date(sub.started_at, zone(session, sub))
    state = State(at=at, plan_version_id=0, status=ACTIVE, anchor_date=start)
    for event in _before_the_end(list(events)):
        _replay(state, event)
    return state


@dataclass(frozen=True)
class Standing:
    """A subscription at an instant with the changes due by then counted in, none applied."""

    sub: Subscription
    plan_version: M.PlanVersion
    status: str
    anchor_date: date


def standing(session: DbSession, sub: Subscription, at: datetime) -> Standing:
    """How a subscription stands at an instant, for pricing: due changes counted, none written."""
    version, status, anchor = sub.plan_version, sub.status, sub.anchor_date
    for event in _before_the_end(due(session, sub, at)):
        if "plan_version_id" in event.data:
            found = get_scoped(session, M.PlanVersion, event.data["plan_version_id"])
            version = found if found is not None else version
        if "anchor_date" in event.data:
            anchor = date.fromisoformat(event.data["anchor_date"])
        status = event.data.get("status", status)
    if status == CANCELLED:
        raise SubscriptionError("subscription.cancelled", named(sub))
    return Standing(sub, version, status, anchor)


def due(session: DbSession, sub: Subscription, at: datetime) -> list[SubscriptionEvent]:
    """The subscription's scheduled changes that have fallen due by the instant, unapplied."""
    query = select(SubscriptionEvent).filter_by(subscription_id=sub.id, state=SCHEDULED)
    query = query.where(SubscriptionEvent.effective_at <= at)
    return list(session.scalars(query.order_by(*BY_TIME)))


def history(session: DbSession, sub: Subscription) -> list[SubscriptionEvent]:
    """Every event of the subscription, revoked ones included, by effective time."""
    query = select(SubscriptionEvent).filter_by(subscription_id=sub.id)
    return list(session.scalars(query.order_by(*BY_TIME)))


def shown_history(session: DbSession, sub_id: int) -> list[Any]:
    """Every event of the subscription as plain rows (its columns), by effective time.

    For pages that only show the history: no objects are built (saas.db.read).
    """
    return list(read(session, _shown_history(), {"subscription": sub_id}))


@cache
def _shown_history() -> Any:
    columns = [getattr(SubscriptionEvent, c.key) for c in SubscriptionEvent.__table__.columns]
    query = select(*columns).where(SubscriptionEvent.subscription_id == bindparam("subscription"))
    return scoped(query.order_by(*BY_TIME))


def scheduled(session: DbSession, sub: Subscription) -> list[SubscriptionEvent]:
    """Changes waiting to take effect."""
    return [e for e in history(session, sub) if e.state == SCHEDULED]


def cancellation_coming(session: DbSession, sub: Subscription, at: datetime) -> bool:
    """Whether a cancellation is scheduled to take effect after the instant."""
    query = select(SubscriptionEvent.id).filter_by(
        subscription_id=sub.id, kind=CANCEL, state=SCHEDULED
    )
    return (
        session.scalar(query.where(SubscriptionEvent.effective_at > at).limit(fixed_limit(1)))
        is not None
    )


def apply_due(
    session: DbSession, now: datetime | None = None, sub: Subscription | None = None
) -> int:
    """Apply the scheduled changes fallen due (of one subscription, or all); count those applied."""
    query = select(SubscriptionEvent).where(
        SubscriptionEvent.state == SCHEDULED, SubscriptionEvent.effective_at <= (now or utcnow())
    )
    if sub is not None:
        query = query.filter_by(subscription_id=sub.id)
    # At one instant a cancellation goes first: what was due with it never takes effect.
    due_now = sorted(session.scalars(query), key=lambda e: (e.effective_at, not ends(e), e.id))
    applied = sum(_take_effect(session, event) for event in due_now)
    session.flush()
    return applied


def _take_effect(session: DbSession, event: SubscriptionEvent) -> bool:
    sub = event.subscription
    if sub.status == CANCELLED:
        event.state = REVOKED  # nothing takes effect after a cancellation
        return False
    event.state = APPLIED
    project(sub, event)
    if ends(event):
        end_addons(session, sub, event)
    if ends(event) or event.kind in (SUSPEND, RESUME):
        hooks.service_changed(session, sub, event)
    return True


def active_addons(sub: Subscription) -> list[SubscriptionAddOn]:
    """The add-ons the subscription holds now."""
    return [a for a in sub.addons if a.status == ACTIVE]


def period_on(
    session: DbSession, tenant_id: int, anchor: date, interval: str, at: datetime
) -> Period:
    """The billing period, anchored on a local date of the brand, that holds the instant."""
    day = max(local_date(at, zone(session, tenant_id)), anchor)
    return period_containing(anchor, interval, day)


def addon_period(
    session: DbSession, sub: Subscription, version: M.PlanVersion, at: datetime
) -> Period:
    """The add-on's period with the instant: its own interval, on the subscription's anchor."""
    return period_on(session, sub.tenant_id, sub.anchor_date, version.billing_interval, at)


def addon_credit(session: DbSession, addon: SubscriptionAddOn, at: datetime) -> list[C.Line]:
    """The credit for an add-on's unused days from the instant on, over its own period."""
    sub, version = addon.subscription, addon.addon_version
    day = local_date(at, zone(session, sub))
    period = addon_period(session, sub, version, at)
    return C.from_day(C.PRORATION_CREDIT, version, period, day, version.plan.currency)


def end_addons(
    session: DbSession, sub: Subscription, cancellation: SubscriptionEvent, credited: bool = False
) -> None:
    """End every add-on the subscription holds when its cancellation takes effect.

    A cancellation now was confirmed with its add-ons' credits (`credited`): their events charge
    nothing. At a period end each add-on is credited what its own period, begun before the
    cancellation, has left: nothing for one on the plan's interval, the rest of the year for a
    yearly one; a period that would start at the cancellation is never charged.
    """
    at, currency = cancellation.effective_at, sub.plan_version.plan.currency
    day = local_date(at, zone(session, sub))
    for addon in active_addons(sub):
        lines = [] if credited else addon_credit(session, addon, at)
        lines = [line for line in lines if line.period is not None and line.period.start < day]
        data = {
            "subscription_addon_id": addon.id,
            "addon_version_id": addon.addon_version_id,
            "addon_status": CANCELLED,
            "cancellation_event_id": cancellation.id,
            "charges": C.Preview(ADDON_REMOVED, at, currency, lines).to_json(),
        }
        record(session, sub, ADDON_REMOVED, at, data)


def revoke(session: DbSession, event: SubscriptionEvent, at: datetime | None = None) -> None:
    """Call off a scheduled change before it takes effect (the subscription brought up to date)."""
    apply_due(session, at or utcnow(), event.subscription)
    if event.state != SCHEDULED:
        raise SubscriptionError(CHANGE_OVER[event.state], named(event.subscription))
    event.state = REVOKED
    session.flush()


def revoke_kind(
    session: DbSession, sub: Subscription, kinds: set[str], since: datetime | None = None
) -> None:
    """Call off the subscription's scheduled changes of some kinds (due at or after `since`)."""
    for event in scheduled(session, sub):
        if event.kind in kinds and (since is None or event.effective_at >= since):
            event.state = REVOKED
