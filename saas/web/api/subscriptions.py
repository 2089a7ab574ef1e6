"""API endpoints of subscriptions: list, read, preview and make changes."""

from __future__ import annotations

from typing import Any

from pydantic import MISSING
from werkzeug.exceptions import NotFound

from saas.catalog.models import PlanVersion
from saas.customers import services as customers
from saas.customers.models import Account
from saas.db import db, utcnow
from saas.identity.models import User
from saas.subscriptions import listing
from saas.subscriptions import services as subs
from saas.subscriptions.models import (
    CANCELLED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)
from saas.web.api.contract import route
from saas.web.api.models import subscriptions as models
from saas.web.api.pagination import PageQuery, paginate
from saas.web.api.records import found, subscriber

READ, WRITE = "subscriptions.read", "subscriptions.write"
SUB = "/subscriptions/<int:subscription_id>"


PREVIEW = (READ, models.Preview)
CHANGE = (WRITE, models.SubscriptionChange)


# Reading


@route("GET /subscriptions", READ, models.SubscriptionPage)
def list_subscriptions(query: models.SubscriptionQuery) -> Any:
    """Subscriptions, newest first, optionally by status or subscriber."""
    stmt = subs.summaries(query.status)
    if query.subscriber_id is not None:
        stmt = stmt.where(Subscription.subscriber_id == query.subscriber_id)
    rows, cursor = paginate(
        db.session, stmt, Subscription.id, query, newest_first=True, columns=True
    )
    pending, addons = listing.waiting_and_held(db.session, [r.id for r in rows])
    now = utcnow()
    return [_summarised(r, addons[r.id], pending[r.id], now) for r in rows], cursor


def _summarised(row: Any, addons: list[Any], pending: list[Any], now: Any) -> Any:
    """A subscription of a page, from its row, as the body `Subscription` reads."""
    period = (
        subs.period_on(db.session, row.tenant_id, row.anchor_date, row.billing_interval, now)
        if row.status != CANCELLED
        else None
    )
    promoted = row.promotion_id is not None
    return {
        "id": row.id,
        "subscriber_id": row.subscriber_id,
        "account": {"id": row.account_id, "kind": row.account_kind, "name": row.account_name},
        "line_label": row.line_label,
        "plan_version": {
            "id": row.version_id,
            "number": row.version_number,
            "status": row.version_status,
            "plan_id": row.plan_id,
            "plan": {"code": row.plan_code, "name": row.plan_name, "currency": row.currency},
            "billing_interval": row.billing_interval,
        },
        "status": row.status,
        "anchor_date": row.anchor_date,
        "current_period": {"start": period.start, "end": period.end} if period else None,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "addons": [_addon_summary(a) for a in addons],
        "promotion": (
            {"id": row.promotion_id, "code": row.promotion_code, "name": row.promotion_name}
            if promoted
            else None
        ),
        "scheduled": pending,
    }


def _addon_summary(addon: dict[str, Any]) -> dict[str, Any]:
    plan = {"code": addon["plan_code"], "name": addon["plan_name"]}
    version = {"id": addon["version_id"], "plan": plan}
    return {"id": addon["id"], "addon_version": version, "started_at": addon["started_at"]}


@route(f"GET {SUB}", READ, models.Subscription)
def get_subscription(subscription: Subscription) -> Any:
    """A subscription as it stands, with its period, add-ons and scheduled changes."""
    return subscription


@route(f"GET {SUB}/events", READ, models.SubscriptionEventList)
def list_subscription_events(subscription: Subscription) -> Any:
    """Every change of a subscription by effective time, revoked ones included."""
    return {"data": subs.history(db.session, subscription)}


@route(f"GET {SUB}/state", READ, models.SubscriptionState)
def get_subscription_state(subscription: Subscription, query: models.StateQuery) -> Any:
    """How a subscription stood, or will stand after scheduled changes; 404 before it started."""
    state = subs.state_at(db.session, subscription, query.at)
    if state is None:
        raise NotFound(f"Subscription {subscription.id} had not started at {query.at.isoformat()}.")
    return models.SubscriptionState.of(state, subscription_id=subscription.id)


# Subscribing


def _company(account_id: int) -> Account:
    account = customers.get_company(db.session, account_id)
    if account is None:
        raise NotFound(f"There is no company account {account_id} at this brand.")
    return account


def _joined(person: User, body: models.NewSubscription) -> Account | None:
    """The account the new line joins: a company's, a new company's, or (None) the person's."""
    if body.account_id is not MISSING:
        return _company(body.account_id)
    if body.company_account_name is MISSING:
        return None
    return customers.create_company(db.session, body.company_account_name, person)


@route("POST /subscriptions/preview", *PREVIEW)
def preview_subscription(body: models.NewSubscription) -> Any:
    """Price a subscription before it is made: fees, the first period, any discount."""
    subscriber(body.subscriber_id)
    version = found(PlanVersion, body.plan_version_id)
    if body.account_id is not MISSING:
        _company(body.account_id)
    preview = subs.preview_subscribe(db.session, version, utcnow(), promo_code=body.promo_code)
    return preview.to_json()


@route("POST /subscriptions", WRITE, models.Subscription, created=True)
def create_subscription(body: models.NewSubscription) -> Any:
    """Subscribe a subscriber to a published plan version."""
    person, version = subscriber(body.subscriber_id), found(PlanVersion, body.plan_version_id)
    return subs.subscribe(
        db.session,
        person,
        version,
        account=_joined(person, body),
        promo_code=body.promo_code,
        line_label=body.line_label,
    )


# Plan changes


@route(f"POST {SUB}/plan-change/preview", *PREVIEW)
def preview_plan_change(subscription: Subscription, body: models.VersionChoice) -> Any:
    """Price a plan change: an upgrade prorated now, a downgrade at period end."""
    version = found(PlanVersion, body.plan_version_id)
    return subs.preview_change(db.session, subscription, version, utcnow()).to_json()


@route(f"POST {SUB}/plan-change", *CHANGE)
def apply_plan_change(subscription: Subscription, body: models.VersionChoice) -> Any:
    """Upgrade now (prorated) or schedule a downgrade for period end."""
    return subs.change_plan(db.session, subscription, found(PlanVersion, body.plan_version_id))


# Cancel, suspend, resume


@route(f"POST {SUB}/cancel/preview", *PREVIEW)
def preview_cancellation(subscription: Subscription, body: models.Cancellation) -> Any:
    """Price a cancellation: unused days credited now, or nothing at period end."""
    return subs.preview_cancel(db.session, subscription, utcnow(), body.when).to_json()


@route(f"POST {SUB}/cancel", *CHANGE)
def apply_cancellation(subscription: Subscription, body: models.Cancellation) -> Any:
    """Cancel now (unused days credited) or at the end of the current period."""
    return subs.cancel(db.session, subscription, when=body.when, reason=body.reason)


@route(f"POST {SUB}/suspend", *CHANGE, optional=True)
def suspend_subscription(subscription: Subscription, body: models.Suspension) -> Any:
    """Bar the line from service; recurring charges continue."""
    return subs.suspend(db.session, subscription, reason=body.reason)


@route(f"POST {SUB}/resume", *CHANGE)
def resume_subscription(subscription: Subscription) -> Any:
    """Restore service on a suspended line."""
    return subs.resume(db.session, subscription)


# Add-ons


@route(f"POST {SUB}/addons/preview", *PREVIEW)
def preview_addon(subscription: Subscription, body: models.VersionChoice) -> Any:
    """Price an add-on: its one-time price and the rest of this period."""
    version = found(PlanVersion, body.plan_version_id)
    return subs.preview_addon(db.session, subscription, version, utcnow()).to_json()


@route(f"POST {SUB}/addons", *CHANGE)
def apply_addon(subscription: Subscription, body: models.VersionChoice) -> Any:
    """Add an add-on or booster, effective now."""
    addon = subs.add_addon(db.session, subscription, found(PlanVersion, body.plan_version_id))
    added = [e for e in subs.history(db.session, subscription) if e.kind == subs.ADDON_ADDED]
    return next(e for e in added if e.data["subscription_addon_id"] == addon.id)


@route(f"POST {SUB}/addons/<int:addon_id>/remove/preview", *PREVIEW)
def preview_addon_removal(subscription: Subscription, addon: SubscriptionAddOn) -> Any:
    """Price ending an add-on now: a credit for its unused days."""
    return subs.preview_remove_addon(db.session, addon, utcnow()).to_json()


@route(f"DELETE {SUB}/addons/<int:addon_id>", *CHANGE)
def remove_addon(subscription: Subscription, addon: SubscriptionAddOn) -> Any:
    """End an add-on now, crediting its unused days."""
    return subs.remove_addon(db.session, addon)


# Scheduled changes


@route(f"POST {SUB}/events/<int:event_id>/revoke", *CHANGE)
def revoke_subscription_event(subscription: Subscription, event: SubscriptionEvent) -> Any:
    """Call off a scheduled change before it takes effect."""
    subs.revoke(db.session, event)
    return event


# Accounts


@route("GET /accounts", READ, models.AccountPage)
def list_accounts(query: PageQuery) -> Any:
    """The brand's company accounts, oldest first, with their lines."""
    rows, cursor = paginate(db.session, customers.company_query(), Account.id, query)
    lines = customers.line_ids(db.session, rows)
    return [models.Account.of_account(a, lines[a.id]) for a in rows], cursor


@route("GET /accounts/<int:account_id>", READ, models.Account)
def get_account(account: Account) -> Any:
    """One of the brand's accounts, company or personal, with its lines."""
    return models.Account.of_account(account, customers.line_ids(db.session, [account])[account.id])
