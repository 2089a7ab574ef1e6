"""The OpenAPI description of subscriptions: state, history, price previews and changes."""

from __future__ import annotations

from typing import Any

from saas.catalog.periods import INTERVALS
from saas.web.api import openapi_accounts
from saas.web.api.openapi_parts import (
    DATE_TIME,
    DECIMAL,
    LOCATION,
    array_of,
    listing,
    nullable,
    obj,
    ok,
    operation,
    page_of,
    path_id,
    query,
    ref,
    refusals,
    write,
)

READ, WRITE = "subscriptions.read", "subscriptions.write"
ID = {"type": "integer"}
TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date"}
STATUS = {"enum": ["active", "suspended", "cancelled"]}

PREVIEW_LINE = obj(
    ["kind", "code", "label", "amount"],
    kind={"enum": ["one_time", "recurring", "proration_charge", "proration_credit", "discount"]},
    code=TEXT,
    label=TEXT,
    amount=DECIMAL | {"description": "Negative for credits and discounts."},
    period_start=DATE,
    period_end=DATE | {"description": "Exclusive."},
    days={"type": "integer"},
    period_days={"type": "integer"},
)
PREVIEW = obj(
    [
        "action",
        "effective_at",
        "currency",
        "lines",
        "total",
        "next_recurring",
        "plan_version_id",
        "notes",
    ],
    action={
        "type": "string",
        "examples": ["subscribed", "upgrade", "downgrade", "cancel", "addon_added"],
    },
    effective_at=DATE_TIME,
    currency={"type": "string", "pattern": "^[A-Z]{3}$"},
    lines=array_of("PreviewLine"),
    total=DECIMAL | {"description": "What the change charges now; negative is a credit."},
    next_recurring=DECIMAL | {"description": "The recurring price per period afterwards."},
    plan_version_id=nullable("integer"),
    notes={"type": "array", "items": TEXT},
)

VERSION_REF = obj(
    [
        "id",
        "number",
        "status",
        "plan_id",
        "plan_code",
        "plan_name",
        "currency",
        "billing_interval",
    ],
    id=ID,
    number=ID,
    status={"enum": ["draft", "published", "archived"]},
    plan_id=ID,
    plan_code=TEXT,
    plan_name=TEXT,
    currency=TEXT,
    billing_interval={"enum": list(INTERVALS)},
)
ADDON = obj(
    ["id", "plan_version_id", "plan_code", "plan_name", "started_at"],
    id=ID,
    plan_version_id=ID,
    plan_code=TEXT,
    plan_name=TEXT,
    started_at=DATE_TIME,
)
EVENT = obj(
    ["id", "subscription_id", "kind", "state", "effective_at", "recorded_at", "actor", "data"],
    id=ID,
    subscription_id=ID,
    kind={
        "type": "string",
        "examples": ["subscribed", "plan_changed", "suspended", "cancelled", "migrated"],
    },
    state={"enum": ["applied", "scheduled", "revoked"]},
    effective_at=DATE_TIME,
    recorded_at=DATE_TIME,
    actor=TEXT,
    data={
        "type": "object",
        "description": "What the change sets, and under `charges` its priced preview.",
        "properties": {"charges": ref("schemas", "Preview")},
    },
)
SUBSCRIPTION = obj(
    [
        "id",
        "subscriber_id",
        "account",
        "line_label",
        "plan_version",
        "status",
        "anchor_date",
        "current_period",
        "started_at",
        "ended_at",
        "addons",
        "promotion",
        "scheduled",
    ],
    id=ID,
    subscriber_id=ID,
    account=obj(["id", "kind", "name"], id=ID, kind={"enum": ["individual", "company"]}, name=TEXT),
    line_label=TEXT,
    plan_version=ref("schemas", "PlanVersionRef"),
    status=STATUS,
    anchor_date=DATE | {"description": "Periods count from this local date."},
    current_period={
        "oneOf": [
            obj(["start", "end"], start=DATE, end=DATE | {"description": "Exclusive."}),
            {"type": "null"},
        ]
    },
    started_at=DATE_TIME,
    ended_at=nullable("string", format="date-time"),
    addons=array_of("SubscriptionAddOn"),
    promotion={
        "oneOf": [obj(["id", "code", "name"], id=ID, code=TEXT, name=TEXT), {"type": "null"}]
    },
    scheduled=array_of("SubscriptionEvent"),
)
STATE = obj(
    ["subscription_id", "at", "plan_version_id", "status", "addons", "promotion_id"],
    subscription_id=ID,
    at=DATE_TIME,
    plan_version_id=ID,
    status=STATUS,
    addons={
        "type": "array",
        "items": obj(["id", "plan_version_id"], id=ID, plan_version_id=ID),
    },
    promotion_id=nullable("integer"),
)

SCHEMAS = {
    "PreviewLine": PREVIEW_LINE,
    "Preview": PREVIEW,
    "PlanVersionRef": VERSION_REF,
    "SubscriptionAddOn": ADDON,
    "SubscriptionEvent": EVENT,
    "SubscriptionEventList": obj(["data"], data=array_of("SubscriptionEvent")),
    "Subscription": SUBSCRIPTION,
    "SubscriptionPage": page_of("Subscription"),
    "SubscriptionState": STATE,
    "SubscriptionChange": obj(
        ["event", "subscription"],
        event=ref("schemas", "SubscriptionEvent"),
        subscription=ref("schemas", "Subscription"),
    ),
    "NewSubscription": obj(
        ["subscriber_id", "plan_version_id"],
        subscriber_id=ID,
        plan_version_id=ID | {"description": "A published version of a plan (not an add-on)."},
        promo_code=nullable("string"),
        line_label={"type": "string", "maxLength": 120},
        account_id=ID
        | {
            "description": "Put the line on this company account; by default, the subscriber's own."
        },
        company_account_name={
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Open a company account of this name, held by the subscriber, for the "
            "line (not with `account_id`).",
        },
    )
    | {"not": {"required": ["account_id", "company_account_name"]}},
    "VersionChoice": obj(["plan_version_id"], plan_version_id=ID),
    "Cancellation": obj(
        ["when"],
        when={"enum": ["now", "period_end"]},
        reason={"type": "string", "maxLength": 500},
    ),
    "Reason": obj([], reason={"type": "string", "maxLength": 500}),
    **openapi_accounts.SCHEMAS,
}

PARAMETERS = {
    "SubscriptionId": path_id("subscription_id", "subscription"),
    "AddonId": path_id("addon_id", "subscription add-on"),
    "EventId": path_id("event_id", "subscription event"),
    "SubscriptionStatus": query("status", "Keep subscriptions in this status.", STATUS),
    "SubscriberFilter": query(
        "subscriber_id", "Keep the subscriptions of this subscriber.", {"type": "integer"}
    ),
    "At": query(
        "at",
        "An ISO 8601 time with a zone offset, past or future.",
        {"type": "string", "format": "date-time"},
        required=True,
    ),
    **openapi_accounts.PARAMETERS,
}

_SUB = ("SubscriptionId",)
_CHANGE = ("200", "The event and the subscription after it.", "SubscriptionChange")
_PREVIEW = ("200", "The priced preview; nothing is written.", "Preview")


def _pair(name: str, what: str, body: str | None) -> dict[str, Any]:
    """A preview path and the path that makes the change, for one kind of change."""
    title = name[0].upper() + name[1:]
    return {
        "preview": {
            "post": write(f"preview{title}", f"Price {what} first.", READ, _PREVIEW, _SUB, body)
        },
        "apply": {"post": write(f"apply{title}", f"Make {what}.", WRITE, _CHANGE, _SUB, body)},
    }


def _suspend() -> dict[str, Any]:
    op = write("suspendSubscription", "Suspend service.", WRITE, _CHANGE, _SUB, "Reason")
    op["requestBody"]["required"] = False
    return op


def _reading_paths() -> dict[str, Any]:
    return {
        "/subscriptions": {
            "get": listing(
                "listSubscriptions",
                "Subscriptions, newest first.",
                READ,
                "Subscription",
                ("SubscriptionStatus", "SubscriberFilter"),
            ),
            "post": write(
                "createSubscription",
                "Subscribe a subscriber to a published plan version.",
                WRITE,
                ("201", "The subscription.", "Subscription"),
                body="NewSubscription",
                not_found=True,
                headers=LOCATION,
            ),
        },
        "/subscriptions/preview": {
            "post": write(
                "previewSubscription",
                "Price a subscription first.",
                READ,
                _PREVIEW,
                body="NewSubscription",
                not_found=True,
            )
        },
        "/subscriptions/{subscription_id}": {
            "get": operation(
                "getSubscription",
                "A subscription as it stands.",
                READ,
                {"200": ok("The subscription.", "Subscription"), **refusals("404")},
                _SUB,
            )
        },
        "/subscriptions/{subscription_id}/events": {
            "get": operation(
                "listSubscriptionEvents",
                "Every change, by effective time.",
                READ,
                {"200": ok("The history.", "SubscriptionEventList"), **refusals("404")},
                _SUB,
            )
        },
        "/subscriptions/{subscription_id}/state": {
            "get": operation(
                "getSubscriptionState",
                "The subscription at an instant; 404 before it started.",
                READ,
                {"200": ok("The state.", "SubscriptionState"), **refusals("404", "422")},
                (*_SUB, "At"),
            )
        },
    }


def _change_paths() -> dict[str, Any]:
    base = "/subscriptions/{subscription_id}"
    addon = f"{base}/addons/{{addon_id}}"
    pairs = {
        "plan-change": _pair("planChange", "a plan change", "VersionChoice"),
        "cancel": _pair("cancellation", "a cancellation", "Cancellation"),
        "addons": _pair("addon", "an added add-on", "VersionChoice"),
    }
    paths = {}
    for segment, pair in pairs.items():
        paths[f"{base}/{segment}/preview"] = pair["preview"]
        paths[f"{base}/{segment}"] = pair["apply"]
    ids = (*_SUB, "AddonId")
    return paths | {
        f"{base}/suspend": {"post": _suspend()},
        f"{base}/resume": {
            "post": write("resumeSubscription", "Resume service.", WRITE, _CHANGE, _SUB)
        },
        f"{addon}/remove/preview": {
            "post": write("previewAddonRemoval", "Price ending an add-on.", READ, _PREVIEW, ids)
        },
        addon: {"delete": write("removeAddon", "End an add-on now.", WRITE, _CHANGE, ids)},
        f"{base}/events/{{event_id}}/revoke": {
            "post": write(
                "revokeSubscriptionEvent",
                "Call off a scheduled change.",
                WRITE,
                _CHANGE,
                (*_SUB, "EventId"),
            )
        },
    }


def paths() -> dict[str, Any]:
    """Return the subscriptions' path items."""
    return _reading_paths() | _change_paths() | openapi_accounts.paths()
