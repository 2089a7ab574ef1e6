"""The records a page of audit events mentions, loaded in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from saas.catalog import models as C
from saas.customers.models import Account
from saas.db import DbSession
from saas.identity.api_keys import ApiKey
from saas.identity.audit import AuditEvent
from saas.identity.models import User
from saas.subscriptions.models import Subscription, SubscriptionAddOn

APIKEY_ACTOR = "apikey:"
# A draft's save replaces its prices wholesale: a price's old value is in its code's last creation.
PRICES = "price_components"


@dataclass
class Subjects:
    """What the events of one page name, each kind by its id."""

    users: dict[int, User] = field(default_factory=dict)
    keys_by_prefix: dict[str, ApiKey] = field(default_factory=dict)
    keys: dict[int, ApiKey] = field(default_factory=dict)
    plans: dict[int, C.Plan] = field(default_factory=dict)
    versions: dict[int, C.PlanVersion] = field(default_factory=dict)
    components: dict[int, C.PriceComponent] = field(default_factory=dict)
    allowances: dict[int, C.Allowance] = field(default_factory=dict)
    promotions: dict[int, C.Promotion] = field(default_factory=dict)
    products: dict[int, C.Product] = field(default_factory=dict)
    metrics: dict[int, C.Metric] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    addons: dict[int, SubscriptionAddOn] = field(default_factory=dict)
    # Each price written into a version, by (version id, code), oldest first, as (event id, values).
    prices: dict[tuple[Any, Any], list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _ids(events: Iterable[AuditEvent], *types: str) -> set[int]:
    found = (_int(e.object_id) for e in events if e.object_type in types)
    return {i for i in found if i is not None}


def _by_id(session: DbSession, model: Any, ids: set[Any]) -> dict[Any, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}


def _from(changes: Iterable[dict[str, Any]], key: str) -> set[int]:
    found = (_int(c.get(key)) for c in changes)
    return {i for i in found if i is not None}


def load(session: DbSession, events: list[AuditEvent]) -> Subjects:
    """Load every record the events name, one query per kind of record."""
    s = Subjects()
    created = [e.changes or {} for e in events if e.action == "create"]
    s.prices = _earlier_prices(session, events)
    s.components = _by_id(session, C.PriceComponent, _ids(events, "price_components"))
    s.allowances = _by_id(session, C.Allowance, _ids(events, "allowances"))
    s.addons = _by_id(session, SubscriptionAddOn, _ids(events, "subscription_addons"))
    subscription_ids = _ids(events, "subscriptions") | {
        a.subscription_id for a in s.addons.values()
    }
    s.subscriptions = _by_id(session, Subscription, subscription_ids)
    s.promotions = _by_id(session, C.Promotion, _ids(events, "promotions"))
    s.products = _by_id(session, C.Product, _ids(events, "products"))
    s.metrics = _by_id(session, C.Metric, _ids(events, "metrics"))
    s.accounts = _by_id(session, Account, _ids(events, "accounts"))
    children: list[Any] = [*s.components.values(), *s.allowances.values()]
    version_ids = _ids(events, "plan_versions") | {c.version_id for c in children}
    version_ids |= {x.plan_version_id for x in s.subscriptions.values()}
    version_ids |= {a.addon_version_id for a in s.addons.values()}
    version_ids |= _from(created, "version_id")
    version_ids |= _from(created, "plan_version_id") | _from(created, "addon_version_id")
    s.versions = _by_id(session, C.PlanVersion, version_ids)
    plan_ids = _ids(events, "plans", "plan") | {v.plan_id for v in s.versions.values()}
    s.plans = _by_id(session, C.Plan, plan_ids)
    _load_people(session, events, s)
    return s


def _earlier_prices(session: DbSession, events: list[AuditEvent]) -> dict[tuple[Any, Any], Any]:
    """Every price written before into the versions the page's new prices go into."""
    added = [e for e in events if e.object_type == PRICES and e.action == "create"]
    version_ids = _from([e.changes or {} for e in added], "version_id")
    if not version_ids:
        return {}
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.object_type == PRICES,
            AuditEvent.action == "create",
            AuditEvent.changes["version_id"].as_integer().in_(version_ids),
            AuditEvent.id < max(e.id for e in added),
        )
        .order_by(AuditEvent.id)
    )
    found: dict[tuple[Any, Any], list[tuple[int, dict[str, Any]]]] = {}
    for e in session.scalars(stmt):
        c = e.changes or {}
        found.setdefault((c.get("version_id"), c.get("code")), []).append((e.id, c))
    return found


def _load_people(session: DbSession, events: list[AuditEvent], s: Subjects) -> None:
    prefixes = {
        e.actor_label.removeprefix(APIKEY_ACTOR)
        for e in events
        if e.actor_label.startswith(APIKEY_ACTOR)
    }
    key_ids = _ids(events, "api_keys")
    if prefixes or key_ids:
        rows = session.scalars(
            select(ApiKey).where(ApiKey.prefix.in_(prefixes) | ApiKey.id.in_(key_ids))
        )
        for key in rows:
            s.keys[key.id] = key
            s.keys_by_prefix[key.prefix] = key
    user_ids = {e.actor_user_id for e in events if e.actor_user_id} | _ids(events, "users")
    user_ids |= {x.subscriber_id for x in s.subscriptions.values()}
    user_ids |= {a.holder_id for a in s.accounts.values()}
    created = [e.changes or {} for e in events if e.action == "create"]
    user_ids |= _from(created, "subscriber_id") | _from(created, "holder_id")
    s.users = _by_id(session, User, user_ids)
