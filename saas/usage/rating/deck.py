"""A deck version as plain values: what the kernel is compiled from, read from rows or files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from saas.usage.rating.models import ANY, DOWN, HALF_UP, UP

DAY = 86_400
ROUNDING_MODES = {HALF_UP: ROUND_HALF_UP, UP: ROUND_CEILING, DOWN: ROUND_FLOOR}


@dataclass(frozen=True)
class Slot:
    """From `start` on, `rate` per `unit`, charged by `increment` (seconds, messages, bytes)."""

    start: int
    rate: Decimal
    unit: int
    increment: int


@dataclass(frozen=True)
class Rate:
    """A rate: a connect fee once at the start, then its slots in order of `start`."""

    id: int
    code: str
    connect_fee: Decimal
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class DestinationRate:
    """A destination (None: `*any`) priced by a rate, rounded its own way or the deck's."""

    code: str
    destination: str | None
    rate: str
    rounding: str | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class Timing:
    """When a rate applies; empty sets mean any. Weekdays 0-6 from Sunday, times in seconds."""

    code: str
    years: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    month_days: frozenset[int] = frozenset()
    week_days: frozenset[int] = frozenset()
    starts: int = 0
    ends: int = DAY


ALWAYS = Timing(ANY)


@dataclass(frozen=True)
class PlanRate:
    """A rating plan's row: its destination rates (a code), at a timing (None: always), weight."""

    plan: str
    destination_rates: str
    timing: str | None
    weight: Decimal


@dataclass(frozen=True)
class Profile:
    """From `activates_at`, records of `category` for `subject` (in `zone`) use `plan`."""

    category: str
    subject: str
    activates_at: datetime
    plan: str
    fallbacks: tuple[str, ...] = ()
    zone: str | None = None


@dataclass(frozen=True)
class Deck:
    """A whole deck version."""

    version_id: int
    rounding: str = HALF_UP
    decimals: int = 5
    timezone: str = "UTC"
    destinations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rates: Mapping[str, Rate] = field(default_factory=dict)
    destination_rates: tuple[DestinationRate, ...] = ()
    timings: Mapping[str, Timing] = field(default_factory=dict)
    plans: tuple[str, ...] = ()
    plan_rates: tuple[PlanRate, ...] = ()
    profiles: tuple[Profile, ...] = ()
    zones: Mapping[str, str] = field(default_factory=dict)  # visited network -> zone


def increment_cost(slot: Slot, rounding: str, decimals: int) -> Decimal:
    """What one increment of the slot costs, rounded as the deck says (before any summing)."""
    exact = slot.rate * slot.increment / slot.unit
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUNDING_MODES[rounding])


def numbers(text: str, low: int, high: int) -> frozenset[int]:
    """A CGRateS list such as "1;2;3" or "*any" (empty: any) of numbers from low to high."""
    text = text.strip()
    if text in ("", ANY):
        return frozenset()
    values = frozenset(int(part) for part in text.split(";") if part.strip())
    if not values or min(values) < low or max(values) > high:
        raise ValueError(f"{text!r} is not a list of numbers from {low} to {high}")
    return values


def seconds_of_day(text: str) -> int:
    """A time of day "HH:MM:SS" (or "*any", midnight) as seconds after midnight."""
    text = text.strip()
    if text in ("", ANY):
        return 0
    parts = text.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"{text!r} is not a time of day such as 08:00:00")
    hours, minutes, secs = (int(p) for p in parts)
    if hours > 23 or minutes > 59 or secs > 59:
        raise ValueError(f"{text!r} is not a time of day such as 08:00:00")
    return hours * 3600 + minutes * 60 + secs


def timing_of(
    code: str, years: str, months: str, month_days: str, week_days: str, time: str
) -> Timing:
    """A timing from CGRateS's columns; the time may carry an end, "08:00:00;18:00:00"."""
    start, _, end = time.partition(";")
    ends = seconds_of_day(end) if end.strip() else DAY
    days = frozenset(d % 7 for d in numbers(week_days, 0, 7))
    timing = Timing(
        code,
        years=numbers(years, 2000, 2063),
        months=numbers(months, 1, 12),
        month_days=numbers(month_days, 1, 31),
        week_days=days,
        starts=seconds_of_day(start),
        ends=ends or DAY,
    )
    if timing.ends <= timing.starts:
        raise ValueError(f"{time!r} ends before it starts")
    return timing
