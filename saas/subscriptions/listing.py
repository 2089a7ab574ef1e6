"""The brand's subscriptions as a list shows them: plain values, one row each, filtered."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, literal, literal_column, null, select, union_all

from saas.catalog import models as M
from saas.db import DbSession, read, scoped
from saas.identity.models import User
from saas.identity.services import named_like
from saas.subscriptions.models import (
    ACTIVE,
    SCHEDULED,
    Subscription,
    SubscriptionAddOn,
    SubscriptionEvent,
)


@dataclass(frozen=True)
class Wanted:
    """Which subscriptions a list asks for: of one plan, status, promotion, or subscriber."""

    plan_id: int | None = None
    status: str = ""
    promotion_id: int | None = None
    search: str = ""


Named = list[tuple[int, str]]


def filter_names(session: DbSession) -> tuple[Named, Named]:
    """The plans (not add-ons) and the promotions a list is filtered by, by name: one query."""
    found: dict[str, Named] = {"plan": [], "promotion": []}
    for row in read(session, _filter_names()):
        found[row.kind].append((row.id, row.name))
    return found["plan"], found["promotion"]


@cache
def _filter_names() -> Any:
    plans = select(literal("plan").label("kind"), M.Plan.id, M.Plan.name)
    promotions = select(literal("promotion"), M.Promotion.id, M.Promotion.name)
    both = union_all(plans.where(M.Plan.kind == M.PLAN), promotions)
    return scoped(both.order_by("kind", "name", "id"))


# Statements are immutable: the few filters asked for most are kept built, not built per page.
@lru_cache(maxsize=64)
def matching(wanted: Wanted) -> Select[Any]:
    """Select the ids of the subscriptions asked for; unordered, joined to nothing it can spare."""
    stmt = select(Subscription.id)
    if wanted.status:
        stmt = stmt.where(Subscription.status == wanted.status)
    if wanted.promotion_id is not None:
        stmt = stmt.where(Subscription.promotion_id == wanted.promotion_id)
    if wanted.plan_id is not None:
        versions = select(M.PlanVersion.id).where(M.PlanVersion.plan_id == wanted.plan_id)
        stmt = stmt.where(Subscription.plan_version_id.in_(versions))
    if wanted.search.strip():
        people = select(User.id).where(named_like(wanted.search))
        stmt = stmt.where(Subscription.subscriber_id.in_(people))
    return stmt


def _price() -> Any:
    """The plan version's recurring charges per period, summed in the database."""
    return (
        select(func.coalesce(func.sum(M.PriceComponent.amount), 0))
        .where(
            M.PriceComponent.version_id == Subscription.plan_version_id,
            M.PriceComponent.kind == M.RECURRING,
        )
        .correlate(Subscription)
        .scalar_subquery()
    )


@lru_cache(maxsize=64)
def rows(wanted: Wanted) -> Select[Any]:
    """Select what a list shows of each subscription asked for, keyed by `id`; unordered."""
    shown = matching(wanted).add_columns(
        Subscription.line_label,
        Subscription.status,
        Subscription.started_at,
        User.full_name,
        User.email,
        M.Plan.name.label("plan_name"),
        M.PlanVersion.number.label("version"),
        M.Plan.currency,
        M.PlanVersion.billing_interval,
        M.Promotion.name.label("promotion"),
        _price().label("price"),
    )
    return (
        shown.join(User, User.id == Subscription.subscriber_id)
        .join(M.PlanVersion, M.PlanVersion.id == Subscription.plan_version_id)
        .join(M.Plan, M.Plan.id == M.PlanVersion.plan_id)
        .outerjoin(M.Promotion, M.Promotion.id == Subscription.promotion_id)
    )


Pending = dict[int, list[dict[str, Any]]]


def waiting_and_held(session: DbSession, ids: list[int]) -> tuple[Pending, Pending]:
    """For a page of subscriptions, in one query: the changes each has waiting to take effect
    (by effective time) and the add-ons it holds now (as booked), as plain values."""
    waiting: Pending = {i: [] for i in ids}
    held: Pending = {i: [] for i in ids}
    if not ids:
        return waiting, held
    for row in read(session, _waiting_and_held(), {"ids": ids}):
        if row.source == "event":
            waiting[row.subscription_id].append(_event(row))
        else:
            held[row.subscription_id].append(_addon(row))
    return waiting, held


def _event(row: Any) -> dict[str, Any]:
    names = ("id", "subscription_id", "kind", "state", "recorded_at", "actor_label", "data")
    return {"effective_at": row.at, **{name: getattr(row, name) for name in names}}


def _addon(row: Any) -> dict[str, Any]:
    plan = {"code": row.plan_code, "name": row.plan_name}
    return {
        "id": row.id,
        "started_at": row.at,
        "addon_version": {"id": row.version_id, "plan": plan},
    }


@cache
def _waiting_and_held() -> Any:
    event, addon, version, plan = SubscriptionEvent, SubscriptionAddOn, M.PlanVersion, M.Plan
    ids: Any = bindparam("ids", expanding=True)
    events = select(
        literal_column("'event'").label("source"),
        event.id,
        event.subscription_id,
        event.effective_at.label("at"),
        event.effective_at.label("sort_at"),
        event.recorded_at,
        event.kind,
        event.state,
        event.actor_label,
        event.data,
        *(null().label(name) for name in ("version_id", "plan_code", "plan_name")),
    ).where(event.state == SCHEDULED, event.subscription_id.in_(ids))
    addons: Any = (
        select(
            literal_column("'addon'"),
            addon.id,
            addon.subscription_id,
            addon.started_at,
            *(null() for _ in range(6)),
            version.id,
            plan.code,
            plan.name,
        )
        .join(version, version.id == addon.addon_version_id)
        .join(plan, plan.id == version.plan_id)
        .where(addon.subscription_id.in_(ids), addon.status == ACTIVE)
    )
    # Events by effective time, add-ons (no time to sort by) by id, as each was listed alone.
    return scoped(union_all(events, addons).order_by("source", "sort_at", "id"))
