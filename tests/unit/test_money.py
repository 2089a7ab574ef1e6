"""Money is exact: Decimal in, integer minor units out, half-up per currency."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saas.money import exponent, from_minor, money_text, round_money, to_minor


@pytest.mark.parametrize(("currency", "places"), [("EUR", 2), ("PLN", 2), ("JPY", 0), ("KWD", 3)])
def test_each_currency_has_its_own_minor_unit(currency: str, places: int) -> None:
    assert exponent(currency) == places


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("0.005", "EUR", 1),
        ("0.0049", "EUR", 0),
        ("-0.005", "EUR", -1),
        ("2.5", "JPY", 3),
        ("1.0005", "KWD", 1001),
    ],
)
def test_rounding_is_half_up_away_from_zero(amount: str, currency: str, minor: int) -> None:
    assert to_minor(Decimal(amount), currency) == minor


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        round_money(0.1, "EUR")  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["EUR", "PLN", "JPY"]))
def test_minor_units_round_trip_exactly(minor: int, currency: str) -> None:
    assert to_minor(from_minor(minor, currency), currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("10", "EUR", "10.00"),
        ("14.9", "PLN", "14.90"),
        ("0.0049", "EUR", "0.0049"),
        ("500", "JPY", "500"),
        ("1.5", "KWD", "1.500"),
        ("-2", "EUR", "-2.00"),
    ],
)
def test_money_text_writes_at_least_the_currencys_decimals(
    amount: str, currency: str, text: str
) -> None:
    assert money_text(Decimal(amount), currency) == text


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
    )
)
def test_money_text_never_changes_the_value(amount: Decimal) -> None:
    assert Decimal(money_text(amount, "EUR")) == amount


def test_money_text_refuses_floats() -> None:
    with pytest.raises(TypeError):
        money_text(9.99, "EUR")  # type: ignore[arg-type]
