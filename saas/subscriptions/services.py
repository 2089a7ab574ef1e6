"""Subscribe, change, suspend, resume and cancel; every change an event with an effective time.

Immediate changes (upgrade, suspend, resume, cancel now, add-ons) take effect at the moment
given; downgrades and cancellations at period end are stored as scheduled events and applied
when they fall due (`apply_due`), so the state at any past or future instant can be answered
from the events alone (`state_at`, in `saas.subscriptions.events`). Every change first brings
the subscription up to date; with a cancellation coming, its plan can no longer change.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Bundle, joinedload, selectinload

from saas.catalog import models as M
from saas.catalog.periods import Period, local_date, period_containing, start_of_local_day
from saas.catalog.services import plan_record, redeemable
from saas.catalog.specs import CatalogError
from saas.customers import services as customers
from saas.customers.credit import services as credit_checks
from saas.customers.models import INDIVIDUAL, Account
from saas.db import DbSession, get_scoped, utcnow
from saas.errors import Term
from saas.identity.models import SUBSCRIBER, User
from saas.subscriptions import charges as C
from saas.subscriptions import cycles, hooks, notices
from saas.subscriptions.errors import CHANGE_OVER as CHANGE_OVER
from saas.subscriptions.errors import REFUSALS as REFUSALS
from saas.subscriptions.errors import SubscriptionError as SubscriptionError
from saas.subscriptions.errors import named as _name
from saas.subscriptions.events import (
    ADDON_ADDED,
    ADDON_REMOVED,
    CANCEL,
    MIGRATED,
    PLAN_CHANGED,
    RESUME,
    SUBSCRIBED,
    SUSPEND,
    Standing,
    active_addons,
    addon_credit,
    addon_period,
    apply_due,
    cancellation_coming,
    end_addons,
    period_on,
    standing,
)
from saas.subscriptions.events import ZONES as ZONES
from saas.subscriptions.events import State as State
from saas.subscriptions.events import history as history
from saas.subscriptions.events import record as _event
from saas.subscriptions.events import remember_zone as remember_zone
from saas.subscriptions.events import revoke as revoke
from saas.subscriptions.events import revoke_kind as _revoke_kind
from saas.subscriptions.events import scheduled as scheduled
from saas.subscriptions.events import shown_history as shown_history
from saas.subscriptions.events import state_at as state_at
from saas.subscriptions.events import zone as _zone
from saas.subscriptions.models import (
    ACTIVE,
    APPLIED,
    CANCELLED,
    SCHEDULED,
    SUSPENDED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)

# What the preview of a change that costs nothing says (the screens translate these keys).
NOTES = {
    "suspend": "recurring charges continue while suspended",
    "resume": "service is restored at once",
}


def current_period(
    session: DbSession, sub: Subscription, at: datetime, version: M.PlanVersion | None = None
) -> Period:
    """The billing period of the subscription (on `version`, default its own) with the instant."""
    interval = (version or sub.plan_version).billing_interval
    anchor = sub.anchor_date
    if interval != sub.plan_version.billing_interval:
        # A change of interval fallen due, not applied yet, has started a new period already.
        anchor = standing(session, sub, at).anchor_date
    return period_on(session, sub.tenant_id, anchor, interval, at)


def period_end_at(
    session: DbSession, sub: Subscription, at: datetime, version: M.PlanVersion | None = None
) -> datetime:
    """The instant the current period ends (local midnight in the brand's zone, as UTC)."""
    period = current_period(session, sub, at, version)
    return start_of_local_day(period.end, _zone(session, sub))


def _with_plan() -> Any:
    """Load what lists of subscriptions show: each one's plan version and its plan, joined."""
    version = joinedload(Subscription.plan_version, innerjoin=True)
    return version.joinedload(M.PlanVersion.plan, innerjoin=True)


def _with_addons() -> Any:
    """Load a subscription's add-ons with their versions and plans: one query for a page."""
    addons = selectinload(Subscription.addons)
    return addons.joinedload(SubscriptionAddOn.addon_version, innerjoin=True).joinedload(
        M.PlanVersion.plan, innerjoin=True
    )


def get(session: DbSession, ident: int) -> Subscription | None:
    """Return the brand's subscription with that id."""
    return get_scoped(session, Subscription, ident)


def of_subscriber(session: DbSession, user: User) -> list[Subscription]:
    """Return a subscriber's subscriptions, newest first, with the plans the lists name."""
    query = select(Subscription).filter_by(subscriber_id=user.id).options(_with_plan())
    return list(session.scalars(query.order_by(Subscription.id.desc())))


def held_by(session: DbSession, user: User) -> list[Subscription]:
    """A subscriber's subscriptions, newest first, each with its plan, promotion and add-ons.

    One query however many (a person holds a few lines, each a few add-ons: joined, not read
    again by id). Prices and allowances are the catalogue's: the portal reads them from the one
    it keeps in memory (saas.catalog.snapshot).
    """
    version = joinedload(Subscription.plan_version, innerjoin=True)
    addon = joinedload(Subscription.addons).joinedload(
        SubscriptionAddOn.addon_version, innerjoin=True
    )
    query = (
        select(Subscription)
        .filter_by(subscriber_id=user.id)
        .options(
            version.joinedload(M.PlanVersion.plan, innerjoin=True),
            joinedload(Subscription.promotion),
            addon.joinedload(M.PlanVersion.plan, innerjoin=True),
        )
    )
    return list(session.scalars(query.order_by(Subscription.id.desc())).unique())


def listing(session: DbSession, status: str | None = None) -> Any:
    """A query of the brand's subscriptions, newest first, for paging, with what a page shows."""
    query = (
        select(Subscription)
        .options(
            joinedload(Subscription.account, innerjoin=True),
            joinedload(Subscription.promotion),
            _with_plan(),
            _with_addons(),
        )
        .order_by(Subscription.id.desc())
    )
    return query.filter_by(status=status) if status else query


def summaries(status: str | None = None) -> Any:
    """A query of the brand's subscriptions as rows of what a list shows of each, newest first.

    One row per subscription with its account, plan version (and its plan) and promotion
    joined, each a dict of its columns: no objects are built, for pages that only show them.
    """
    query = _summaries()
    return query.where(Subscription.status == status) if status else query


class _Record(Bundle[Any]):
    """The columns of a joined record, read as a dict; None where an outer join found none."""

    def __init__(self, name: str, *columns: Any, outer: bool = False):
        super().__init__(name, *columns)
        self.outer = outer

    def create_row_processor(self, query: Any, procs: Any, labels: Any) -> Any:
        def record(row: Any) -> dict[str, Any] | None:
            values = [proc(row) for proc in procs]
            return (
                None if self.outer and values[0] is None else dict(zip(labels, values, strict=True))
            )

        return record


# Statements are immutable: built once per process, not once per request.
@cache
def _summaries() -> Any:
    version, plan = M.PlanVersion, M.Plan
    query = (
        select(
            Subscription.id,
            Subscription.subscriber_id,
            Subscription.line_label,
            Subscription.status,
            Subscription.anchor_date,
            Subscription.started_at,
            Subscription.ended_at,
            _Record("account", Account.id, Account.kind, Account.name),
            _Record(
                "plan_version",
                version.id,
                version.number,
                version.status,
                version.billing_interval,
                version.plan_id,
                _Record("plan", plan.code, plan.name, plan.currency),
            ),
            _Record("promotion", M.Promotion.id, M.Promotion.code, M.Promotion.name, outer=True),
        )
        .join(Account, Account.id == Subscription.account_id)
        .join(version, version.id == Subscription.plan_version_id)
        .join(plan, plan.id == version.plan_id)
        .outerjoin(M.Promotion, M.Promotion.id == Subscription.promotion_id)
        .order_by(Subscription.id.desc())
    )
    return query


# --- subscribe ------------------------------------------------------------------------------


def _sellable(version: M.PlanVersion, kind: str) -> None:
    if version.status != M.PUBLISHED or version.plan.kind != kind:
        raise SubscriptionError(
            "subscription.version_not_on_sale",
            plan_record(version.plan.code),
            "plan",
            number=version.number,
        )


def _promotion(
    session: DbSession, code: str | None, version: M.PlanVersion, at: datetime
) -> M.Promotion | None:
    if not code:
        return None
    try:
        return redeemable(session, code, version, at)
    except CatalogError as exc:
        raise SubscriptionError(exc.code, exc.record or "", exc.field, **exc.params) from None


def preview_subscribe(
    session: DbSession,
    version: M.PlanVersion,
    at: datetime,
    *,
    promo_code: str | None = None,
    fee_types: tuple[str, ...] = ("activation", "sim"),
    subscriber: User | None = None,
) -> C.Preview:
    """What subscribing costs now: one-time fees, the first period in advance, any discount.

    For a `subscriber`, a plan their credit class does not allow is refused first.
    """
    _sellable(version, M.PLAN)
    if subscriber is not None:
        credit_checks.may_sell(session, subscriber, version)
    currency = version.plan.currency
    promotion = _promotion(session, promo_code, version, at)
    day = local_date(at, _zone(session, version.tenant_id))
    period = period_containing(day, version.billing_interval, day)
    ends = cycles.promotion_ends_on(promotion, day, version.billing_interval)
    lines = C.one_time_fees(version, set(fee_types) | {"other"}) + C.full_period(version, period)
    discounts = C.discount(cycles.offered(promotion, ends, period.start), version, lines, currency)
    lines += discounts
    terms = None
    if promotion and discounts:
        terms = C.PromotionTerms.of(promotion, version, currency, ends)
    following = cycles.offered(promotion, ends, period.end)
    return C.Preview(
        action=SUBSCRIBED,
        effective_at=at,
        currency=currency,
        lines=lines,
        next_recurring=C.per_period(version, following, currency),
        plan_version_id=version.id,
        promotion=terms,
    )


def personal_account(session: DbSession, user: User) -> Account:
    """The subscriber's own account, created on first use."""
    account = session.scalar(select(Account).filter_by(holder_id=user.id, kind=INDIVIDUAL))
    if account is None:
        account = Account(kind=INDIVIDUAL, name=user.full_name or user.email, holder_id=user.id)
        session.add(account)
        session.flush()
    return account


def company_account(session: DbSession, name: str, holder: User) -> Account:
    """A company account whose lines may share allowances."""
    return customers.create_company(session, name, holder)


def _redeem(session: DbSession, promotion: M.Promotion) -> None:
    # One conditional UPDATE: two sign-ups racing for the last redemption cannot both win.
    done = session.execute(
        update(M.Promotion)
        .where(M.Promotion.id == promotion.id)
        .where(
            or_(
                M.Promotion.max_redemptions.is_(None),
                M.Promotion.redemptions < M.Promotion.max_redemptions,
            )
        )
        .values(redemptions=M.Promotion.redemptions + 1)
        .execution_options(synchronize_session="fetch")
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        record = Term("record.promo_code", code=promotion.promo_code)
        raise SubscriptionError("catalog.promo_used_up", record, "promo_code")


def subscribe(
    session: DbSession,
    subscriber: User,
    version: M.PlanVersion,
    at: datetime | None = None,
    *,
    account: Account | None = None,
    line_label: str = "",
    promo_code: str | None = None,
    fee_types: tuple[str, ...] = ("activation", "sim"),
) -> Subscription:
    """Subscribe a subscriber (or a line of a company account) to a published plan version."""
    at = at or utcnow()
    if subscriber.kind != SUBSCRIBER:
        record = Term("record.person", email=subscriber.email)
        raise SubscriptionError("subscription.not_a_subscriber", record)
    preview = preview_subscribe(
        session, version, at, promo_code=promo_code, fee_types=fee_types, subscriber=subscriber
    )
    promotion = _promotion(session, promo_code, version, at)
    if promotion is not None:
        _redeem(session, promotion)
    anchor = local_date(at, _zone(session, version.tenant_id))
    sub = Subscription(
        account=account or personal_account(session, subscriber),
        subscriber=subscriber,
        line_label=line_label.strip(),
        plan_version=version,
        status=ACTIVE,
        anchor_date=anchor,
        started_at=at,
        promotion=promotion,
        promotion_ends_on=cycles.promotion_ends_on(promotion, anchor, version.billing_interval),
    )
    session.add(sub)
    session.flush()
    data = {"plan_version_id": version.id, "status": ACTIVE, "promotion_id": sub.promotion_id}
    _event(session, sub, SUBSCRIBED, at, data | {"charges": preview.to_json()})
    notices.subscribed(session, sub, preview)
    return sub


# --- plan changes ---------------------------------------------------------------------------


def _live(session: DbSession, sub: Subscription, at: datetime) -> None:
    apply_due(session, at, sub)
    if sub.status == CANCELLED:
        raise SubscriptionError("subscription.cancelled", _name(sub))


def _no_cancellation_coming(session: DbSession, sub: Subscription, at: datetime) -> None:
    # Nothing takes effect after a cancellation: call it off before changing the plan.
    if cancellation_coming(session, sub, at):
        raise SubscriptionError("subscription.cancellation_scheduled", _name(sub), "plan")


def is_upgrade(old: M.PlanVersion, new: M.PlanVersion) -> bool:
    """An upgrade costs at least as much per period on the same interval; it applies at once."""
    same_interval = old.billing_interval == new.billing_interval
    return same_interval and new.recurring_total() >= old.recurring_total()


def preview_change(
    session: DbSession, sub: Subscription, version: M.PlanVersion, at: datetime
) -> C.Preview:
    """Price a plan change: prorated now for an upgrade, nothing until period end otherwise."""
    old = standing(session, sub, at).plan_version
    _no_cancellation_coming(session, sub, at)
    _sellable(version, M.PLAN)
    credit_checks.may_hold(session, sub.subscriber, version)
    if version.id == old.id:
        raise SubscriptionError("subscription.same_version", _name(sub), "plan", version=old.label)
    if version.plan.currency != old.plan.currency:
        raise SubscriptionError(
            "subscription.currency_change",
            _name(sub),
            "plan",
            old=old.plan.currency,
            new=version.plan.currency,
        )
    currency = old.plan.currency
    period = current_period(session, sub, at, old)
    # Each price asks the promotion rule for its own period: this one, and the one that follows.
    following = C.per_period(version, cycles.discounting(sub, period.end), currency)
    if not is_upgrade(old, version):
        return C.Preview(
            action="downgrade",
            effective_at=period_end_at(session, sub, at, old),
            currency=currency,
            next_recurring=following,
            plan_version_id=version.id,
            notes=["takes effect at period end"],
        )
    day = local_date(at, _zone(session, sub))
    promotion = cycles.discounting(sub, period.start)
    credit = C.from_day(C.PRORATION_CREDIT, old, period, day, currency)
    credit += C.discount(promotion, old, credit, currency)
    charge = C.from_day(C.PRORATION_CHARGE, version, period, day, currency)
    charge += C.discount(promotion, version, charge, currency)
    return C.Preview(
        action="upgrade",
        effective_at=at,
        currency=currency,
        lines=credit + charge,
        next_recurring=following,
        plan_version_id=version.id,
    )


def change_plan(
    session: DbSession, sub: Subscription, version: M.PlanVersion, at: datetime | None = None
) -> SubscriptionEvent:
    """Upgrade at once (prorated) or schedule a downgrade for period end."""
    at = at or utcnow()
    _live(session, sub, at)
    preview = preview_change(session, sub, version, at)
    # The subscriber's own choice replaces any scheduled move, theirs or the brand's.
    _revoke_kind(session, sub, {PLAN_CHANGED, MIGRATED})
    data = {
        "from_version_id": sub.plan_version_id,
        "plan_version_id": version.id,
        "direction": preview.action,
        "charges": preview.to_json(),
    }
    if version.billing_interval != sub.plan_version.billing_interval:
        # A new interval starts a new period at the change: periods count from its local day.
        data["anchor_date"] = local_date(preview.effective_at, _zone(session, sub)).isoformat()
    state = APPLIED if preview.action == "upgrade" else SCHEDULED
    old = sub.plan_version
    event = _event(session, sub, PLAN_CHANGED, preview.effective_at, data, state)
    notices.plan_changed(session, sub, old, version, preview)
    return event


# --- suspend, resume, cancel ----------------------------------------------------------------


def _at_no_cost(session: DbSession, now: Standing, at: datetime, action: str) -> C.Preview:
    """What a change that costs nothing costs: nothing now, the recurring price runs on."""
    currency = now.plan_version.plan.currency
    period = current_period(session, now.sub, at, now.plan_version)
    promotion = cycles.discounting(now.sub, period.end)
    next_recurring = C.per_period(now.plan_version, promotion, currency)
    return C.Preview(action, at, currency, next_recurring=next_recurring, notes=[NOTES[action]])


def preview_suspend(session: DbSession, sub: Subscription, at: datetime) -> C.Preview:
    """What suspending costs: nothing now; recurring charges continue while suspended."""
    now = standing(session, sub, at)
    if now.status != ACTIVE:
        raise SubscriptionError("subscription.suspended_already", _name(sub))
    return _at_no_cost(session, now, at, "suspend")


def preview_resume(session: DbSession, sub: Subscription, at: datetime) -> C.Preview:
    """What resuming costs: nothing now; service is restored at once."""
    now = standing(session, sub, at)
    if now.status != SUSPENDED:
        raise SubscriptionError("subscription.not_suspended", _name(sub))
    return _at_no_cost(session, now, at, "resume")


def suspend(
    session: DbSession, sub: Subscription, at: datetime | None = None, reason: str = ""
) -> SubscriptionEvent:
    """Bar the line from service; recurring charges continue (the contract runs on)."""
    at = at or utcnow()
    _live(session, sub, at)
    preview_suspend(session, sub, at)
    event = _event(session, sub, SUSPEND, at, {"status": SUSPENDED, "reason": reason.strip()})
    hooks.service_changed(session, sub, event)
    return event


def resume(session: DbSession, sub: Subscription, at: datetime | None = None) -> SubscriptionEvent:
    """Restore service on a suspended line."""
    at = at or utcnow()
    _live(session, sub, at)
    preview_resume(session, sub, at)
    event = _event(session, sub, RESUME, at, {"status": ACTIVE})
    hooks.service_changed(session, sub, event)
    return event


def preview_cancel(
    session: DbSession, sub: Subscription, at: datetime, when: str = "now"
) -> C.Preview:
    """What cancelling returns: a prorated credit for the unused days now, nothing at period end."""
    version = standing(session, sub, at).plan_version
    currency = version.plan.currency
    if when == "period_end":
        end = period_end_at(session, sub, at, version)
        return C.Preview(
            "cancel_at_period_end", end, currency, notes=["takes effect at period end"]
        )
    if when != "now":
        raise SubscriptionError("subscription.cancel_when", _name(sub), "when", when=when)
    day = local_date(at, _zone(session, sub))
    period = current_period(session, sub, at, version)
    # Credited on what the period was charged: its discount too, if the promotion covered it.
    lines = C.from_day(C.PRORATION_CREDIT, version, period, day, currency)
    lines += C.discount(cycles.discounting(sub, period.start), version, lines, currency)
    for addon in active_addons(sub):
        lines += addon_credit(session, addon, at)
    return C.Preview("cancel", at, currency, lines=lines)


def cancel(
    session: DbSession,
    sub: Subscription,
    at: datetime | None = None,
    when: str = "now",
    reason: str = "",
) -> SubscriptionEvent:
    """Cancel now (prorated credit) or at the end of the current period."""
    at = at or utcnow()
    _live(session, sub, at)
    preview = preview_cancel(session, sub, at, when)
    _revoke_kind(session, sub, {CANCEL})
    data = {"status": CANCELLED, "reason": reason.strip(), "charges": preview.to_json()}
    state = APPLIED if when == "now" else SCHEDULED
    event = _event(session, sub, CANCEL, preview.effective_at, data, state)
    # Nothing takes effect after a cancellation; the add-ons end with it.
    _revoke_kind(session, sub, {PLAN_CHANGED, MIGRATED}, since=preview.effective_at)
    if when == "now":
        end_addons(session, sub, event, credited=True)
        hooks.service_changed(session, sub, event)
    notices.cancelled(session, sub, preview)
    return event


# --- add-ons --------------------------------------------------------------------------------


def preview_addon(
    session: DbSession, sub: Subscription, version: M.PlanVersion, at: datetime
) -> C.Preview:
    """What adding an add-on costs now: its one-time price and the rest of this period."""
    held = standing(session, sub, at).plan_version
    _sellable(version, M.ADDON)
    currency = held.plan.currency
    if version.plan.currency != currency:
        raise SubscriptionError(
            "subscription.addon_currency",
            _name(sub),
            "addon",
            addon=version.plan.name,
            currency=version.plan.currency,
        )
    day = local_date(at, _zone(session, sub))
    lines = C.one_time_fees(version, set(M.FEE_TYPES))
    lines += C.from_day(
        C.PRORATION_CHARGE, version, addon_period(session, sub, version, at), day, currency
    )
    return C.Preview(
        ADDON_ADDED, at, currency, lines, C.per_period(version, None, currency), version.id
    )


def add_addon(
    session: DbSession, sub: Subscription, version: M.PlanVersion, at: datetime | None = None
) -> SubscriptionAddOn:
    """Add an add-on or booster to the subscription, effective now."""
    at = at or utcnow()
    _live(session, sub, at)
    preview = preview_addon(session, sub, version, at)
    addon = SubscriptionAddOn(subscription=sub, addon_version=version, status=ACTIVE, started_at=at)
    session.add(addon)
    session.flush()
    data = {
        "subscription_addon_id": addon.id,
        "addon_version_id": version.id,
        "addon_status": ACTIVE,
        "charges": preview.to_json(),
    }
    _event(session, sub, ADDON_ADDED, at, data)
    return addon


def preview_remove_addon(session: DbSession, addon: SubscriptionAddOn, at: datetime) -> C.Preview:
    """What ending an add-on now returns: a credit for the unused days of its recurring price."""
    sub = addon.subscription
    held = standing(session, sub, at).plan_version
    if addon.status != ACTIVE:
        raise SubscriptionError("subscription.addon_ended", _name(sub), "item", addon=addon.id)
    return C.Preview(ADDON_REMOVED, at, held.plan.currency, addon_credit(session, addon, at))


def remove_addon(
    session: DbSession, addon: SubscriptionAddOn, at: datetime | None = None
) -> SubscriptionEvent:
    """End an add-on now, crediting the unused days of its recurring price."""
    at = at or utcnow()
    sub = addon.subscription
    _live(session, sub, at)
    preview = preview_remove_addon(session, addon, at)
    data = {
        "subscription_addon_id": addon.id,
        "addon_version_id": addon.addon_version_id,
        "addon_status": CANCELLED,
        "charges": preview.to_json(),
    }
    return _event(session, sub, ADDON_REMOVED, at, data)
