"""Billing periods: local dates anchored on a subscription's anchor day, and their UTC bounds.

A period is a half-open range of local dates [start, end) in the brand's time zone. Period
boundaries are always computed from the anchor (the n-th boundary is anchor + n intervals),
so a short month clamps one boundary without shifting the later ones.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

INTERVALS = ("weekly", "monthly", "quarterly", "semiannual", "yearly")

_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}


@dataclass(frozen=True, order=True)
class Period:
    """A billing period of local dates; `end` is exclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period must end after it starts: {self.start} .. {self.end}")

    @property
    def days(self) -> int:
        """Return the number of days in the period."""
        return (self.end - self.start).days

    def contains(self, d: date) -> bool:
        """Tell whether the local date falls within the period."""
        return self.start <= d < self.end


def _check_interval(interval: str) -> None:
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}; expected one of {INTERVALS}")


def add_months(anchor: date, months: int) -> date:
    """Return the anchor moved by whole months, clamped to the last day of a shorter month."""
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor.day, last_day))


def _boundary(anchor: date, interval: str, n: int) -> date:
    """Return the start of the n-th period after the anchor (n = 0 is the anchor itself)."""
    if interval == "weekly":
        return anchor + timedelta(days=7 * n)
    return add_months(anchor, _MONTHS[interval] * n)


def boundary(anchor: date, interval: str, n: int) -> date:
    """Return the start of the n-th period anchored on `anchor` (n = 0 is the anchor itself)."""
    _check_interval(interval)
    return _boundary(anchor, interval, n)


def _index_on(anchor: date, interval: str, on: date) -> int:
    """Return the index of the period containing `on`."""
    if interval == "weekly":
        return (on - anchor).days // 7
    months = (on.year - anchor.year) * 12 + on.month - anchor.month
    n = months // _MONTHS[interval]
    # The boundary in on's own month may still lie ahead of `on` (day of month not reached yet).
    return n - 1 if _boundary(anchor, interval, n) > on else n


# Periods are immutable and pages of subscriptions share anchors and days: computed once each.
@lru_cache(maxsize=4096)
def period_containing(anchor: date, interval: str, on: date) -> Period:
    """Return the period, anchored on `anchor`, that contains the local date `on`."""
    _check_interval(interval)
    if on < anchor:
        raise ValueError(f"{on} is before the billing anchor {anchor}")
    n = _index_on(anchor, interval, on)
    return Period(_boundary(anchor, interval, n), _boundary(anchor, interval, n + 1))


def next_period(period: Period, anchor: date, interval: str) -> Period:
    """Return the period that follows `period` on the same anchor."""
    return period_containing(anchor, interval, period.end)


def periods_between(anchor: date, interval: str, start: date, end: date) -> Iterator[Period]:
    """Yield, in order, every anchored period that overlaps the local dates [start, end)."""
    _check_interval(interval)
    # Nothing is billed before the anchor, so a range reaching back before it starts there.
    start = max(start, anchor)
    if end <= start:
        return
    period = period_containing(anchor, interval, start)
    while period.start < end:
        yield period
        period = next_period(period, anchor, interval)


class NotAnInstant(ValueError):
    """Why a text names no instant, as its message: not_a_time, needs_offset, out_of_calendar."""


def instant(text: Any, zone: tzinfo | None = None) -> datetime:
    """Read an ISO 8601 time as aware UTC; one without an offset is in `zone`, if one is given."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise NotAnInstant("not_a_time") from None
    if moment.tzinfo is None and zone is None:
        raise NotAnInstant("needs_offset")
    # Its date in any zone must exist too, so the calendar's first and last years are refused.
    if not 1 < moment.year < 9999:
        raise NotAnInstant("out_of_calendar")
    return moment.replace(tzinfo=moment.tzinfo or zone).astimezone(UTC)


def local_date(at: datetime, tz: str) -> date:
    """Return the local calendar date of an aware instant in the zone `tz`."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an aware datetime is required, got a naive one")
    return at.astimezone(ZoneInfo(tz)).date()


def last_local_day(until: datetime, tz: str) -> date:
    """Return the last local date before an instant: a period ending at midnight ends that day."""
    return local_date(until - timedelta(microseconds=1), tz)


def start_of_local_day(d: date, tz: str) -> datetime:
    """Return the aware UTC instant at which the local date `d` begins in the zone `tz`."""
    # fold=0 takes the earlier of a repeated midnight and, for a midnight skipped by a
    # spring-forward gap, the offset in force before the jump, i.e. the instant of the jump.
    local_midnight = datetime.combine(d, time(0), tzinfo=ZoneInfo(tz))
    return local_midnight.astimezone(UTC)


def period_bounds_utc(period: Period, tz: str) -> tuple[datetime, datetime]:
    """Return the period as a half-open range of aware UTC instants [start, end)."""
    return start_of_local_day(period.start, tz), start_of_local_day(period.end, tz)
