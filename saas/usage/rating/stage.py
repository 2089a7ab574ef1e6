"""The `rate` stage of the usage pipeline: found records in, rated and refused records out."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
from sqlalchemy import select

from saas.catalog import models as C
from saas.db import DbSession, read
from saas.subscriptions.models import REVOKED, SubscriptionEvent
from saas.usage import records as R
from saas.usage.rating import store
from saas.usage.rating.compiled import EPOCH
from saas.usage.rating.kernel import NO_DESTINATION, NO_PROFILE, NO_TIMING, price

_ORDER = "_order"
_REASONS = {
    NO_DESTINATION: R.UNAUTHORISED_DESTINATION,
    NO_TIMING: R.NO_RATE,
    NO_PROFILE: R.NO_RATE,
}


def micros_since_1970(at: datetime) -> int:
    """An instant as whole microseconds, as a batch's times are held."""
    return (at - EPOCH) // timedelta(microseconds=1)


def plan_codes(session: DbSession, frame: pl.DataFrame) -> pl.Series:
    """Each record's subject: its subscription's plan code at `started_at` (null if none).

    One query for the batch's subscriptions' plan changes, then an as-of join on the times.
    """
    ids = frame["subscription_id"].drop_nulls().unique().to_list()
    changes = _plan_changes(session, ids)
    left = frame.select(_ORDER, "subscription_id", "started_at").sort("started_at")
    if changes.is_empty():
        return pl.Series("subject", [None] * frame.height, pl.String)
    joined = left.join_asof(
        changes.sort("effective_at"),
        left_on="started_at",
        right_on="effective_at",
        by="subscription_id",
        strategy="backward",
        check_sortedness=False,  # both sides are sorted just above
    )
    return joined.sort(_ORDER)["subject"]


def _plan_changes(session: DbSession, ids: list[int]) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {
        "subscription_id": pl.Int64(),
        "effective_at": R.UTC_TIME,
        "subject": pl.String(),
    }
    if not ids:
        return pl.DataFrame(schema=schema)
    E = SubscriptionEvent
    stmt = (
        select(E.subscription_id, E.effective_at, E.data)
        .where(E.subscription_id.in_(ids), E.state != REVOKED)
        .order_by(E.effective_at, E.id)
    )
    rows = [
        (r.subscription_id, r.effective_at, r.data["plan_version_id"])
        for r in read(session, stmt)
        if isinstance(r.data, dict) and isinstance(r.data.get("plan_version_id"), int)
    ]
    versions = sorted({r[2] for r in rows})
    codes = dict(
        read(
            session,
            select(C.PlanVersion.id, C.Plan.code)
            .join(C.Plan, C.Plan.id == C.PlanVersion.plan_id)
            .where(C.PlanVersion.id.in_(versions)),
        ).all()
    )
    data = [(s, at, codes.get(v)) for s, at, v in rows]
    return pl.DataFrame(data, schema=schema, orient="row")


def _refused(frame: pl.DataFrame, reason: str, detail: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(reason=pl.lit(reason), detail=detail)


def _details(priced: pl.DataFrame, version_id: int) -> pl.DataFrame:
    """Refused rows with their reason code and English words for the log."""
    refused = priced.filter(pl.col("refusal") != 0)
    return refused.with_columns(
        reason=pl.col("refusal").replace_strict(_REASONS, return_dtype=pl.String),
        detail=pl.when(pl.col("refusal") == NO_DESTINATION)
        .then(
            pl.format(
                "no destination of deck version {} matches {}", pl.lit(version_id), "destination"
            )
        )
        .when(pl.col("refusal") == NO_TIMING)
        .then(
            pl.format(
                "no rate for {} applies at {}",
                "destination",
                pl.col("started_at").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
            )
        )
        .otherwise(
            pl.format(
                "no rating profile for {} and subject {}",
                "service",
                pl.col("subject").fill_null("(none)"),
            )
        ),
    )


def rate(session: DbSession, found: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Price a batch of found records by the deck version in force at each one's start.

    Returns (rated, refused): rated carries the batch's columns and RATED, refused the batch's
    columns with `reason` and `detail`; together they hold every record once, in batch order.
    """
    columns = found.columns
    frame = found.with_row_index(_ORDER).with_columns(
        subject=plan_codes(session, found.with_row_index(_ORDER))
    )
    chosen = store.versions(session)
    starts = np.array([int(v.activates_at.timestamp() * 1_000_000) for v in chosen], np.int64)
    started = frame["started_at"].cast(pl.Int64).fill_null(np.iinfo(np.int64).min).to_numpy()
    which = np.searchsorted(starts, started, side="right") - 1
    frame = frame.with_columns(_version=pl.Series(which))
    rated, refused = [], []
    none = frame.filter(pl.col("_version") < 0)
    if none.height:
        words = pl.format(
            "no rate deck is in force at {}",
            pl.col("started_at").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
        )
        refused.append(_refused(none, R.NO_DECK, words))
    for index in sorted(set(which.tolist()) - {-1}):
        version = chosen[index]
        part = frame.filter(pl.col("_version") == index)
        priced = price(store.compiled(session, version), part).with_columns(
            deck_version_id=pl.lit(version.id, pl.Int64)
        )
        rated.append(priced.filter(pl.col("refusal") == 0))
        refused.append(_details(priced, version.id))
    return _rated(rated, columns, found), _refusals(refused, columns, found)


def _rated(parts: list[pl.DataFrame], columns: list[str], found: pl.DataFrame) -> pl.DataFrame:
    shape = [*columns, *R.RATED]
    if not parts:
        return (
            found.clear()
            .with_columns(**{k: pl.lit(None, v) for k, v in R.RATED.items()})
            .select(shape)
        )
    frame = pl.concat(parts, how="vertical_relaxed").sort(_ORDER)
    return frame.with_columns(**{k: pl.col(k).cast(v) for k, v in R.RATED.items()}).select(shape)


def _refusals(parts: list[pl.DataFrame], columns: list[str], found: pl.DataFrame) -> pl.DataFrame:
    shape = [*columns, *R.REFUSED]
    if not parts:
        return (
            found.clear()
            .with_columns(reason=pl.lit(None, pl.String), detail=pl.lit(None, pl.String))
            .select(shape)
        )
    keep = [_ORDER, *columns, *R.REFUSED]
    frame = pl.concat([p.select(keep) for p in parts], how="vertical_relaxed").sort(_ORDER)
    return frame.select(shape)
