"""Records set aside: kept with the reason and their raw text, and tried again after a fix."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import polars as pl
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from saas.db import DbSession, utcnow
from saas.usage import records as R
from saas.usage.models import QuarantinedRecord
from saas.usage.readers import Batch


def refusals(batch: Batch, refused: Iterable[pl.DataFrame]) -> list[dict[str, object]]:
    """Every record of the batch that stops here: unreadable ones, then the stages' refusals."""
    rows: list[dict[str, object]] = [
        {"row": row, "record_key": None, "reason": R.UNREADABLE, "detail": detail}
        for row, detail in batch.unreadable
    ]
    for frame in refused:
        rows += frame.select("row", "record_key", "reason", "detail").to_dicts()
    for item in rows:
        item["raw"] = batch.raw_of(int(str(item["row"])))
    return rows


def keep(session: DbSession, file_id: int, rows: list[dict[str, object]]) -> None:
    """Quarantine the records (again): a record tried before takes its new reason."""
    if not rows:
        return
    now = utcnow()
    values = [{"file_id": file_id, "quarantined_at": now, "tried_at": now, **r} for r in rows]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(QuarantinedRecord.__table__)
    table = QuarantinedRecord.__table__.c
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "file_id", "row"],
        set_={
            "reason": stmt.excluded.reason,
            "detail": stmt.excluded.detail,
            "record_key": stmt.excluded.record_key,
            "tried_at": stmt.excluded.tried_at,
            "attempts": table.attempts + 1,
            "released_at": None,
        },
    )
    session.execute(stmt, values)


def release(session: DbSession, file_id: int, rows: list[int], at: datetime) -> None:
    """Let the records out of quarantine: they are rated now."""
    if rows:
        stmt = (
            update(QuarantinedRecord)
            .where(QuarantinedRecord.file_id == file_id, QuarantinedRecord.row.in_(rows))
            .values(released_at=at, tried_at=at)
        )
        session.execute(stmt)


def waiting(session: DbSession, file_id: int) -> int:
    """How many of the file's records are in quarantine now."""
    stmt = (
        select(func.count())
        .select_from(QuarantinedRecord)
        .filter_by(file_id=file_id, released_at=None)
    )
    return int(session.scalar(stmt) or 0)


def of_file(session: DbSession, file_id: int, limit: int = 500) -> list[QuarantinedRecord]:
    """The file's records in quarantine now, in file order."""
    stmt = (
        select(QuarantinedRecord)
        .filter_by(file_id=file_id, released_at=None)
        .order_by(QuarantinedRecord.row)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def reasons_of(session: DbSession, file_id: int) -> dict[str, int]:
    """How many of the file's quarantined records wait for each reason."""
    stmt = (
        select(QuarantinedRecord.reason, func.count())
        .filter_by(file_id=file_id, released_at=None)
        .group_by(QuarantinedRecord.reason)
    )
    return {reason: int(count) for reason, count in session.execute(stmt).all()}
