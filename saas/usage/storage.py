"""Rated usage written in bulk: COPY into a temporary table, then one INSERT that skips known keys.

On PostgreSQL a batch goes to the server as CSV through psycopg's COPY, into a temporary table
of the connection (emptied at every commit), and from there into `usage_records` with
`ON CONFLICT (tenant_id, record_key) DO NOTHING`: a record stored before (another delivery of
the message, another file carrying it) is counted as a duplicate, never stored twice. SQLite
(the demo) takes the same rows through one executemany.
"""

from __future__ import annotations

from typing import Any, cast

import polars as pl
from sqlalchemy import Table, insert, select, text
from sqlalchemy.engine import Connection

from saas.db import DbSession, utcnow
from saas.db.prepared import WROTE
from saas.tenancy.context import require_tenant_id
from saas.usage import records as R
from saas.usage.models import UsageRecord

STORED = (*R.READ, *R.LINE, *R.RATED, *R.CHARGED)
COLUMNS = ("tenant_id", "file_id", *(c for c in STORED if c != "row"), "row", "rated_at")
# Text columns that are never null: an empty CSV field there is "", not NULL.
NOT_NULL_TEXT = ("destination", "visited_network", "prefix", "zone")
TEMP = "usage_incoming"
LOCK_SPACE = 1_550_001  # the advisory-lock space of "a brand's usage is being charged"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%z"


def rows_of(frame: pl.DataFrame, file_id: int) -> pl.DataFrame:
    """A charged batch as `usage_records` rows, in COLUMNS' order."""
    return frame.select(
        tenant_id=pl.lit(require_tenant_id(), pl.Int64),
        file_id=pl.lit(file_id, pl.Int64),
        **{c: pl.col(c) for c in COLUMNS[2:-1]},
        rated_at=pl.lit(utcnow()).dt.cast_time_unit("us"),
    ).with_columns(pl.col(c).fill_null("") for c in NOT_NULL_TEXT)


def claim(session: DbSession, rated: pl.DataFrame) -> pl.DataFrame:
    """The records of a batch not stored yet, under the brand's lock until the commit.

    Charging moves allowance counters and balances, so a record must be charged only once:
    batches of one brand take their turn from here to the commit (charging waits on the brand's
    monthly wholesale counter anyway), and what another batch stored first is left out.
    """
    if rated.is_empty():
        return rated
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:space, :tenant)"), _lock_key())
    keys = rated["record_key"].to_list()
    known = select(UsageRecord.record_key).where(UsageRecord.record_key.in_(keys))
    stored = set(session.scalars(known))
    return rated.filter(~pl.col("record_key").is_in(list(stored))) if stored else rated


def _lock_key() -> dict[str, int]:
    return {"space": LOCK_SPACE, "tenant": require_tenant_id()}


def store(session: DbSession, file_id: int, charged: pl.DataFrame) -> int:
    """Store a charged batch; returns how many were new (the rest were stored before)."""
    if charged.is_empty():
        return 0
    frame = rows_of(charged, file_id)
    conn = session.connection()
    conn.info[WROTE] = True  # written past SQLAlchemy: a failure must roll it back
    if conn.dialect.name == "postgresql":
        return copy_in(conn, frame)
    return _insert_many(conn, frame)


def copy_in(conn: Connection, frame: pl.DataFrame) -> int:
    """COPY the rows into the connection's temporary table, then insert the new ones."""
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    driver: Any = conn.connection.driver_connection
    with driver.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TEMP} ON COMMIT DELETE ROWS "
            f"AS SELECT {names} FROM usage_records WITH NO DATA"
        )
        forced = ", ".join(NOT_NULL_TEXT)
        copy_sql = f"COPY {TEMP} ({names}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({forced}))"
        with cursor.copy(copy_sql) as copy:
            copy.write(frame.write_csv(include_header=False, datetime_format=TIME_FORMAT))
        cursor.execute(
            f"INSERT INTO usage_records ({names}) SELECT {names} FROM {TEMP} "
            "ON CONFLICT (tenant_id, record_key) DO NOTHING"
        )
        stored = cursor.rowcount
        cursor.execute(f"TRUNCATE {TEMP}")
    return int(stored)


def _insert_many(conn: Connection, frame: pl.DataFrame) -> int:
    """The same rows through one executemany, skipping keys already stored (SQLite)."""
    stmt = insert(cast(Table, UsageRecord.__table__)).prefix_with("OR IGNORE")
    result = conn.execute(stmt, frame.to_dicts())
    return int(result.rowcount)
