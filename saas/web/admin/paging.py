"""Long lists a page at a time, newest first, by key (never OFFSET), counted cheaply."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from saas.db import DbSession, fixed_limit, read

PAGE = 50
# Counting stops here: past it the page says "more than 10,000" instead of scanning everything.
COUNTED = 10_000
BATCH = 1_000
PAST_COUNTED = "saas.past_counted"  # the growing lists known to hold more than COUNTED rows


@dataclass(frozen=True)
class Page:
    """One page of rows, the keys of the pages beside it, and how many rows match in all."""

    rows: Sequence[Any]
    older: int | None  # the `before` of the next, older page
    newer: int | None  # the `after` of the previous, newer page
    total: int
    more: bool  # more rows match than were counted


def counted(session: DbSession, ids: Select[Any]) -> tuple[int, bool]:
    """How many rows a query matches, counting no further than COUNTED; and whether past it."""
    bounded = ids.limit(fixed_limit(COUNTED + 1)).subquery()
    total = read(session, select(func.count()).select_from(bounded)).scalar() or 0
    return min(total, COUNTED), total > COUNTED


def _newer_than(session: DbSession, stmt: Select[Any], key: Any, after: int) -> Page:
    found = read(
        session, stmt.where(key > after).order_by(key.asc()).limit(fixed_limit(PAGE + 1))
    ).all()
    shown = list(reversed(found[:PAGE]))
    newer = shown[0].id if len(found) > PAGE else None
    return Page(shown, shown[-1].id if shown else after + 1, newer, 0, False)


def _older_than(session: DbSession, stmt: Select[Any], key: Any, before: int | None) -> Page:
    if before is not None:
        stmt = stmt.where(key < before)
    found = read(session, stmt.order_by(key.desc()).limit(fixed_limit(PAGE + 1))).all()
    shown = found[:PAGE]
    older = shown[-1].id if len(found) > PAGE else None
    newer = None if before is None else (shown[0].id if shown else before - 1)
    return Page(shown, older, newer, 0, False)


def page(
    session: DbSession,
    stmt: Select[Any],
    ids: Select[Any],
    key: Any,
    before: int | None = None,
    after: int | None = None,
    growing: Hashable | None = None,
) -> Page:
    """The page of `stmt` older than `before`, or newer than `after`, newest first; counted.

    `growing` names a list no row ever leaves (every subscription of a brand: none is ever
    deleted): once it has counted past COUNTED, this process says so without counting again.
    """
    if after is not None and before is None:
        found = _newer_than(session, stmt, key, after)
    else:
        found = _older_than(session, stmt, key, before)
    if before is None and after is None and found.older is None:
        return Page(found.rows, None, None, len(found.rows), False)  # all there is: no count
    total, more = _total(session, ids, growing)
    return Page(found.rows, found.older, found.newer, total, more)


def _total(session: DbSession, ids: Select[Any], growing: Hashable | None) -> tuple[int, bool]:
    past: set[Hashable] = current_app.extensions.setdefault(PAST_COUNTED, set())
    if growing is not None and growing in past:
        return COUNTED, True
    total, more = counted(session, ids)
    if more and growing is not None:
        past.add(growing)
    return total, more


def batches(session: DbSession, stmt: Select[Any], key: Any) -> Iterator[Sequence[Any]]:
    """Every row of `stmt`, newest first, a batch at a time, each batch picking up by key."""
    before: int | None = None
    while True:
        query = stmt if before is None else stmt.where(key < before)
        found = read(session, query.order_by(key.desc()).limit(fixed_limit(BATCH))).all()
        if found:
            yield found
        if len(found) < BATCH:
            return
        before = found[-1].id
