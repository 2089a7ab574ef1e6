"""Proration of recurring amounts over part of a billing period, exact until the last step.

Convention: proration counts whole local days in the brand's time zone (the day of an event is
the local date of its instant), and the day of a change, start or stop belongs to the new state:
a plan changed on day D is billed on the new plan from D on, a subscription started on D pays
for D, and one stopped on D is credited for D. Shares are kept as exact fractions and rounded
half up to the currency's minor unit only once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from saas.catalog.periods import Period
from saas.money import round_fraction

CREDIT_UNUSED = "credit_unused"
CHARGE_REMAINING = "charge_remaining"


@dataclass(frozen=True)
class ProrationLine:
    """One prorated invoice line; `amount` is signed, a credit is negative."""

    description_key: str
    period: Period
    days: int
    period_days: int
    full_amount: Decimal
    amount: Decimal


def _check(amount: Decimal, days: int, period_days: int) -> None:
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be Decimal, got {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"amount must be finite, got {amount}")
    if isinstance(days, bool) or isinstance(period_days, bool):
        raise TypeError("days must be integers, not booleans")
    if period_days <= 0:
        raise ValueError(f"period_days must be positive, got {period_days}")
    if not 0 <= days <= period_days:
        raise ValueError(f"days must be within 0..{period_days}, got {days}")


def exact_share(amount: Decimal, days: int, period_days: int) -> Fraction:
    """Return amount * days / period_days as an exact fraction."""
    _check(amount, days, period_days)
    return Fraction(amount) * days / period_days


def prorate(amount: Decimal, days: int, period_days: int, currency: str) -> Decimal:
    """Return amount * days / period_days rounded half up to the currency's minor unit."""
    return round_fraction(exact_share(amount, days, period_days), currency)


def _check_day(period: Period, day: date) -> None:
    if not period.start <= day <= period.end:
        raise ValueError(f"{day} is outside the period {period.start} .. {period.end}")


def remaining_days(period: Period, day: date) -> int:
    """Return the days of the period from `day` on, `day` included."""
    _check_day(period, day)
    return (period.end - day).days


def used_days(period: Period, day: date) -> int:
    """Return the days of the period before `day`."""
    _check_day(period, day)
    return (day - period.start).days


def _line(key: str, amount: Decimal, period: Period, day: date, currency: str) -> ProrationLine:
    """Build the line for the days [day, period.end); credits come out negative."""
    if not period.contains(day):
        raise ValueError(f"{day} is outside the period {period.start} .. {period.end}")
    days = remaining_days(period, day)
    share = prorate(amount, days, period.days, currency)
    signed = -share if key == CREDIT_UNUSED else share
    return ProrationLine(key, period, days, period.days, amount, signed)


def change_proration(
    old_amount: Decimal, new_amount: Decimal, period: Period, change_day: date, currency: str
) -> tuple[ProrationLine, ProrationLine]:
    """Return the credit for the old plan and the charge for the new one, from change_day on."""
    credit = _line(CREDIT_UNUSED, old_amount, period, change_day, currency)
    charge = _line(CHARGE_REMAINING, new_amount, period, change_day, currency)
    return credit, charge


def start_proration(
    amount: Decimal, period: Period, start_day: date, currency: str
) -> ProrationLine:
    """Return the charge for a subscription starting mid-period, from start_day on."""
    return _line(CHARGE_REMAINING, amount, period, start_day, currency)


def stop_proration(amount: Decimal, period: Period, stop_day: date, currency: str) -> ProrationLine:
    """Return the credit for a period billed in advance and stopped on stop_day."""
    return _line(CREDIT_UNUSED, amount, period, stop_day, currency)
