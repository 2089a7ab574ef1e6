"""Keyset pagination with opaque cursors: stable while rows are added."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from saas.db import DbSession
from saas.web.api.problems import ValidationFailed, parameter_error
from saas.web.routing import MAX_ROW_ID

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_CURSOR_PREFIX = "after:"


@dataclass(frozen=True)
class PageRequest:
    """How many rows a client wants, and after which row."""

    limit: int
    after: int | None


def _plain_number(text: str, digits: int) -> bool:
    # str.isdigit alone accepts characters such as "²" that int() refuses.
    return text.isascii() and text.isdigit() and len(text) <= digits


def encode_cursor(row_id: int) -> str:
    """Return the cursor that continues after a row."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    """Return the row id a cursor continues after, or None for a cursor we did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    number = raw.removeprefix(_CURSOR_PREFIX)
    if not raw.startswith(_CURSOR_PREFIX) or not _plain_number(number, digits=10):
        return None
    return int(number) if int(number) <= MAX_ROW_ID else None


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return DEFAULT_LIMIT
    if not _plain_number(raw, digits=3) or not 1 <= int(raw) <= MAX_LIMIT:
        return None
    return int(raw)


def page_request(args: Mapping[str, str]) -> PageRequest:
    """Read `limit` and `cursor` from the query string, or raise ValidationFailed."""
    limit, cursor = _limit(args.get("limit")), args.get("cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    errors = []
    if limit is None:
        errors.append(parameter_error("limit", f"must be a whole number from 1 to {MAX_LIMIT}"))
    if cursor is not None and after is None:
        errors.append(parameter_error("cursor", "is not a cursor this API handed out"))
    if errors:
        raise ValidationFailed(errors)
    assert limit is not None
    return PageRequest(limit, after)


def paginate(
    session: DbSession,
    stmt: Select[Any],
    key: InstrumentedAttribute[int],
    page: PageRequest,
    newest_first: bool = False,
) -> tuple[list[Any], str | None]:
    """Return one page of rows ordered by `key` and the cursor of the next page, if any."""
    if page.after is not None:
        stmt = stmt.where(key < page.after if newest_first else key > page.after)
    order = key.desc() if newest_first else key.asc()
    rows = list(session.scalars(stmt.order_by(None).order_by(order).limit(page.limit + 1)))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return rows, encode_cursor(rows[-1].id) if more else None


def envelope(items: list[dict[str, Any]], next_cursor: str | None) -> dict[str, Any]:
    """Wrap a page of items with the cursor that continues it."""
    return {"data": items, "next_cursor": next_cursor}
