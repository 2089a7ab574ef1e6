"""API endpoints of subscriptions: list, read, preview and make changes."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from werkzeug.exceptions import NotFound

from saas.catalog.models import PlanVersion
from saas.customers import services as customers
from saas.customers.models import Account
from saas.db import db, unit_of_work, utcnow
from saas.identity import services as people
from saas.identity.models import SUBSCRIBER, User
from saas.subscriptions import services as subs
from saas.subscriptions.charges import Preview
from saas.subscriptions.models import (
    ACTIVE,
    CANCELLED,
    SUSPENDED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)
from saas.web.api import bp, inputs, resources
from saas.web.api.auth import scope_required
from saas.web.api.pagination import envelope, page_request, paginate
from saas.web.api.records import found, refusals

READ, WRITE = "subscriptions.read", "subscriptions.write"
STATUSES = (ACTIVE, SUSPENDED, CANCELLED)


def _subscription(subscription_id: int) -> Subscription:
    return found(Subscription, subscription_id, "subscription")


def _version(version_id: int) -> PlanVersion:
    return found(PlanVersion, version_id, "plan version")


def _subscriber(subscriber_id: int) -> User:
    try:
        return people.get_user(db.session, subscriber_id, SUBSCRIBER)
    except LookupError:
        raise NotFound(f"There is no subscriber {subscriber_id} at this brand.") from None


def _part_of(sub: Subscription, row: SubscriptionAddOn | SubscriptionEvent, what: str) -> None:
    # An add-on or event of another subscription is not found under this one.
    if row.subscription_id != sub.id:
        raise NotFound(f"Subscription {sub.id} has no {what} {row.id}.")


def _described(sub: Subscription, pending: list[SubscriptionEvent] | None = None) -> dict[str, Any]:
    live = sub.status != CANCELLED
    period = subs.current_period(db.session, sub, utcnow()) if live else None
    if pending is None:
        pending = subs.scheduled(db.session, sub)
    return resources.subscription(sub, period, pending)


def _changed(sub: Subscription, event: SubscriptionEvent) -> Any:
    return jsonify({"event": resources.subscription_event(event), "subscription": _described(sub)})


def _previewed(price: Preview) -> Any:
    return jsonify(price.to_json())


# Reading


@bp.get("/subscriptions")
@scope_required(READ)
def subscriptions() -> Any:
    """List subscriptions, newest first, optionally by status or subscriber."""
    page = page_request(request.args)
    status = inputs.choice_parameter(request.args, "status", STATUSES)
    subscriber_id = inputs.id_parameter(request.args, "subscriber_id")
    stmt = subs.listing(db.session, status)
    if subscriber_id is not None:
        stmt = stmt.filter_by(subscriber_id=subscriber_id)
    rows, cursor = paginate(db.session, stmt, Subscription.id, page, newest_first=True)
    pending = subs.scheduled_for(db.session, rows)
    return jsonify(envelope([_described(s, pending[s.id]) for s in rows], cursor))


@bp.get("/subscriptions/<int:subscription_id>")
@scope_required(READ)
def subscription(subscription_id: int) -> Any:
    """Show a subscription as it stands, with its period, add-ons and scheduled changes."""
    return jsonify(_described(_subscription(subscription_id)))


@bp.get("/subscriptions/<int:subscription_id>/events")
@scope_required(READ)
def subscription_events(subscription_id: int) -> Any:
    """List every change of a subscription by effective time, revoked ones included."""
    events = subs.history(db.session, _subscription(subscription_id))
    return jsonify({"data": [resources.subscription_event(e) for e in events]})


@bp.get("/subscriptions/<int:subscription_id>/state")
@scope_required(READ)
def subscription_state(subscription_id: int) -> Any:
    """Answer how a subscription stood, or will stand after scheduled changes, at an instant."""
    sub = _subscription(subscription_id)
    at = inputs.instant_parameter(request.args, "at")
    state = subs.state_at(db.session, sub, at)
    if state is None:
        raise NotFound(f"Subscription {sub.id} had not started at {at.isoformat()}.")
    return jsonify(resources.subscription_state(sub, state))


# Subscribing


def _subscription_request() -> tuple[User, PlanVersion, dict[str, Any]]:
    body = inputs.subscribe(inputs.json_object())
    return _subscriber(body["subscriber_id"]), _version(body["plan_version_id"]), body


def _company(account_id: int) -> Account:
    account = customers.get_company(db.session, account_id)
    if account is None:
        raise NotFound(f"There is no company account {account_id} at this brand.")
    return account


def _joined(person: User, body: dict[str, Any]) -> Account | None:
    """The account the new line joins: a company's, a new company's, or (None) the person's."""
    if "account_id" in body:
        return _company(body["account_id"])
    if "company_account_name" not in body:
        return None
    return customers.create_company(db.session, body["company_account_name"], person)


@bp.post("/subscriptions/preview")
@scope_required(READ)
def preview_subscription() -> Any:
    """Price a subscription before it is made: fees, the first period, any discount."""
    _, version, body = _subscription_request()
    if "account_id" in body:
        _company(body["account_id"])
    with refusals():
        price = subs.preview_subscribe(
            db.session, version, utcnow(), promo_code=body.get("promo_code")
        )
    return _previewed(price)


@bp.post("/subscriptions")
@scope_required(WRITE)
def create_subscription() -> Any:
    """Subscribe a subscriber to a published plan version."""
    person, version, body = _subscription_request()
    with refusals(), unit_of_work():
        sub = subs.subscribe(
            db.session,
            person,
            version,
            account=_joined(person, body),
            promo_code=body.get("promo_code"),
            line_label=body.get("line_label", ""),
        )
    location = url_for("api.subscription", subscription_id=sub.id, _external=True)
    return jsonify(_described(sub)), 201, {"Location": location}


# Plan changes


@bp.post("/subscriptions/<int:subscription_id>/plan-change/preview")
@scope_required(READ)
def preview_plan_change(subscription_id: int) -> Any:
    """Price a plan change: an upgrade prorated now, a downgrade at period end."""
    sub = _subscription(subscription_id)
    version = _version(inputs.version_choice(inputs.json_object()))
    with refusals():
        return _previewed(subs.preview_change(db.session, sub, version, utcnow()))


@bp.post("/subscriptions/<int:subscription_id>/plan-change")
@scope_required(WRITE)
def change_plan(subscription_id: int) -> Any:
    """Upgrade now (prorated) or schedule a downgrade for period end."""
    sub = _subscription(subscription_id)
    version = _version(inputs.version_choice(inputs.json_object()))
    with refusals(), unit_of_work():
        event = subs.change_plan(db.session, sub, version)
    return _changed(sub, event)


# Cancel, suspend, resume


@bp.post("/subscriptions/<int:subscription_id>/cancel/preview")
@scope_required(READ)
def preview_cancellation(subscription_id: int) -> Any:
    """Price a cancellation: unused days credited now, or nothing at period end."""
    sub = _subscription(subscription_id)
    asked = inputs.cancellation(inputs.json_object())
    with refusals():
        return _previewed(subs.preview_cancel(db.session, sub, utcnow(), asked["when"]))


@bp.post("/subscriptions/<int:subscription_id>/cancel")
@scope_required(WRITE)
def cancel(subscription_id: int) -> Any:
    """Cancel now (unused days credited) or at the end of the current period."""
    sub = _subscription(subscription_id)
    asked = inputs.cancellation(inputs.json_object())
    with refusals(), unit_of_work():
        event = subs.cancel(db.session, sub, when=asked["when"], reason=asked["reason"])
    return _changed(sub, event)


@bp.post("/subscriptions/<int:subscription_id>/suspend")
@scope_required(WRITE)
def suspend(subscription_id: int) -> Any:
    """Bar the line from service; recurring charges continue."""
    sub = _subscription(subscription_id)
    reason = inputs.reason(inputs.optional_json_object())
    with refusals(), unit_of_work():
        event = subs.suspend(db.session, sub, reason=reason)
    return _changed(sub, event)


@bp.post("/subscriptions/<int:subscription_id>/resume")
@scope_required(WRITE)
def resume(subscription_id: int) -> Any:
    """Restore service on a suspended line."""
    sub = _subscription(subscription_id)
    with refusals(), unit_of_work():
        event = subs.resume(db.session, sub)
    return _changed(sub, event)


# Add-ons


@bp.post("/subscriptions/<int:subscription_id>/addons/preview")
@scope_required(READ)
def preview_addon(subscription_id: int) -> Any:
    """Price an add-on: its one-time price and the rest of this period."""
    sub = _subscription(subscription_id)
    version = _version(inputs.version_choice(inputs.json_object()))
    with refusals():
        return _previewed(subs.preview_addon(db.session, sub, version, utcnow()))


@bp.post("/subscriptions/<int:subscription_id>/addons")
@scope_required(WRITE)
def add_addon(subscription_id: int) -> Any:
    """Add an add-on or booster, effective now."""
    sub = _subscription(subscription_id)
    version = _version(inputs.version_choice(inputs.json_object()))
    with refusals(), unit_of_work():
        addon = subs.add_addon(db.session, sub, version)
    added = [e for e in subs.history(db.session, sub) if e.kind == subs.ADDON_ADDED]
    event = next(e for e in added if e.data["subscription_addon_id"] == addon.id)
    return _changed(sub, event)


def _addon(sub: Subscription, addon_id: int) -> SubscriptionAddOn:
    addon = found(SubscriptionAddOn, addon_id, "subscription add-on")
    _part_of(sub, addon, "add-on")
    return addon


@bp.post("/subscriptions/<int:subscription_id>/addons/<int:addon_id>/remove/preview")
@scope_required(READ)
def preview_addon_removal(subscription_id: int, addon_id: int) -> Any:
    """Price ending an add-on now: a credit for its unused days."""
    addon = _addon(_subscription(subscription_id), addon_id)
    with refusals():
        return _previewed(subs.preview_remove_addon(db.session, addon, utcnow()))


@bp.delete("/subscriptions/<int:subscription_id>/addons/<int:addon_id>")
@scope_required(WRITE)
def remove_addon(subscription_id: int, addon_id: int) -> Any:
    """End an add-on now, crediting its unused days."""
    sub = _subscription(subscription_id)
    addon = _addon(sub, addon_id)
    with refusals(), unit_of_work():
        event = subs.remove_addon(db.session, addon)
    return _changed(sub, event)


# Scheduled changes


@bp.post("/subscriptions/<int:subscription_id>/events/<int:event_id>/revoke")
@scope_required(WRITE)
def revoke_event(subscription_id: int, event_id: int) -> Any:
    """Call off a scheduled change before it takes effect."""
    sub = _subscription(subscription_id)
    event = found(SubscriptionEvent, event_id, "subscription event")
    _part_of(sub, event, "event")
    with refusals(), unit_of_work():
        subs.revoke(db.session, event)
    return _changed(sub, event)


# Accounts


def _account(row: Account, lines: dict[int, list[int]]) -> dict[str, Any]:
    return resources.account(row, lines[row.id])


@bp.get("/accounts")
@scope_required(READ)
def accounts() -> Any:
    """List the brand's company accounts, oldest first, with their lines."""
    page = page_request(request.args)
    rows, cursor = paginate(db.session, customers.company_query(), Account.id, page)
    lines = customers.line_ids(db.session, rows)
    return jsonify(envelope([_account(a, lines) for a in rows], cursor))


@bp.get("/accounts/<int:account_id>")
@scope_required(READ)
def account(account_id: int) -> Any:
    """Show one of the brand's accounts, company or personal, with its lines."""
    row = found(Account, account_id, "account")
    return jsonify(_account(row, customers.line_ids(db.session, [row])))
