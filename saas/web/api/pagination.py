"""Keyset pagination with opaque cursors: stable while rows are added."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from saas.db import DbSession, fixed_limit, read
from saas.web.api.models import refuse
from saas.web.routing import MAX_ROW_ID

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_CURSOR = re.compile(r"after:(\d{1,10})", re.ASCII)  # ASCII: int() refuses digits such as "²"


def encode_cursor(row_id: int) -> str:
    """Return the cursor that continues after a row."""
    return base64.urlsafe_b64encode(f"after:{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    """Return the row id a cursor continues after, or None for a cursor we did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = _CURSOR.fullmatch(raw)
    return int(match[1]) if match and int(match[1]) <= MAX_ROW_ID else None


def _cursor(value: str) -> int:
    after = decode_cursor(value)
    if after is None:
        raise refuse("not_a_cursor")
    return after


class PageQuery(BaseModel):
    """How many rows a client wants, and after which row."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items to return.")
    cursor: Annotated[
        int | None,
        BeforeValidator(_cursor),
        WithJsonSchema({"type": "string", "description": "The `next_cursor` of the last page."}),
    ] = None


def paginate(
    session: DbSession,
    stmt: Select[Any],
    key: InstrumentedAttribute[int],
    page: PageQuery,
    newest_first: bool = False,
    orm: bool = False,
) -> tuple[list[Any], str | None]:
    """Return one page of rows ordered by `key` and the cursor of the next page, if any.

    The rows are the objects of a statement of one entity, else its rows (one column is `id`).
    """
    if page.cursor is not None:
        stmt = stmt.where(key < page.cursor if newest_first else key > page.cursor)
    order = key.desc() if newest_first else key.asc()
    columns = len(stmt.column_descriptions) != 1
    stmt = stmt.order_by(None).order_by(order).limit(fixed_limit(page.limit + 1))
    # Rows of nested records (bundles) are put together by the ORM; plain columns are read raw.
    rows = list(
        session.scalars(stmt)
        if not columns
        else session.execute(stmt)
        if orm
        else read(session, stmt)
    )
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return rows, encode_cursor(rows[-1].id) if more else None
