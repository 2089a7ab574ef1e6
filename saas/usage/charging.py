"""The `charge` stage: what a subscriber pays for each rated record, and what the host MNO charges.

`charge(session, rated)` takes a batch of READ + LINE + RATED columns (saas.usage.records) and
returns it with the CHARGED columns, for the brand in scope, in a fixed number of statements
whatever the batch's size. The rules, in order:

1. **Allowances first.** A record draws on the allowances of its subscription's plan version,
   then on those of its add-ons held at the record's time (in the order taken), that count its
   service in its zone (saas.usage.units: a roaming record draws on a home allowance only if the
   allowance lists that zone). Outgoing calls and messages and all data draw; incoming calls and
   messages keep the deck's price. Each allowance is counted per subscription, or per account
   when it is shared (its quantity times the account's lines on that version, in the period of
   the account's first such line), per billing period of the subscription's anchor and interval
   in the brand's time zone. Records draw in `started_at` order (then `record_key`); a record the
   allowance covers only in part is split: the covered units are free, the rest is charged. The
   record names the allowance its covered part was drawn on first and how many of its rated units
   were covered. Unused units of an allowance with rollover carry into the next period only: a
   period starts with at most one period's quantity carried in, and draws on it first.
2. **Then the plan's usage charge.** Where the plan version has a usage component for the
   metric that counts the record's service and zone, that Lago charge prices the units the
   allowances left, as the period's running total (saas.usage.usage_prices): a record costs
   what it adds to the period's price. Otherwise (no such component, or one of the percentage
   models) the deck's `retail_micros` applies, pro rata to the rated units left uncovered,
   rounded half up to a micro-unit.
3. **Prepaid.** A subscription on a prepaid plan (`Plan.payment`) draws what it is charged from
   its account's balance (saas.usage.balances); the credit class decides what a person may buy
   (a prepaid-only class can only take prepaid plans), so the plan is what makes a line prepaid.
   A balance at or below zero after a batch bars the account's prepaid lines through the
   provisioning adapter and tells the holder by e-mail; a top-up that takes it above zero lifts
   the bar.
4. **Wholesale** (saas.usage.wholesale): the host MNO's price of the same record under the
   brand's agreement in force at `started_at`, or null (and counted for the platform).

Counters are locked in one fixed order (allowance counters, usage charge counters, prepaid
balances, wholesale volumes, gaps; each by key), so two workers charging the same subscription at
once wait for each other instead of over-drawing, and never deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import polars as pl
from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from saas.catalog import models as C
from saas.catalog.periods import period_containing
from saas.catalog.pricing import ChargeError, parse_charge
from saas.db import DbSession, read, utcnow
from saas.subscriptions.models import CANCELLED, Subscription, SubscriptionAddOn
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant
from saas.usage import balances, wholesale
from saas.usage.charging_models import (
    ACCOUNT,
    SUBSCRIPTION,
    AllowanceCounter,
    UsageChargeCounter,
)
from saas.usage.records import CHARGED, DATA, OUT, UTC_TIME
from saas.usage.units import base_units, counted
from saas.usage.usage_prices import PRICED_MODELS, adds

UNLIMITED = 2**62  # what an unlimited allowance has left, in base units
ORDER = ["started_at", "record_key"]


def charge(session: DbSession, rated: pl.DataFrame) -> pl.DataFrame:
    """The batch with the CHARGED columns: allowances, usage charges, prepaid, wholesale."""
    if rated.height == 0:
        return rated.with_columns(pl.lit(None, t).alias(c) for c, t in CHARGED.items())
    tenant = session.get(Tenant, require_tenant_id())
    assert tenant is not None
    batch = rated.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))
    batch = _with_subscriptions(session, batch, tenant.timezone)
    book = Book.read(session, batch)
    batch = _allowances(session, batch, book)
    batch = _usage_charges(session, batch, book)
    batch = batch.with_columns(pl.col("charged_micros").cast(pl.Int64))
    balances.draw(session, batch)
    batch = wholesale.price(session, batch)
    columns = [*rated.columns, *CHARGED]
    return batch.sort("_row").select(columns).cast(dict(CHARGED))  # type: ignore[arg-type]


# The subscriptions and their periods


SUBS: dict[str, Any] = {
    "subscription_id": pl.Int64,
    "account_id": pl.Int64,
    "subscriber_id": pl.Int64,
    "version_id": pl.Int64,
    "anchor": pl.Date,
    "interval": pl.String,
    "prepaid": pl.Boolean,
}


def _with_subscriptions(session: DbSession, batch: pl.DataFrame, zone: str) -> pl.DataFrame:
    ids = batch["subscription_id"].drop_nulls().unique().to_list()
    stmt = (
        select(
            Subscription.id,
            Subscription.account_id,
            Subscription.subscriber_id,
            Subscription.plan_version_id,
            Subscription.anchor_date,
            C.PlanVersion.billing_interval,
            C.Plan.payment == C.PREPAID,
        )
        .join(C.PlanVersion, C.PlanVersion.id == Subscription.plan_version_id)
        .join(C.Plan, C.Plan.id == C.PlanVersion.plan_id)
        .where(Subscription.id.in_(ids))
    )
    subs = pl.DataFrame([tuple(r) for r in read(session, stmt)], schema=SUBS, orient="row")
    batch = batch.join(subs, on="subscription_id", how="left")
    day = pl.col("started_at").dt.convert_time_zone(zone).dt.date()
    return _with_periods(batch.with_columns(day.alias("_day")), "anchor", "period")


def _with_periods(frame: pl.DataFrame, anchor: str, prefix: str) -> pl.DataFrame:
    """Add `<prefix>_start` and `<prefix>_end`: the period of `anchor` holding each `_day`."""
    keys = frame.select(anchor, "interval", "_day").unique().drop_nulls()
    rows = []
    for a, interval, day in keys.iter_rows():
        period = period_containing(a, interval, max(day, a))
        rows.append((a, interval, day, period.start, period.end))
    schema = {
        anchor: pl.Date,
        "interval": pl.String,
        "_day": pl.Date,
        f"{prefix}_start": pl.Date,
        f"{prefix}_end": pl.Date,
    }
    periods = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.join(periods, on=[anchor, "interval", "_day"], how="left")


# What the catalogue says of the batch's plans


@dataclass
class Book:
    """The allowances and usage components of the batch's versions and add-ons, as frames."""

    allowances: pl.DataFrame  # version_id, allowance_id, service, zone, size, quantity, ...
    addons: pl.DataFrame  # subscription_id, addon_id, addon_version_id, since, until
    components: pl.DataFrame  # version_id, service, zone, component_id, size
    charges: dict[int, Any]

    @classmethod
    def read(cls, session: DbSession, batch: pl.DataFrame) -> Book:
        ids = batch["subscription_id"].drop_nulls().unique().to_list()
        addons = _addons(session, ids)
        versions = set(batch["version_id"].drop_nulls().to_list())
        versions |= set(addons["addon_version_id"].to_list())
        metrics = {
            code: found
            for code, unit, service, zone in read(
                session, select(C.Metric.code, C.Metric.unit, C.Metric.service, C.Metric.zone)
            )
            if (found := counted(_Metric(unit, service, zone))) is not None
        }
        allowances, components, charges = _allowance_rows(session, versions, metrics), [], {}
        stmt = (
            select(
                C.PriceComponent.id,
                C.PriceComponent.version_id,
                C.PriceComponent.metric_code,
                C.PriceComponent.charge,
            )
            .where(C.PriceComponent.version_id.in_(versions), C.PriceComponent.kind == C.USAGE)
            .order_by(C.PriceComponent.position, C.PriceComponent.id)
        )
        for ident, version, metric, data in read(session, stmt):
            how = metrics.get(metric or "")
            try:
                parsed = parse_charge(data or {})
            except ChargeError:
                continue  # a component the designer could not have saved: the deck applies
            if how is None or parsed.charge_model not in PRICED_MODELS:
                continue
            charges[ident] = parsed
            components.append((version, how.service, how.zone, ident, how.size))
        component_schema = {
            "version_id": pl.Int64,
            "service": pl.String,
            "zone": pl.String,
            "component_id": pl.Int64,
            "unit_size": pl.Int64,
        }
        frame = pl.DataFrame(components, schema=component_schema, orient="row")
        # The first component of a version for a service and zone prices it.
        frame = frame.unique(["version_id", "service", "zone"], keep="first", maintain_order=True)
        return cls(allowances, addons, frame, charges)


@dataclass(frozen=True)
class _Metric:
    unit: str
    service: str | None
    zone: str | None


ADDONS: dict[str, Any] = {
    "subscription_id": pl.Int64,
    "addon_id": pl.Int64,
    "addon_version_id": pl.Int64,
    "since": UTC_TIME,
    "until": UTC_TIME,
}


def _addons(session: DbSession, ids: list[int]) -> pl.DataFrame:
    stmt = select(
        SubscriptionAddOn.subscription_id,
        SubscriptionAddOn.id,
        SubscriptionAddOn.addon_version_id,
        SubscriptionAddOn.started_at,
        SubscriptionAddOn.ended_at,
    ).where(SubscriptionAddOn.subscription_id.in_(ids))
    return pl.DataFrame([tuple(r) for r in read(session, stmt)], schema=ADDONS, orient="row")


ALLOWANCES: dict[str, Any] = {
    "version_id": pl.Int64,
    "allowance_id": pl.Int64,
    "service": pl.String,
    "zone": pl.String,
    "size": pl.Int64,
    "quantity": pl.Int64,  # base units per period (per line if shared); null: unlimited
    "rollover": pl.Boolean,
    "shared": pl.Boolean,
}


def _allowance_rows(session: DbSession, versions: set[int], metrics: dict[str, Any]) -> Any:
    stmt = select(
        C.Allowance.version_id,
        C.Allowance.id,
        C.Allowance.metric_code,
        C.Allowance.quantity,
        C.Allowance.rollover,
        C.Allowance.shared,
        C.Allowance.zones,
    ).where(C.Allowance.version_id.in_(versions))
    rows = []
    for version, ident, metric, quantity, rollover, shared, zones in read(session, stmt):
        how = metrics.get(metric)
        if how is None:
            continue
        units = None if quantity is None else base_units(quantity, how.size)
        for zone in dict.fromkeys([how.zone, *(zones or [])]):
            rows.append((version, ident, how.service, zone, how.size, units, rollover, shared))
    return pl.DataFrame(rows, schema=ALLOWANCES, orient="row")


# Allowances


def _draws_on(batch: pl.DataFrame) -> pl.Expr:
    """Which records draw on allowances and usage charges: outgoing ones, and all data."""
    return pl.col("subscription_id").is_not_null() & (
        (pl.col("service") == DATA) | (pl.col("direction") == OUT)
    )


def _candidates(session: DbSession, batch: pl.DataFrame, book: Book) -> pl.DataFrame:
    """One row per record and allowance it may draw on, in the order it draws."""
    records = batch.filter(_draws_on(batch)).select(
        "_row",
        "record_key",
        "started_at",
        "service",
        "zone",
        "subscription_id",
        "account_id",
        "version_id",
        "anchor",
        "interval",
        "_day",
        "period_start",
        "period_end",
        "rated_usage",
    )
    own = records.join(book.allowances, on=["version_id", "service", "zone"]).with_columns(
        pl.lit(0, pl.Int64).alias("addon_id")
    )
    held = records.join(book.addons, on="subscription_id").filter(
        (pl.col("since") <= pl.col("started_at"))
        & (pl.col("until").is_null() | (pl.col("started_at") < pl.col("until")))
    )
    extra = held.drop("since", "until").join(
        book.allowances.rename({"version_id": "addon_version_id"}),
        on=["addon_version_id", "service", "zone"],
    )
    columns = [*own.columns]
    both = pl.concat([own.select(columns), extra.select(columns)])
    both = _pools(session, both)
    both = both.sort(["_row", "addon_id", "allowance_id"]).with_columns(
        pl.col("_row").cum_count().over("_row").alias("stage")
    )
    return both


def _pools(session: DbSession, cands: pl.DataFrame) -> pl.DataFrame:
    """Who each candidate's counter is kept for, and its period: the pool's for shared ones."""
    mine = cands.filter(~pl.col("shared")).with_columns(
        pl.lit(SUBSCRIPTION).alias("holder"),
        pl.col("subscription_id").alias("holder_id"),
        pl.lit(1, pl.Int64).alias("lines"),
        pl.col("anchor").alias("pool_anchor"),
    )
    shared = cands.filter(pl.col("shared"))
    if shared.height:
        pools = _pool_lines(session, shared)
        shared = (
            shared.drop("period_start", "period_end")
            .join(pools, on=["account_id", "version_id"], how="left")
            .with_columns(pl.coalesce("pool_anchor", "anchor"), pl.col("lines").fill_null(1))
        )
        shared = _with_periods(shared, "pool_anchor", "period").with_columns(
            pl.lit(ACCOUNT).alias("holder"), pl.col("account_id").alias("holder_id")
        )
    columns = [*mine.columns]
    return pl.concat([mine, shared.select(columns)]) if shared.height else mine


def _pool_lines(session: DbSession, shared: pl.DataFrame) -> pl.DataFrame:
    """Per account and version: its lines on the version now, and the first one's anchor."""
    pairs = shared.select("account_id", "version_id").unique().rows()
    stmt = (
        select(Subscription.account_id, Subscription.plan_version_id, Subscription.anchor_date)
        .where(
            tuple_(Subscription.account_id, Subscription.plan_version_id).in_(pairs),
            Subscription.status != CANCELLED,
        )
        .order_by(Subscription.id)
    )
    schema = {"account_id": pl.Int64, "version_id": pl.Int64, "pool_anchor": pl.Date}
    rows = pl.DataFrame([tuple(r) for r in read(session, stmt)], schema=schema, orient="row")
    return rows.group_by(["account_id", "version_id"], maintain_order=True).agg(
        pl.col("pool_anchor").first(), pl.len().cast(pl.Int64).alias("lines")
    )


KEY = ["allowance_id", "holder", "holder_id", "period_start"]


def _allowances(session: DbSession, batch: pl.DataFrame, book: Book) -> pl.DataFrame:
    """Draw the records on their allowances; add `allowance_id` and `allowance_used`."""
    cands = _candidates(session, batch, book)
    left = batch.select("_row", pl.col("rated_usage").alias("left"))
    first = batch.select("_row", pl.lit(None, pl.Int64).alias("allowance_id"))
    if cands.height == 0:
        return batch.with_columns(
            pl.lit(None, pl.Int64).alias("allowance_id"),
            pl.lit(0, pl.Int64).alias("allowance_used"),
        )
    state = _counters(session, cands)
    available = state.select(*KEY, "available")
    drawn_total: list[pl.DataFrame] = []
    for stage in range(1, cast(int, cands["stage"].max() or 0) + 1):
        step = (
            cands.filter(pl.col("stage") == stage)
            .join(left, on="_row")
            .join(available, on=KEY)
            .sort([*KEY, *ORDER])
        )
        before = pl.col("left").cum_sum().over(KEY) - pl.col("left")
        draw = pl.min_horizontal(
            pl.col("left"), (pl.col("available") - before).clip(lower_bound=0)
        ).alias("draw")
        step = step.with_columns(draw)
        drawn = step.group_by(KEY).agg(pl.col("draw").sum().alias("drawn"))
        available = (
            available.join(drawn, on=KEY, how="left")
            .with_columns((pl.col("available") - pl.col("drawn").fill_null(0)).alias("available"))
            .drop("drawn")
        )
        drawn_total.append(drawn)
        took = step.filter(pl.col("draw") > 0).select(
            "_row", "draw", pl.col("allowance_id").alias("a")
        )
        left = (
            left.join(took, on="_row", how="left")
            .with_columns((pl.col("left") - pl.col("draw").fill_null(0)).alias("left"))
            .drop("draw", "a")
        )
        first = (
            first.join(took.select("_row", "a"), on="_row", how="left")
            .with_columns(pl.coalesce("allowance_id", "a").alias("allowance_id"))
            .drop("a")
        )
    _write_counters(session, state, pl.concat(drawn_total))
    used = (pl.col("rated_usage") - pl.col("left")).alias("allowance_used")
    return batch.join(left, on="_row").join(first, on="_row").with_columns(used).drop("left")


def _insert_missing(
    session: DbSession, model: Any, rows: list[dict[str, Any]], keys: list[str]
) -> None:
    """Insert the rows whose key is not stored yet (one statement), sorted by key."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = make(model).values(rows).on_conflict_do_nothing(index_elements=["tenant_id", *keys])
    session.execute(stmt)


def _counters(session: DbSession, cands: pl.DataFrame) -> pl.DataFrame:
    """The batch's allowance counters, made where missing and locked; what each has left."""
    keys = (
        cands.group_by(KEY)
        .agg(
            pl.col("period_end").first(),
            pl.col("quantity").first(),
            pl.col("lines").max(),
            pl.col("rollover").first(),
            pl.col("pool_anchor").first(),
            pl.col("interval").first(),
        )
        .sort(KEY)
    )
    carried = _carried(session, keys)
    tenant, now = require_tenant_id(), utcnow()
    rows = [
        {
            "tenant_id": tenant,
            "allowance_id": k["allowance_id"],
            "holder": k["holder"],
            "holder_id": k["holder_id"],
            "period_start": k["period_start"],
            "period_end": k["period_end"],
            "granted": None if k["quantity"] is None else k["quantity"] * k["lines"],
            "carried": carried.get(_key(k), 0),
            "used": 0,
            "lines": k["lines"],
            "updated_at": now,
        }
        for k in keys.iter_rows(named=True)
    ]
    _insert_missing(session, AllowanceCounter, rows, KEY)
    locked = session.execute(
        select(
            AllowanceCounter.id,
            *(getattr(AllowanceCounter, c) for c in KEY),
            AllowanceCounter.granted,
            AllowanceCounter.carried,
            AllowanceCounter.used,
            AllowanceCounter.lines,
        )
        .where(tuple_(*(getattr(AllowanceCounter, c) for c in KEY)).in_([_key(r) for r in rows]))
        .order_by(*(getattr(AllowanceCounter, c) for c in KEY))
        .with_for_update()
    ).all()
    wanted = {_key(r): r for r in rows}
    state = []
    for ident, a, h, hid, start, granted, carry, used, lines in locked:
        want = wanted[(a, h, hid, start)]
        # A shared pool grows with the account's lines; its grant follows the most seen.
        if granted is not None and want["lines"] > lines:
            granted = granted // lines * want["lines"]
            lines = want["lines"]
        left = UNLIMITED if granted is None else max(0, granted + carry - used)
        state.append((ident, a, h, hid, start, left, granted, lines, used))
    schema = {
        "counter_id": pl.Int64,
        "allowance_id": pl.Int64,
        "holder": pl.String,
        "holder_id": pl.Int64,
        "period_start": pl.Date,
        "available": pl.Int64,
        "granted": pl.Int64,
        "lines": pl.Int64,
        "used": pl.Int64,
    }
    return pl.DataFrame(state, schema=schema, orient="row")


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in KEY)


def _carried(session: DbSession, keys: pl.DataFrame) -> dict[tuple[Any, ...], int]:
    """What each new rollover counter carries in: the unused part of the period before."""
    previous: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    full: dict[tuple[Any, ...], int] = {}
    for k in keys.filter(pl.col("rollover") & pl.col("quantity").is_not_null()).iter_rows(
        named=True
    ):
        if k["period_start"] <= k["pool_anchor"]:
            continue  # the first period: nothing before it
        before = period_containing(
            k["pool_anchor"], k["interval"], k["period_start"] - timedelta(1)
        )
        previous[(k["allowance_id"], k["holder"], k["holder_id"], before.start)] = _key(k)
        full[_key(k)] = k["quantity"] * k["lines"]
    if not previous:
        return {}
    stmt = select(
        *(getattr(AllowanceCounter, c) for c in KEY),
        AllowanceCounter.granted,
        AllowanceCounter.carried,
        AllowanceCounter.used,
    ).where(tuple_(*(getattr(AllowanceCounter, c) for c in KEY)).in_(list(previous)))
    # A period with no counter had no usage: all of it is left.
    out = dict(full)
    for a, h, hid, start, granted, carry, used in read(session, stmt):
        granted = granted or 0
        out[previous[(a, h, hid, start)]] = max(0, min(granted, granted + carry - used))
    return out


def _write_counters(session: DbSession, state: pl.DataFrame, drawn: pl.DataFrame) -> None:
    """Add what the batch drew to its counters, locked by `_counters` (one statement, by id)."""
    totals = drawn.group_by(KEY).agg(pl.col("drawn").sum())
    rows = state.join(totals, on=KEY, how="left").sort("counter_id")
    now = utcnow()
    session.execute(
        update(AllowanceCounter),
        [
            {
                "id": r["counter_id"],
                "used": r["used"] + (r["drawn"] or 0),
                "granted": r["granted"],
                "lines": r["lines"],
                "updated_at": now,
            }
            for r in rows.iter_rows(named=True)
        ],
    )


# Usage charges


def _usage_charges(session: DbSession, batch: pl.DataFrame, book: Book) -> pl.DataFrame:
    """`charged_micros`: the plan's usage charge for the uncovered units, else the deck's price."""
    uncovered = (pl.col("rated_usage") - pl.col("allowance_used")).alias("uncovered")
    batch = batch.with_columns(uncovered)
    priced = batch.filter(_draws_on(batch)).join(
        book.components, on=["version_id", "service", "zone"]
    )
    deck = _pro_rata(pl.col("retail_micros"), pl.col("uncovered"), pl.col("rated_usage"))
    if priced.height == 0:
        return batch.with_columns(deck.alias("charged_micros")).drop("uncovered")
    keys = ["subscription_id", "component_id", "period_start"]
    before = _charge_counters(session, priced, keys)
    priced = priced.join(before, on=keys).sort([*keys, *ORDER])
    running = (
        pl.col("units_before") + pl.col("uncovered").cum_sum().over(keys) - pl.col("uncovered")
    ).alias("before")
    priced = priced.with_columns(running)
    parts = []
    for component in priced["component_id"].unique().to_list():
        part = priced.filter(pl.col("component_id") == component)
        size = int(part["unit_size"][0])
        cost = adds(book.charges[component], size, pl.col("before"), pl.col("uncovered"))
        assert cost is not None
        parts.append(part.select("_row", cost.alias("usage_micros")))
    totals = priced.group_by(["counter_id"]).agg(
        (pl.col("units_before").first() + pl.col("uncovered").sum()).alias("units")
    )
    session.execute(
        update(UsageChargeCounter),
        [
            {"id": ident, "units": units, "updated_at": utcnow()}
            for ident, units in totals.sort("counter_id").iter_rows()
        ],
    )
    costs = pl.concat(parts)
    batch = batch.join(costs, on="_row", how="left")
    charged = pl.coalesce(pl.col("usage_micros"), deck).alias("charged_micros")
    return batch.with_columns(charged).drop("uncovered", "usage_micros")


def _pro_rata(amount: pl.Expr, part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    """amount x part / whole rounded half up; the whole amount when `whole` is 0."""
    num = amount.cast(pl.Int128) * part.cast(pl.Int128)
    den = whole.cast(pl.Int128)
    half_up = (num * 2 + den) // (2 * den)
    half_down = pl.lit(0, pl.Int128) - ((pl.lit(0, pl.Int128) - num) * 2 + den) // (2 * den)
    share = pl.when(num >= 0).then(half_up).otherwise(half_down)
    # A record of no rated units (a call's connect fee alone) has nothing an allowance covers.
    return pl.when(whole <= 0).then(amount).otherwise(share).cast(pl.Int64)


def _charge_counters(session: DbSession, priced: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    wanted = priced.group_by(keys).agg(pl.col("period_end").first()).sort(keys)
    tenant, now = require_tenant_id(), utcnow()
    rows = [
        {"tenant_id": tenant, **r, "units": 0, "updated_at": now}
        for r in wanted.iter_rows(named=True)
    ]
    _insert_missing(session, UsageChargeCounter, rows, list(keys))
    columns = [getattr(UsageChargeCounter, c) for c in keys]
    locked = session.execute(
        select(UsageChargeCounter.id, *columns, UsageChargeCounter.units)
        .where(tuple_(*columns).in_([tuple(r[c] for c in keys) for r in rows]))
        .order_by(*columns)
        .with_for_update()
    ).all()
    schema = {
        "counter_id": pl.Int64,
        "subscription_id": pl.Int64,
        "component_id": pl.Int64,
        "period_start": pl.Date,
        "units_before": pl.Int64,
    }
    return pl.DataFrame([tuple(r) for r in locked], schema=schema, orient="row")
