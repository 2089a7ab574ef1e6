"""The host MNO's price of each record, under the brand's wholesale agreement.

The platform operator keeps one agreement per brand, in numbered versions: a version is in
force from its `valid_from` until the next one's (`valid_until`, set when the next is made). A
version has destination groups (number prefixes; the longest prefix wins), per-unit rates by
service, zone and group, volume tiers, and a monthly fee per active line (for settlement).

A record is priced by the version in force at its `started_at`, with the most specific rate of
its service that applies: one for its destination group before one for its zone before one for
any; among those, the volume tier reached by the brand's units of the service this calendar
month (UTC) so far, before the record. Prices are per minute (voice), per message (SMS) or per
MB (data, 1,048,576 bytes), on the record's actual usage (not the retail increments), rounded
half up to a micro-unit per record. A record with no version in force, or no rate for it,
keeps a null price and is counted per day in `WholesaleGap`, which the platform console shows:
never priced at zero in silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from saas.db import DbSession, read, utcnow
from saas.errors import N_, Refusal, register
from saas.identity.actor import current_actor
from saas.network.models import ACTIVE, SUSPENDED, Line
from saas.tenancy.context import require_tenant_id
from saas.usage.charging_models import (
    WholesaleAgreement,
    WholesaleGap,
    WholesaleGroup,
    WholesaleRate,
    WholesaleVolume,
)
from saas.usage.records import MICROS, SERVICES, UTC_TIME
from saas.usage.units import SERVICE_UNITS, base_units
from saas.usage.usage_prices import scale, whole

REFUSALS = {
    "wholesale.starts_before_current": N_(
        "must be later than the start of the version in force before it (%(start)s)"
    ),
    "wholesale.no_rates": N_("needs at least one rate"),
    "wholesale.bad_service": N_("is not a service: voice, sms or data"),
    "wholesale.negative": N_("must not be below zero"),
    "wholesale.unknown_group": N_("names no destination group of this version: %(group)s"),
    "wholesale.bad_prefix": N_("must be digits only, as numbers are dialled internationally"),
    "wholesale.group_twice": N_("is given twice: %(group)s"),
}
register(REFUSALS)


class WholesaleError(Refusal):
    """An agreement version that cannot be saved: its code, the field and the parameters."""


# Keeping agreements


@dataclass(frozen=True)
class RateSpec:
    """A rate as given: per minute, message or MB."""

    service: str
    price: Decimal
    zone: str | None = None
    group: str | None = None
    from_volume: Decimal = Decimal(0)


@dataclass(frozen=True)
class GroupSpec:
    """A destination group as given."""

    code: str
    name: str
    prefixes: tuple[str, ...]


def versions(session: DbSession) -> list[WholesaleAgreement]:
    """The brand's agreement versions, newest first."""
    stmt = (
        select(WholesaleAgreement)
        .options(selectinload(WholesaleAgreement.groups), selectinload(WholesaleAgreement.rates))
        .order_by(WholesaleAgreement.number.desc())
    )
    return list(session.scalars(stmt))


def in_force(session: DbSession, at: datetime) -> WholesaleAgreement | None:
    """The version in force at an instant."""
    for version in versions(session):
        if version.valid_from <= at and (version.valid_until is None or at < version.valid_until):
            return version
    return None


def create_version(
    session: DbSession,
    *,
    name: str,
    currency: str,
    valid_from: datetime,
    line_fee: Decimal,
    groups: list[GroupSpec],
    rates: list[RateSpec],
    notes: str = "",
) -> WholesaleAgreement:
    """Add a version taking over at `valid_from`; the version before ends there."""
    _check(groups, rates, line_fee)
    earlier = versions(session)
    latest = earlier[0] if earlier else None
    if latest is not None and valid_from <= latest.valid_from:
        raise WholesaleError(
            "wholesale.starts_before_current", field="valid_from", start=latest.valid_from.date()
        )
    if latest is not None and (latest.valid_until is None or latest.valid_until > valid_from):
        latest.valid_until = valid_from
    version = WholesaleAgreement(
        number=(latest.number + 1) if latest else 1,
        name=name.strip() or "Wholesale agreement",
        currency=currency,
        valid_from=valid_from,
        valid_until=None,
        line_fee=line_fee,
        notes=notes,
        created_by=current_actor().label,
    )
    version.groups = [
        WholesaleGroup(code=g.code, name=g.name, prefixes=list(g.prefixes)) for g in groups
    ]
    version.rates = [
        WholesaleRate(
            service=r.service,
            zone=r.zone or None,
            group_code=r.group or None,
            from_volume=r.from_volume,
            price=r.price,
        )
        for r in rates
    ]
    session.add(version)
    session.flush()
    return version


def _check(groups: list[GroupSpec], rates: list[RateSpec], line_fee: Decimal) -> None:
    if line_fee < 0:
        raise WholesaleError("wholesale.negative", field="line_fee")
    codes: set[str] = set()
    for g in groups:
        if g.code in codes:
            raise WholesaleError("wholesale.group_twice", field="groups", group=g.code)
        codes.add(g.code)
        if not g.prefixes or not all(p.isascii() and p.isdigit() for p in g.prefixes):
            raise WholesaleError("wholesale.bad_prefix", field="groups")
    if not rates:
        raise WholesaleError("wholesale.no_rates", field="rates")
    for r in rates:
        if r.service not in SERVICES:
            raise WholesaleError("wholesale.bad_service", field="rates")
        if r.price < 0 or r.from_volume < 0:
            raise WholesaleError("wholesale.negative", field="rates")
        if r.group and r.group not in codes:
            raise WholesaleError("wholesale.unknown_group", field="rates", group=r.group)


def gaps(session: DbSession, since: date) -> int:
    """Records since a day that no agreement priced."""
    stmt = select(func.coalesce(func.sum(WholesaleGap.records), 0)).where(WholesaleGap.day >= since)
    return int(read(session, stmt).scalar() or 0)


def active_lines(session: DbSession) -> int:
    """The brand's lines on the network now (active or barred): what the monthly fee counts."""
    stmt = select(func.count(Line.id)).where(Line.state.in_([ACTIVE, SUSPENDED]))
    return int(read(session, stmt).scalar() or 0)


# Pricing a batch


def price(session: DbSession, batch: pl.DataFrame) -> pl.DataFrame:
    """Add `wholesale_agreement_id` and `wholesale_micros` to the batch."""
    agreements = versions(session)
    chosen: pl.Expr = pl.lit(None, pl.Int64)
    for version in agreements:  # few: one when/then each
        live = pl.col("started_at") >= pl.lit(version.valid_from).cast(UTC_TIME)
        if version.valid_until is not None:
            live = live & (pl.col("started_at") < pl.lit(version.valid_until).cast(UTC_TIME))
        chosen = pl.when(live).then(pl.lit(version.id, pl.Int64)).otherwise(chosen)
    batch = batch.with_columns(chosen.alias("wholesale_agreement_id"))
    month = pl.col("started_at").dt.truncate("1mo").dt.date().alias("_month")
    batch = batch.with_columns(month)
    before = _volumes(session, batch)
    batch = batch.join(before, on="_row", how="left")
    rates = _rates(agreements)
    batch = _groups(batch, agreements)
    priced = _priced(batch, rates)
    batch = batch.join(priced, on="_row", how="left")
    _count_gaps(session, batch)
    return batch.drop("_month", "_volume_before", "_group")


def _volumes(session: DbSession, batch: pl.DataFrame) -> pl.DataFrame:
    """Each record's brand volume of its service in its month so far; the counters moved on."""
    keys = ["_month", "service"]
    sums = batch.group_by(keys).agg(pl.col("usage").sum().alias("units")).sort(keys)
    tenant = require_tenant_id()
    rows = [
        {"tenant_id": tenant, "month": m, "service": s, "units": 0} for m, s, _ in sums.iter_rows()
    ]
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = make(WholesaleVolume).values(rows)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["tenant_id", "month", "service"]))
    locked = session.scalars(
        select(WholesaleVolume)
        .where(
            tuple_(WholesaleVolume.month, WholesaleVolume.service).in_(
                [(m, s) for m, s, _ in sums.iter_rows()]
            )
        )
        .order_by(WholesaleVolume.month, WholesaleVolume.service)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    held = {(v.month, v.service): v for v in locked}
    start = []
    for m, s, units in sums.iter_rows():
        counter = held[(m, s)]
        start.append((m, s, counter.units))
        counter.units = counter.units + units
    session.flush()
    frame = pl.DataFrame(
        start, schema={"_month": pl.Date, "service": pl.String, "_start": pl.Int64}, orient="row"
    )
    ordered = batch.select("_row", *keys, "usage", "started_at", "record_key").sort(
        [*keys, "started_at", "record_key"]
    )
    running = pl.col("_start") + pl.col("usage").cum_sum().over(keys) - pl.col("usage")
    return ordered.join(frame, on=keys).select("_row", running.alias("_volume_before"))


RATES = {
    "wholesale_agreement_id": pl.Int64,
    "service": pl.String,
    "rate_zone": pl.String,
    "rate_group": pl.String,
    "from_base": pl.Int64,
    "numerator": pl.Int128,
    "denominator": pl.Int128,
}


def _rates(agreements: list[WholesaleAgreement]) -> pl.DataFrame:
    rows = []
    for version in agreements:
        for rate in version.rates:
            size = SERVICE_UNITS[rate.service][1]
            micros = rate.price * MICROS
            t = scale([micros])
            rows.append(
                (
                    version.id,
                    rate.service,
                    rate.zone,
                    rate.group_code,
                    base_units(rate.from_volume, size),
                    whole(micros, t),
                    size * t,
                )
            )
    return pl.DataFrame(rows, schema=RATES, orient="row")


def _groups(batch: pl.DataFrame, agreements: list[WholesaleAgreement]) -> pl.DataFrame:
    """Each record's destination group under its version: the longest prefix that matches."""
    rows = [
        (version.id, prefix, len(prefix), group.code)
        for version in agreements
        for group in version.groups
        for prefix in group.prefixes
    ]
    schema = {"wholesale_agreement_id": pl.Int64, "_prefix": pl.String, "_len": pl.Int64}
    prefixes = pl.DataFrame(rows, schema={**schema, "_group": pl.String}, orient="row")
    found = []
    records = batch.select("_row", "wholesale_agreement_id", "destination").filter(
        pl.col("wholesale_agreement_id").is_not_null()
    )
    for length in prefixes["_len"].unique().to_list():
        keyed = records.with_columns(pl.col("destination").str.slice(0, length).alias("_prefix"))
        found.append(
            keyed.join(
                prefixes.filter(pl.col("_len") == length),
                on=["wholesale_agreement_id", "_prefix"],
            ).select("_row", "_len", "_group")
        )
    if not found:
        return batch.with_columns(pl.lit(None, pl.String).alias("_group"))
    best = (
        pl.concat(found)
        .sort(["_row", "_len"], descending=[False, True])
        .unique("_row", keep="first")
        .select("_row", "_group")
    )
    return batch.join(best, on="_row", how="left")


def _priced(batch: pl.DataFrame, rates: pl.DataFrame) -> pl.DataFrame:
    """The price of each record that has a version in force and a rate that applies."""
    records = batch.select(
        "_row", "wholesale_agreement_id", "service", "zone", "_group", "usage", "_volume_before"
    ).filter(pl.col("wholesale_agreement_id").is_not_null())
    matched = records.join(rates, on=["wholesale_agreement_id", "service"]).filter(
        (pl.col("rate_zone").is_null() | (pl.col("rate_zone") == pl.col("zone")))
        & (pl.col("rate_group").is_null() | (pl.col("rate_group") == pl.col("_group")))
        & (pl.col("from_base") <= pl.col("_volume_before"))
    )
    specific = pl.col("rate_group").is_not_null().cast(pl.Int8) * 2 + pl.col(
        "rate_zone"
    ).is_not_null().cast(pl.Int8)
    best = (
        matched.with_columns(specific.alias("_specific"))
        .sort(["_row", "_specific", "from_base"], descending=[False, True, True])
        .unique("_row", keep="first")
    )
    num = pl.col("usage").cast(pl.Int128) * pl.col("numerator")
    den = pl.col("denominator")
    micros = ((num * 2 + den) // (den * 2)).cast(pl.Int64)
    return best.select("_row", micros.alias("wholesale_micros"))


def _count_gaps(session: DbSession, batch: pl.DataFrame) -> None:
    """Count, per day, the records no agreement priced (one statement)."""
    missing = batch.filter(pl.col("wholesale_micros").is_null())
    if missing.height == 0:
        return
    days = (
        missing.group_by(pl.col("started_at").dt.date().alias("day"))
        .agg(pl.len().alias("records"))
        .sort("day")
    )
    tenant, now = require_tenant_id(), utcnow()
    rows = [
        {"tenant_id": tenant, "day": d, "records": n, "updated_at": now}
        for d, n in days.iter_rows()
    ]
    made: Any = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )(WholesaleGap).values(rows)
    added = {"records": WholesaleGap.records + made.excluded.records, "updated_at": now}
    session.execute(made.on_conflict_do_update(index_elements=["tenant_id", "day"], set_=added))
