"""API endpoints of subscriptions: list, read, preview and make changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from pydantic import MISSING
from werkzeug.exceptions import NotFound

from saas.catalog.models import PlanVersion
from saas.catalog.periods import Period
from saas.customers import services as customers
from saas.customers.models import Account
from saas.db import db, utcnow
from saas.identity.models import User
from saas.subscriptions import listing
from saas.subscriptions import services as subs
from saas.subscriptions.models import CANCELLED, Subscription, SubscriptionAddOn, SubscriptionEvent
from saas.web.api.contract import route
from saas.web.api.models import Listing, Page
from saas.web.api.models import subscriptions as models
from saas.web.api.pagination import PageQuery, paginate
from saas.web.api.records import found, subscriber

READ, WRITE = "subscriptions.read", "subscriptions.write"
SUB = "/subscriptions/<int:subscription_id>"


PREVIEW = (READ, models.Preview)
CHANGE = (WRITE, models.SubscriptionChange)


# Reading


@route("GET /subscriptions", READ, Page[models.Subscription])
def list_subscriptions(query: models.SubscriptionQuery) -> Any:
    """Subscriptions, newest first, optionally by status or subscriber."""
    stmt = subs.summaries(query.status)
    if query.subscriber_id is not None:
        stmt = stmt.where(Subscription.subscriber_id == query.subscriber_id)
    rows, cursor = paginate(db.session, stmt, Subscription.id, query, newest_first=True, orm=True)
    pending, held = listing.waiting_and_held(db.session, [r.id for r in rows])
    now = utcnow()
    return [
        r._asdict()
        | {"current_period": _period(r, now), "addons": held[r.id], "scheduled": pending[r.id]}
        for r in rows
    ], cursor


def _period(row: Any, now: datetime) -> Period | None:
    """The current period of a subscription of a page, from its row; none once cancelled."""
    if row.status == CANCELLED:
        return None
    interval = row.plan_version["billing_interval"]
    return subs.period_on(db.session, g.tenant.id, row.anchor_date, interval, now)


@route(f"GET {SUB}", READ, models.Subscription)
def get_subscription(subscription: Subscription) -> Any:
    """A subscription as it stands, with its period, add-ons and scheduled changes."""
    return subscription


@route(f"GET {SUB}/events", READ, Listing[models.SubscriptionEvent])
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
    person = subscriber(body.subscriber_id)
    version = found(PlanVersion, body.plan_version_id)
    if body.account_id is not MISSING:
        _company(body.account_id)
    preview = subs.preview_subscribe(
        db.session, version, utcnow(), promo_code=body.promo_code, subscriber=person
    )
    return preview.to_json()


@route("POST /subscriptions", WRITE, models.Subscription, created=True)
def create_subscription(body: models.NewSubscription) -> Any:
    """Subscribe a subscriber to a published plan version."""
    person, version = subscriber(body.subscriber_id), found(PlanVersion, body.plan_version_id)
    taken = body.model_dump(include={"promo_code", "line_label"})
    return subs.subscribe(db.session, person, version, account=_joined(person, body), **taken)


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


@route("GET /accounts", READ, Page[models.Account])
def list_accounts(query: PageQuery) -> Any:
    """The brand's company accounts, oldest first, with their lines."""
    rows, cursor = paginate(db.session, customers.company_query(), Account.id, query)
    lines = customers.line_ids(db.session, rows)
    return [models.Account.of(a, subscription_ids=lines[a.id]) for a in rows], cursor


@route("GET /accounts/<int:account_id>", READ, models.Account)
def get_account(account: Account) -> Any:
    """One of the brand's accounts, company or personal, with its lines."""
    (lines,) = customers.line_ids(db.session, [account]).values()
    return models.Account.of(account, subscription_ids=lines)
