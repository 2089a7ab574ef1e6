"""Discounts never exceed what they discount, and a fixed one splits over lines to the unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saas.catalog.adjustments import allocate_fixed, apply_discount
from saas.money import exponent, from_minor, to_minor

CURRENCIES = ["EUR", "PLN", "JPY", "KWD"]


def amounts(strings: list[str]) -> list[Decimal]:
    return [Decimal(s) for s in strings]


@pytest.mark.parametrize(
    ("base", "kind", "value", "currency", "expected"),
    [
        ("19.99", "percent", "10", "EUR", "2.00"),
        ("0.20", "percent", "12.5", "EUR", "0.03"),
        ("49.99", "percent", "100", "EUR", "49.99"),
        ("49.99", "percent", "0", "EUR", "0.00"),
        ("999", "percent", "15", "JPY", "150"),
        ("1.234", "percent", "50", "KWD", "0.617"),
        ("10.00", "fixed", "5", "EUR", "5.00"),
        ("3.00", "fixed", "5.00", "EUR", "3.00"),
        ("10.00", "fixed", "0.005", "EUR", "0.01"),
    ],
)
def test_worked_discounts(base: str, kind: str, value: str, currency: str, expected: str) -> None:
    discount = apply_discount(Decimal(base), kind, Decimal(value), currency)
    assert discount == Decimal(expected)


@pytest.mark.parametrize(
    ("base", "kind", "value", "error"),
    [
        (Decimal("10"), "percent", Decimal("101"), ValueError),
        (Decimal("10"), "percent", Decimal("-1"), ValueError),
        (Decimal("10"), "fixed", Decimal("-1"), ValueError),
        (Decimal("-10"), "fixed", Decimal("1"), ValueError),
        (Decimal("10"), "voucher", Decimal("1"), ValueError),
        (10.0, "percent", Decimal("1"), TypeError),
        (Decimal("10"), "percent", 1.5, TypeError),
    ],
)
def test_impossible_discounts_are_refused(
    base: Decimal, kind: str, value: Decimal, error: type[Exception]
) -> None:
    with pytest.raises(error):
        apply_discount(base, kind, value, "EUR")


@given(
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["percent", "fixed"]),
    st.decimals(min_value=0, max_value=100, places=2),
    st.sampled_from(CURRENCIES),
)
def test_a_discount_is_between_zero_and_its_base(
    base_minor: int, kind: str, value: Decimal, currency: str
) -> None:
    base = from_minor(base_minor, currency)
    discount = apply_discount(base, kind, value, currency)
    assert 0 <= discount <= base
    assert to_minor(discount, currency) == Fraction(discount) * 10 ** exponent(currency)


@pytest.mark.parametrize(
    ("amount", "bases", "currency", "expected"),
    [
        ("1.00", ["1.00", "1.00", "1.00"], "EUR", ["0.34", "0.33", "0.33"]),
        ("0.01", ["5.00", "5.00"], "EUR", ["0.01", "0.00"]),
        ("4.00", ["10.00", "30.00"], "EUR", ["1.00", "3.00"]),
        ("0.07", ["0.50", "0.30", "0.20"], "EUR", ["0.04", "0.02", "0.01"]),
        ("100", ["333", "333", "334"], "JPY", ["33", "33", "34"]),
        ("1.000", ["1.000", "2.000"], "KWD", ["0.333", "0.667"]),
        ("5.00", ["0.00", "10.00"], "EUR", ["0.00", "5.00"]),
        ("0.00", ["0.00", "0.00"], "EUR", ["0.00", "0.00"]),
    ],
)
def test_worked_allocations(
    amount: str, bases: list[str], currency: str, expected: list[str]
) -> None:
    assert allocate_fixed(Decimal(amount), amounts(bases), currency) == amounts(expected)


@pytest.mark.parametrize(
    ("amount", "bases"),
    [
        ("1.00", ["0.00", "0.00"]),
        ("1.00", []),
        ("10.01", ["5.00", "5.00"]),
        ("0.005", ["1.00"]),
        ("-1.00", ["5.00"]),
    ],
)
def test_impossible_allocations_are_refused(amount: str, bases: list[str]) -> None:
    with pytest.raises(ValueError):
        allocate_fixed(Decimal(amount), amounts(bases), "EUR")


@st.composite
def allocation(draw: st.DrawFn) -> tuple[int, list[int], str]:
    currency = draw(st.sampled_from(CURRENCIES))
    bases = draw(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12))
    total = draw(st.integers(min_value=0, max_value=sum(bases)))
    return total, bases, currency


@given(allocation())
def test_allocated_parts_sum_exactly_and_stay_within_each_line(
    case: tuple[int, list[int], str],
) -> None:
    total, bases, currency = case
    parts = allocate_fixed(
        from_minor(total, currency), [from_minor(b, currency) for b in bases], currency
    )
    minor_parts = [to_minor(p, currency) for p in parts]
    assert sum(minor_parts) == total
    for part, base in zip(minor_parts, bases, strict=True):
        assert 0 <= part <= base
        # Largest remainder never strays a whole unit from the exact proportional share.
        assert abs(part - Fraction(total * base, max(sum(bases), 1))) < 1
