"""The brand's number stock: ranges loaded in batches, reservation, assignment, quarantine.

A number may be given out when `free_from` has passed: a free number's is its loading time, a
reservation's or a quarantine's its end, and an assigned number has none. So a lapsed
reservation or a finished quarantine is back in stock by the clock alone, with no job to run.
Numbers are claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so two sign-ups at
the same moment never get the same number; a golden number is only ever given out by choice.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, insert, select, update

from saas.db import DbSession, utcnow
from saas.identity import audit
from saas.network import numbering
from saas.network import settings as brand_settings
from saas.network.errors import NetworkError, number_named
from saas.network.models import (
    ASSIGNED,
    FREE,
    FROM_RANGE,
    NUMBER_STATES,
    PORTED,
    QUARANTINED,
    RESERVED,
    Number,
    NumberRange,
)
from saas.tenancy.context import require_tenant_id

BATCH = 5_000
TRIES = 5
OFFERED = 6
PORTING_HOLD_DAYS = 120


@dataclass(frozen=True)
class Reservation:
    """A number held for a sign-up until `until`; the sign-up keeps the token."""

    token: str
    msisdn: str
    until: datetime


def state_is(state: str, now: datetime) -> ColumnElement[bool]:
    """The numbers in a state as staff read it at `now` (lapsed holds are free)."""
    if state == FREE:
        return Number.free_from <= now
    if state == ASSIGNED:
        return Number.state == ASSIGNED
    return and_(Number.state == state, Number.free_from > now)


def free_stock(now: datetime) -> ColumnElement[bool]:
    """Numbers a sign-up may be given at random: free, of a range, not golden."""
    return and_(Number.free_from <= now, Number.origin == FROM_RANGE, Number.golden.is_(False))


# Loading ranges


def add_range(
    session: DbSession, first: str, last: str, now: datetime | None = None
) -> NumberRange:
    """Load a range of numbers into stock, golden ones marked by the brand's rule."""
    spec = numbering.number_range(first, last)
    _refuse_overlap(session, spec)
    now = now or utcnow()
    run = brand_settings.of_brand(session).golden_run
    block = NumberRange(first=spec.first, last=spec.last, country=spec.country, size=spec.size)
    session.add(block)
    session.flush()
    block.golden = _load(session, block, spec, run, now)
    audit.record(session, "load", "number_ranges", block.id, size=spec.size, golden=block.golden)
    session.flush()
    return block


def _refuse_overlap(session: DbSession, spec: numbering.RangeSpec) -> None:
    stmt = select(NumberRange).where(
        func.length(NumberRange.first) == len(spec.first),
        NumberRange.first <= spec.last,
        NumberRange.last >= spec.first,
    )
    other = session.scalars(stmt.with_for_update()).first()
    if other is not None:
        raise NetworkError(
            "network.range_overlaps",
            numbering.range_named(spec.first, spec.last),
            "first",
            first=numbering.shown(other.first),
            last=numbering.shown(other.last),
        )


def _rows(block: NumberRange, spec: numbering.RangeSpec, run: int, now: datetime) -> Iterator[dict]:
    tenant_id = require_tenant_id()
    for digits in spec.msisdns():
        yield {
            "tenant_id": tenant_id,
            "msisdn": digits,
            "range_id": block.id,
            "origin": FROM_RANGE,
            "golden": numbering.is_golden(digits, run),
            "state": FREE,
            "free_from": now,
            "changed_at": now,
        }


def _load(
    session: DbSession, block: NumberRange, spec: numbering.RangeSpec, run: int, now: datetime
) -> int:
    """Insert the range's numbers a batch at a time (one statement each); count golden ones."""
    golden, batch = 0, []
    for row in _rows(block, spec, run, now):
        golden += row["golden"]
        batch.append(row)
        if len(batch) == BATCH:
            session.execute(insert(Number), batch)
            batch = []
    if batch:
        session.execute(insert(Number), batch)
    return golden


# Reading


def ranges(session: DbSession) -> list[NumberRange]:
    """The brand's ranges, by first number."""
    return list(session.scalars(select(NumberRange).order_by(NumberRange.first)))


def counts(session: DbSession, now: datetime | None = None) -> dict[int | None, dict[str, int]]:
    """How many numbers of each range (None: ported in) stand in each state at `now`."""
    now = now or utcnow()
    shown_state = case(
        *((state_is(state, now), state) for state in (FREE, ASSIGNED, RESERVED, QUARANTINED)),
        else_=Number.state,
    )
    stmt = select(Number.range_id, shown_state, func.count()).group_by(Number.range_id, shown_state)
    found: dict[int | None, dict[str, int]] = {}
    for range_id, state, count in session.execute(stmt):
        found.setdefault(range_id, dict.fromkeys(NUMBER_STATES, 0))[state] = count
    return found


def listed(
    state: str = "", prefix: str = "", now: datetime | None = None
) -> Select[*tuple[Any, ...]]:
    """The brand's numbers in a state and starting with some digits, as rows for paging by id."""
    stmt: Select[*tuple[Any, ...]] = select(
        Number.id, Number.msisdn, Number.state, Number.free_from, Number.golden, Number.origin
    )
    if state in NUMBER_STATES:
        stmt = stmt.where(state_is(state, now or utcnow()))
    digits = "".join(c for c in prefix if c.isdigit())
    if digits:
        stmt = stmt.where(Number.msisdn.startswith(digits, autoescape=True))
    return stmt


def by_msisdn(session: DbSession, digits: str) -> Number | None:
    """The brand's number with these E.164 digits."""
    return session.scalar(select(Number).filter_by(msisdn=digits))


def offer(session: DbSession, count: int = OFFERED, now: datetime | None = None) -> list[str]:
    """Some free numbers for a subscriber to choose from (golden ones are never offered)."""
    stmt = select(Number.msisdn).where(free_stock(now or utcnow()))
    pivot = _pivot(session, now or utcnow())
    found = list(session.scalars(stmt.where(Number.id >= pivot).order_by(Number.id).limit(count)))
    if len(found) < count:
        more = stmt.where(Number.id < pivot).order_by(Number.id).limit(count - len(found))
        found += list(session.scalars(more))
    return found


# Reserving


def reserve(
    session: DbSession,
    msisdn: str | None = None,
    *,
    golden: bool = False,
    now: datetime | None = None,
) -> Reservation:
    """Hold a number for a sign-up: the one asked for, or one at random from free stock.

    Only staff pass `golden`: a golden number is never given at random, only when chosen.
    """
    now = now or utcnow()
    number = _chosen(session, msisdn, golden, now) if msisdn else _random(session, now)
    minutes = brand_settings.of_brand(session).reservation_minutes
    until = now + timedelta(minutes=minutes)
    token = secrets.token_urlsafe(32)
    number.state, number.reservation, number.free_from, number.changed_at = (
        RESERVED,
        token,
        until,
        now,
    )
    session.flush()
    return Reservation(token, number.msisdn, until)


def _chosen(session: DbSession, typed: str, golden: bool, now: datetime) -> Number:
    digits, _country = numbering.msisdn(typed)
    number = session.scalar(select(Number).filter_by(msisdn=digits).with_for_update())
    record = number_named(numbering.shown(digits))
    if number is None or number.origin != FROM_RANGE:
        raise NetworkError("network.number_unknown", record, "msisdn")
    if number.golden and not golden:
        raise NetworkError("network.number_golden", record, "msisdn")
    if number.free_from is None or number.free_from > now:
        raise NetworkError("network.number_taken", record, "msisdn")
    return number


def _pivot(session: DbSession, now: datetime) -> int:
    low, high = session.execute(select(func.min(Number.id), func.max(Number.id))).one()
    return random.randint(low, high) if low is not None else 0


def _random(session: DbSession, now: datetime) -> Number:
    """A free number from a random place in stock, skipping rows another sign-up has locked."""
    stmt = select(Number).where(free_stock(now)).limit(1).with_for_update(skip_locked=True)
    pivot = _pivot(session, now)
    for where in (Number.id >= pivot, Number.id < pivot):
        number = session.scalar(stmt.where(where).order_by(Number.id))
        if number is not None:
            return number
    raise NetworkError("network.no_number_free", field="msisdn")


def held(session: DbSession, token: str, now: datetime | None = None) -> Number:
    """The number a reservation still holds, locked; refuse a token unknown or lapsed."""
    now = now or utcnow()
    number = session.scalar(select(Number).filter_by(reservation=token).with_for_update())
    until = number.free_from if number is not None else None
    if number is None or number.state != RESERVED or until is None or until <= now:
        raise NetworkError("network.reservation_unknown", field="msisdn")
    return number


def release(session: DbSession, token: str, now: datetime | None = None) -> bool:
    """Give a reserved number back to stock at once; False if the token holds nothing."""
    now = now or utcnow()
    stmt = (
        update(Number)
        .where(Number.reservation == token, Number.state == RESERVED)
        .values(state=FREE, reservation=None, free_from=now, changed_at=now)
    )
    result: Any = session.execute(stmt)
    return bool(result.rowcount)


def take_ported(session: DbSession, typed: str, now: datetime | None = None) -> Reservation:
    """Hold a number ported in from another operator until the line that carries it is made."""
    now = now or utcnow()
    digits, _country = numbering.msisdn(typed)
    number = session.scalar(select(Number).filter_by(msisdn=digits).with_for_update())
    if number is None:
        number = Number(msisdn=digits, origin=PORTED, state=FREE, free_from=now)
        session.add(number)
    elif number.free_from is None or number.free_from > now:
        raise NetworkError("network.number_taken", number_named(numbering.shown(digits)), "msisdn")
    # A porting takes days or weeks: the hold lasts until the line takes the number.
    token, until = secrets.token_urlsafe(32), now + timedelta(days=PORTING_HOLD_DAYS)
    number.state, number.reservation, number.free_from, number.changed_at = (
        RESERVED,
        token,
        until,
        now,
    )
    session.flush()
    return Reservation(token, number.msisdn, until)


# Assignment and quarantine (the line services call these)


def assign(number: Number, now: datetime) -> None:
    """The number is a line's from now: out of stock until it is released."""
    number.state, number.reservation, number.free_from, number.changed_at = (
        ASSIGNED,
        None,
        None,
        now,
    )


def quarantine(session: DbSession, number: Number, now: datetime) -> None:
    """The number leaves its line: back in stock once the brand's quarantine is over."""
    days = brand_settings.of_brand(session).quarantine_days
    number.state, number.free_from, number.changed_at = QUARANTINED, now + timedelta(days=days), now
