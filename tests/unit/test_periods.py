"""Billing periods are anchored local dates; their UTC bounds follow the brand's zone."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saas.catalog.periods import (
    INTERVALS,
    Period,
    add_months,
    local_date,
    next_period,
    period_bounds_utc,
    period_containing,
    periods_between,
    start_of_local_day,
)

MONTHS_PER = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}
anchors = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
intervals = st.sampled_from(INTERVALS)


def starts(anchor: date, interval: str, count: int) -> list[date]:
    periods = periods_between(anchor, interval, anchor, date(2200, 1, 1))
    return [next(periods).start for _ in range(count)]


@pytest.mark.parametrize(
    ("on", "days"),
    [
        (date(2026, 2, 10), 28),
        (date(2028, 2, 10), 29),
        (date(2024, 2, 10), 29),
        (date(2026, 4, 10), 30),
        (date(2026, 1, 10), 31),
    ],
)
def test_a_monthly_period_on_the_first_spans_the_calendar_month(on: date, days: int) -> None:
    period = period_containing(date(2020, 1, 1), "monthly", on)
    assert period == Period(on.replace(day=1), add_months(on.replace(day=1), 1))
    assert period.days == days


def test_an_anchor_on_the_31st_clamps_in_short_months_without_drifting() -> None:
    assert starts(date(2024, 1, 31), "monthly", 5) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]


@pytest.mark.parametrize(
    ("anchor", "february", "march"),
    [
        (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)),
        (date(2027, 1, 30), date(2027, 2, 28), date(2027, 3, 30)),
        (date(2027, 1, 29), date(2027, 2, 28), date(2027, 3, 29)),
        (date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)),
        (date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)),
        (date(2028, 1, 29), date(2028, 2, 29), date(2028, 3, 29)),
    ],
)
def test_anchors_late_in_the_month_cross_february(
    anchor: date, february: date, march: date
) -> None:
    assert starts(anchor, "monthly", 3) == [anchor, february, march]


def test_a_day_before_the_clamped_boundary_still_belongs_to_the_earlier_period() -> None:
    anchor = date(2024, 1, 31)
    assert period_containing(anchor, "monthly", date(2024, 2, 28)) == Period(
        anchor, date(2024, 2, 29)
    )
    assert period_containing(anchor, "monthly", date(2024, 3, 30)) == Period(
        date(2024, 2, 29), date(2024, 3, 31)
    )


def test_yearly_on_29_february_falls_on_28_february_outside_leap_years() -> None:
    assert starts(date(2024, 2, 29), "yearly", 5) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_quarterly_and_semiannual_count_whole_months_from_the_anchor() -> None:
    assert starts(date(2025, 11, 30), "quarterly", 3) == [
        date(2025, 11, 30),
        date(2026, 2, 28),
        date(2026, 5, 30),
    ]
    assert starts(date(2027, 8, 31), "semiannual", 3) == [
        date(2027, 8, 31),
        date(2028, 2, 29),
        date(2028, 8, 31),
    ]


def test_weekly_periods_are_seven_days() -> None:
    period = period_containing(date(2026, 3, 4), "weekly", date(2026, 3, 20))
    assert period == Period(date(2026, 3, 18), date(2026, 3, 25))
    assert next_period(period, date(2026, 3, 4), "weekly").start == date(2026, 3, 25)


def test_a_period_knows_its_days_and_what_it_contains() -> None:
    period = Period(date(2026, 4, 1), date(2026, 5, 1))
    assert period.days == 30
    assert period.contains(date(2026, 4, 1))
    assert period.contains(date(2026, 4, 30))
    assert not period.contains(date(2026, 5, 1))
    assert not period.contains(date(2026, 3, 31))


def test_an_empty_or_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError):
        Period(date(2026, 4, 1), date(2026, 4, 1))


def test_a_date_before_the_anchor_is_refused() -> None:
    with pytest.raises(ValueError):
        period_containing(date(2026, 4, 1), "monthly", date(2026, 3, 31))


def test_an_unknown_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        period_containing(date(2026, 4, 1), "fortnightly", date(2026, 4, 1))


def test_periods_between_starts_at_the_anchor_and_stops_before_the_end() -> None:
    periods = list(
        periods_between(date(2026, 1, 15), "monthly", date(2025, 6, 1), date(2026, 3, 15))
    )
    assert periods == [
        Period(date(2026, 1, 15), date(2026, 2, 15)),
        Period(date(2026, 2, 15), date(2026, 3, 15)),
    ]
    assert (
        list(periods_between(date(2026, 1, 15), "monthly", date(2026, 3, 1), date(2026, 3, 1)))
        == []
    )


@given(anchors, intervals)
def test_periods_over_24_months_are_contiguous_and_never_drift(anchor: date, interval: str) -> None:
    end = add_months(anchor, 24)
    periods = list(periods_between(anchor, interval, anchor, end))
    assert periods[0].start == anchor
    assert periods[-1].start < end <= periods[-1].end
    for earlier, later in pairwise(periods):
        assert earlier.end == later.start
    if interval in MONTHS_PER:
        for n, period in enumerate(periods):
            assert period.start == add_months(anchor, MONTHS_PER[interval] * n)
            last_day = calendar.monthrange(period.start.year, period.start.month)[1]
            assert period.start.day == min(anchor.day, last_day)


@given(anchors, intervals, st.integers(min_value=0, max_value=3000))
def test_the_period_containing_a_day_contains_it(anchor: date, interval: str, offset: int) -> None:
    on = anchor + timedelta(days=offset)
    period = period_containing(anchor, interval, on)
    assert period.contains(on)
    assert period_containing(anchor, interval, period.start) == period
    assert next_period(period, anchor, interval).start == period.end


def test_a_late_evening_in_utc_can_be_the_next_day_in_berlin() -> None:
    at = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert local_date(at, "Europe/Berlin") == date(2026, 4, 1)
    assert local_date(at, "Europe/Warsaw") == date(2026, 4, 1)
    assert local_date(at, "UTC") == date(2026, 3, 31)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 31, 22, 30), "Europe/Berlin")


@pytest.mark.parametrize("tz", ["Europe/Berlin", "Europe/Warsaw"])
@pytest.mark.parametrize(
    ("day", "midnight_utc", "hours"),
    [
        (date(2026, 3, 29), datetime(2026, 3, 28, 23, tzinfo=UTC), 23),
        (date(2026, 3, 30), datetime(2026, 3, 29, 22, tzinfo=UTC), 24),
        (date(2026, 10, 25), datetime(2026, 10, 24, 22, tzinfo=UTC), 25),
        (date(2026, 10, 26), datetime(2026, 10, 25, 23, tzinfo=UTC), 24),
    ],
)
def test_local_days_around_the_dst_switch(
    tz: str, day: date, midnight_utc: datetime, hours: int
) -> None:
    start = start_of_local_day(day, tz)
    assert start == midnight_utc
    assert start.tzinfo is UTC
    assert start_of_local_day(day + timedelta(days=1), tz) - start == timedelta(hours=hours)


@pytest.mark.parametrize("tz", ["Europe/Berlin", "Europe/Warsaw"])
@pytest.mark.parametrize(("month", "hours"), [(3, 743), (4, 720), (10, 745)])
def test_a_month_in_utc_hours_follows_dst(tz: str, month: int, hours: int) -> None:
    period = Period(date(2026, month, 1), add_months(date(2026, month, 1), 1))
    start, end = period_bounds_utc(period, tz)
    assert end - start == timedelta(hours=hours)


def test_a_midnight_skipped_by_dst_starts_the_day_at_the_jump() -> None:
    # São Paulo jumped from 00:00 to 01:00 on 4 November 2018.
    start = start_of_local_day(date(2018, 11, 4), "America/Sao_Paulo")
    assert start == datetime(2018, 11, 4, 3, tzinfo=UTC)
    assert local_date(start, "America/Sao_Paulo") == date(2018, 11, 4)
    assert local_date(start - timedelta(microseconds=1), "America/Sao_Paulo") == date(2018, 11, 3)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.sampled_from(["Europe/Berlin", "Europe/Warsaw", "UTC", "America/Sao_Paulo"]),
)
def test_start_of_local_day_is_the_first_instant_of_that_date(day: date, tz: str) -> None:
    start = start_of_local_day(day, tz)
    assert local_date(start, tz) == day
    assert local_date(start - timedelta(microseconds=1), tz) == day - timedelta(days=1)
