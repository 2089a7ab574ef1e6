"""The `lines` stage: each record's line as it was at the record's time, found for a whole batch.

The rule is `saas.network.lines.line_at`'s: the line whose number (or, for a record without a
number or whose number no line held then, whose IMSI) was held from `valid_from` until
`valid_to` around `started_at`; the latest such interval wins. A batch is answered with one
read of the number intervals and one of the SIM intervals for all its distinct numbers and
IMSIs, joined in Polars (an as-of join per number), never a query per record.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import select

from saas.db import DbSession
from saas.network.models import Line, LineNumber, LineSim
from saas.usage import records as R
from saas.usage.readers.base import typed

HELD: dict[str, Any] = {
    "key": pl.String,
    "line_id": pl.Int64,
    "valid_from": R.UTC_TIME,
    "valid_to": R.UTC_TIME,
}


def lines(session: DbSession, read: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """READ + LINE for the records whose line is found; the others refused as `usage.no_line`."""
    read = read.with_columns(_at=pl.col("started_at"))
    by_number = _matched(read, "msisdn", _intervals(session, LineNumber, read["msisdn"]))
    imsis = read.join(by_number, on="row", how="anti")
    by_imsi = _matched(imsis, "imsi", _intervals(session, LineSim, imsis["imsi"]))
    held = pl.concat([by_number, by_imsi]).unique("row", keep="first")
    found = read.join(held, on="row", how="inner")
    found = found.join(_subscriptions(session, found["line_id"]), on="line_id", how="inner")
    found = found.select(typed(R.READ | R.LINE))
    refused = read.join(found.select("row"), on="row", how="anti").select(
        [pl.col(n) for n in R.READ],
        reason=pl.lit(R.NO_LINE),
        detail=pl.lit("no line held this number or IMSI at the record's time"),
    )
    return found, refused


def _intervals(session: DbSession, model: type, keys: pl.Series) -> pl.DataFrame:
    """Every interval of the brand's lines holding one of these numbers (or IMSIs)."""
    wanted = keys.drop_nulls().unique().to_list()
    if not wanted:
        return pl.DataFrame(schema=HELD)
    column = model.msisdn if model is LineNumber else model.imsi  # type: ignore[attr-defined]
    stmt = select(column, model.line_id, model.valid_from, model.valid_to).where(  # type: ignore[attr-defined]
        column.in_(wanted)
    )
    rows = session.execute(stmt).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=HELD, orient="row")


def _matched(read: pl.DataFrame, key: str, held: pl.DataFrame) -> pl.DataFrame:
    """Row -> line_id for the records whose `key` was held at their time (latest start wins)."""
    wanted = read.filter(pl.col(key).is_not_null()).select("row", pl.col(key).alias("key"), "_at")
    if wanted.is_empty() or held.is_empty():
        return pl.DataFrame(schema={"row": pl.Int64, "line_id": pl.Int64})
    joined = wanted.sort("_at").join_asof(
        held.sort("valid_from"),
        left_on="_at",
        right_on="valid_from",
        by="key",
        strategy="backward",
        check_sortedness=False,  # sorted above, as a whole: each number's intervals are too
    )
    still = pl.col("valid_to").is_null() | (pl.col("valid_to") > pl.col("_at"))
    return joined.filter(pl.col("line_id").is_not_null() & still).select("row", "line_id")


def _subscriptions(session: DbSession, line_ids: pl.Series) -> pl.DataFrame:
    """line_id -> subscription_id for the lines found."""
    wanted = line_ids.unique().to_list()
    schema: dict[str, Any] = {"line_id": pl.Int64, "subscription_id": pl.Int64}
    if not wanted:
        return pl.DataFrame(schema=schema)
    rows = session.execute(select(Line.id, Line.subscription_id).where(Line.id.in_(wanted))).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
