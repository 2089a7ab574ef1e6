"""Proration is exact until one half-up rounding to the currency at the end."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saas.catalog.periods import Period, local_date, period_containing
from saas.catalog.proration import (
    ProrationLine,
    change_proration,
    exact_share,
    prorate,
    remaining_days,
    start_proration,
    stop_proration,
    used_days,
)
from saas.money import exponent, from_minor, round_fraction, round_money, to_minor

APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))
CURRENCIES = ["EUR", "PLN", "JPY", "KWD", "BHD"]


@st.composite
def money(draw: st.DrawFn, currency: str, max_minor: int = 10**9) -> Decimal:
    minor = draw(st.integers(min_value=-max_minor, max_value=max_minor))
    return from_minor(minor, currency)


@st.composite
def amount_and_currency(draw: st.DrawFn) -> tuple[Decimal, str]:
    currency = draw(st.sampled_from(CURRENCIES))
    return draw(money(currency)), currency


@st.composite
def split_period(draw: st.DrawFn) -> tuple[int, int]:
    period_days = draw(st.integers(min_value=1, max_value=366))
    return draw(st.integers(min_value=0, max_value=period_days)), period_days


@pytest.mark.parametrize(
    ("amount", "days", "period_days", "currency", "expected"),
    [
        ("0.05", 15, 30, "EUR", "0.03"),
        ("-0.05", 15, 30, "EUR", "-0.03"),
        ("10.00", 10, 31, "EUR", "3.23"),
        ("29.99", 14, 28, "PLN", "15.00"),
        ("1", 1, 2, "JPY", "1"),
        ("1000", 10, 31, "JPY", "323"),
        ("1.001", 1, 2, "KWD", "0.501"),
        ("1.000", 1, 3, "BHD", "0.333"),
    ],
)
def test_worked_examples_round_half_up_once(
    amount: str, days: int, period_days: int, currency: str, expected: str
) -> None:
    result = prorate(Decimal(amount), days, period_days, currency)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == Decimal(expected).as_tuple().exponent


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Fraction(1, 40), "EUR", "0.03"),
        (Fraction(-1, 40), "EUR", "-0.03"),
        (Fraction(1, 3), "EUR", "0.33"),
        (Fraction(5, 2), "JPY", "3"),
        (Fraction(1, 2000), "KWD", "0.001"),
        (Fraction(10**40 + 1, 100), "EUR", "1" + "0" * 38 + ".01"),
    ],
)
def test_round_fraction_is_exact_and_half_up(value: Fraction, currency: str, expected: str) -> None:
    assert str(round_fraction(value, currency)) == expected


def test_round_fraction_refuses_floats() -> None:
    with pytest.raises(TypeError):
        round_fraction(0.025, "EUR")  # type: ignore[arg-type]


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
    )
)
def test_round_fraction_agrees_with_round_money(value: Decimal) -> None:
    assert round_fraction(Fraction(value), "EUR") == round_money(value, "EUR")


def test_the_exact_share_keeps_the_half_minor_unit() -> None:
    assert exact_share(Decimal("0.05"), 15, 30) == Fraction(1, 40)


def test_zero_days_cost_nothing() -> None:
    assert prorate(Decimal("49.99"), 0, 30, "EUR") == 0


@pytest.mark.parametrize(("days", "period_days"), [(-1, 30), (31, 30), (0, 0), (1, -1), (True, 30)])
def test_impossible_day_counts_are_refused(days: int, period_days: int) -> None:
    with pytest.raises((ValueError, TypeError)):
        prorate(Decimal("10"), days, period_days, "EUR")


def test_floats_and_non_finite_amounts_are_refused() -> None:
    with pytest.raises(TypeError):
        prorate(10.0, 1, 2, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        prorate(Decimal("NaN"), 1, 2, "EUR")


@given(amount_and_currency(), st.integers(min_value=1, max_value=366))
def test_a_full_period_returns_the_amount_exactly(
    amount_currency: tuple[Decimal, str], period_days: int
) -> None:
    amount, currency = amount_currency
    assert prorate(amount, period_days, period_days, currency) == amount


@given(amount_and_currency(), split_period())
def test_two_halves_of_a_period_add_up_to_within_one_minor_unit(
    amount_currency: tuple[Decimal, str], split: tuple[int, int]
) -> None:
    amount, currency = amount_currency
    days, period_days = split
    parts = prorate(amount, days, period_days, currency) + prorate(
        amount, period_days - days, period_days, currency
    )
    assert abs(to_minor(parts, currency) - to_minor(amount, currency)) <= 1


@given(amount_and_currency(), split_period())
def test_rounding_is_symmetric_around_zero(
    amount_currency: tuple[Decimal, str], split: tuple[int, int]
) -> None:
    amount, currency = amount_currency
    days, period_days = split
    assert prorate(-amount, days, period_days, currency) == -prorate(
        amount, days, period_days, currency
    )


@given(amount_and_currency(), split_period())
def test_the_result_is_the_nearest_minor_unit(
    amount_currency: tuple[Decimal, str], split: tuple[int, int]
) -> None:
    amount, currency = amount_currency
    days, period_days = split
    result = prorate(amount, days, period_days, currency)
    exact = exact_share(amount, days, period_days)
    assert abs(Fraction(result) - exact) <= Fraction(1, 2 * 10 ** exponent(currency))


def test_days_used_and_remaining_split_the_period() -> None:
    assert used_days(APRIL, date(2026, 4, 11)) == 10
    assert remaining_days(APRIL, date(2026, 4, 11)) == 20
    assert remaining_days(APRIL, APRIL.end) == 0
    with pytest.raises(ValueError):
        used_days(APRIL, date(2026, 3, 31))


def test_a_plan_change_credits_the_old_and_charges_the_new_from_the_change_day() -> None:
    credit, charge = change_proration(
        Decimal("30.00"), Decimal("45.00"), APRIL, date(2026, 4, 11), "EUR"
    )
    assert credit == ProrationLine(
        "credit_unused", APRIL, 20, 30, Decimal("30.00"), Decimal("-20.00")
    )
    assert charge == ProrationLine(
        "charge_remaining", APRIL, 20, 30, Decimal("45.00"), Decimal("30.00")
    )


def test_a_change_on_the_first_day_swaps_the_whole_period() -> None:
    credit, charge = change_proration(Decimal("9.99"), Decimal("19.99"), APRIL, APRIL.start, "EUR")
    assert (credit.amount, charge.amount) == (Decimal("-9.99"), Decimal("19.99"))


def test_a_change_on_the_last_day_bills_one_day_on_the_new_plan() -> None:
    credit, charge = change_proration(
        Decimal("30.00"), Decimal("60.00"), APRIL, date(2026, 4, 30), "EUR"
    )
    assert (credit.days, credit.amount, charge.amount) == (1, Decimal("-1.00"), Decimal("2.00"))


def test_a_change_outside_the_period_is_refused() -> None:
    with pytest.raises(ValueError):
        change_proration(Decimal("1"), Decimal("2"), APRIL, APRIL.end, "EUR")


def test_the_change_day_is_the_local_day_in_the_brand_zone() -> None:
    at = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    anchor = date(2026, 1, 1)
    berlin_day = local_date(at, "Europe/Berlin")
    berlin = period_containing(anchor, "monthly", berlin_day)
    credit, _ = change_proration(Decimal("31.00"), Decimal("62.00"), berlin, berlin_day, "EUR")
    assert (berlin, credit.days, credit.amount) == (APRIL, 30, Decimal("-31.00"))
    utc_day = local_date(at, "UTC")
    march = period_containing(anchor, "monthly", utc_day)
    credit, _ = change_proration(Decimal("31.00"), Decimal("62.00"), march, utc_day, "EUR")
    assert (march.start, credit.days, credit.amount) == (date(2026, 3, 1), 1, Decimal("-1.00"))


@given(
    st.sampled_from(CURRENCIES).flatmap(lambda c: st.tuples(money(c), money(c), st.just(c))),
    st.integers(min_value=0, max_value=29),
)
def test_credit_and_charge_mirror_each_other(
    amounts: tuple[Decimal, Decimal, str], offset: int
) -> None:
    old, new, currency = amounts
    day = APRIL.start + timedelta(days=offset)
    credit, charge = change_proration(old, new, APRIL, day, currency)
    back_credit, back_charge = change_proration(new, old, APRIL, day, currency)
    assert credit.amount == -back_charge.amount
    assert charge.amount == -back_credit.amount
    same_credit, same_charge = change_proration(old, old, APRIL, day, currency)
    assert same_credit.amount + same_charge.amount == 0
    assert credit.days == charge.days == 30 - offset


def test_a_mid_period_start_charges_from_the_start_day() -> None:
    line = start_proration(Decimal("15.00"), APRIL, date(2026, 4, 21), "EUR")
    assert (line.description_key, line.days, line.amount) == (
        "charge_remaining",
        10,
        Decimal("5.00"),
    )


def test_a_mid_period_stop_credits_from_the_stop_day() -> None:
    line = stop_proration(Decimal("15.00"), APRIL, date(2026, 4, 21), "EUR")
    assert (line.description_key, line.days, line.amount) == ("credit_unused", 10, Decimal("-5.00"))


@given(amount_and_currency(), st.integers(min_value=0, max_value=29))
def test_starting_and_stopping_on_the_same_day_cancel_out(
    amount_currency: tuple[Decimal, str], offset: int
) -> None:
    amount, currency = amount_currency
    day = APRIL.start + timedelta(days=offset)
    start = start_proration(amount, APRIL, day, currency)
    stop = stop_proration(amount, APRIL, day, currency)
    assert start.amount + stop.amount == 0
