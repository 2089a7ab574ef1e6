"""Re-rating: a period's stored records priced again, each difference booked as a correction.

After a tariff fix a brand re-runs `rate` and `charge` over the records it stored for a period.
A record whose price comes out the same is left alone; one whose price moved takes the new
amounts, and a correction is booked beside it with the old and new amounts and the reason, so
nothing changes without a trace. Re-rating again with the same tariff books nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy import Table, bindparam, insert, select, update

from saas.db import DbSession, utcnow
from saas.identity.actor import current_actor
from saas.tenancy.context import require_tenant_id
from saas.tenancy.models import Tenant
from saas.usage import records as R
from saas.usage.errors import UsageError
from saas.usage.models import UsageCorrection, UsageRecord
from saas.usage.stages import stage

BATCH = 5_000
PRICED = ("retail_micros", "charged_micros", "wholesale_micros", "rate_id")
KEPT = (*R.RATED, *R.CHARGED)


@dataclass
class Rerated:
    """What a re-rating found: records priced again, corrected, refused now; the net change."""

    records: int = 0
    corrected: int = 0
    refused: int = 0
    difference_micros: int = 0
    correction_ids: list[int] = field(default_factory=list)


def period(session: DbSession, first: date, last: date) -> tuple[datetime, datetime]:
    """The instants of a period of whole days in the brand's zone, `last` included."""
    if last < first:
        raise UsageError("usage.period", field="to")
    zone = ZoneInfo(session.get_one(Tenant, require_tenant_id()).timezone)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return start, end


def rerate(session: DbSession, start: datetime, end: datetime, reason: str) -> Rerated:
    """Price the records of [start, end) again and book every difference as a correction."""
    done, after = Rerated(), 0
    while True:
        old = _stored(session, start, end, after)
        if old.is_empty():
            return done
        after = int(old["id"].max())  # type: ignore[arg-type]
        _again(session, old, reason, done)


def _stored(session: DbSession, start: datetime, end: datetime, after: int) -> pl.DataFrame:
    """The next batch of stored records of the period, by id, as READ + LINE + what they cost."""
    table = UsageRecord.__table__.c
    names = ["id", *R.READ, *R.LINE, *KEPT]
    stmt = (
        select(*[table[n] for n in names])
        .where(
            table.tenant_id == require_tenant_id(),
            table.started_at >= start,
            table.started_at < end,
            table.id > after,
        )
        .order_by(table.id)
        .limit(BATCH)
    )
    schema: dict[str, Any] = {"id": pl.Int64, **R.READ, **R.LINE, **R.RATED, **R.CHARGED}
    rows = [tuple(r) for r in session.execute(stmt).all()]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _again(session: DbSession, old: pl.DataFrame, reason: str, done: Rerated) -> None:
    found = old.select([*R.READ, *R.LINE])
    rated, refused = stage("rate")(session, found)
    charged = stage("charge")(session, rated)
    done.records += len(old)
    done.refused += len(refused)
    new = charged.select("record_key", *[pl.col(c).alias(f"new_{c}") for c in KEPT])
    both = old.join(new, on="record_key", how="inner")
    moved = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"new_{c}")) for c in PRICED)
    changed = both.filter(moved)
    if changed.is_empty():
        return
    _book(session, changed, reason, done)


def _book(session: DbSession, changed: pl.DataFrame, reason: str, done: Rerated) -> None:
    """Book a correction per changed record and give the record its new amounts."""
    now, actor = utcnow(), current_actor().label
    corrections = changed.select(
        record_id="id",
        old_retail_micros="retail_micros",
        new_retail_micros="new_retail_micros",
        old_charged_micros="charged_micros",
        new_charged_micros="new_charged_micros",
        old_wholesale_micros="wholesale_micros",
        new_wholesale_micros="new_wholesale_micros",
        old_rate_id="rate_id",
        new_rate_id="new_rate_id",
    ).with_columns(reason=pl.lit(reason), actor_label=pl.lit(actor), booked_at=pl.lit(now))
    corrected = cast(Table, UsageCorrection.__table__)
    stmt = insert(corrected).returning(corrected.c.id)
    ids = session.execute(stmt, corrections.to_dicts()).scalars().all()
    done.correction_ids += [int(i) for i in ids]
    table = cast(Table, UsageRecord.__table__)
    values: dict[str, Any] = {c: bindparam(f"new_{c}") for c in KEPT}
    change = update(table).where(table.c.id == bindparam("record")).values(values)
    rows = changed.select(pl.col("id").alias("record"), *[f"new_{c}" for c in KEPT]).to_dicts()
    session.connection().execute(change, rows)
    done.corrected += len(changed)
    done.difference_micros += int((changed["new_charged_micros"] - changed["charged_micros"]).sum())


def corrections(session: DbSession, record_ids: list[int]) -> list[UsageCorrection]:
    """The corrections booked on these records, oldest first."""
    stmt = (
        select(UsageCorrection)
        .where(UsageCorrection.record_id.in_(record_ids))
        .order_by(UsageCorrection.booked_at, UsageCorrection.id)
    )
    return list(session.scalars(stmt))
