"""Discount arithmetic: the amount a discount takes off, and a fixed discount split over lines."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from saas.money import exponent, round_fraction, round_money

DISCOUNT_KINDS = ("percent", "fixed")


def _require_decimal(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be Decimal, got {type(value).__name__}")
    if not value.is_finite() or value < 0:
        raise ValueError(f"{name} must be a finite, non-negative amount, got {value}")


def apply_discount(base: Decimal, kind: str, value: Decimal, currency: str) -> Decimal:
    """Return the positive amount a discount takes off `base`, never more than `base`."""
    _require_decimal("base", base)
    _require_decimal("value", value)
    if kind == "percent":
        if value > 100:
            raise ValueError(f"a percentage must be within 0..100, got {value}")
        discount = round_fraction(Fraction(base) * Fraction(value) / 100, currency)
    elif kind == "fixed":
        discount = round_money(value, currency)
    else:
        raise ValueError(f"unknown discount kind {kind!r}; expected one of {DISCOUNT_KINDS}")
    return min(discount, base)


def _to_exact_minor(amount: Decimal, currency: str) -> int:
    """Return the amount in minor units, refusing amounts finer than the minor unit."""
    scaled = Fraction(amount) * 10 ** exponent(currency)
    if scaled.denominator != 1:
        raise ValueError(f"{amount} is not a whole number of {currency} minor units")
    return scaled.numerator


def _largest_remainder(total: int, weights: list[Fraction]) -> list[int]:
    """Split `total` units in proportion to `weights`; parts are whole and sum to `total`."""
    weight_sum = sum(weights, Fraction(0))
    shares = [total * w / weight_sum for w in weights]
    parts = [share.numerator // share.denominator for share in shares]
    left = total - sum(parts)
    # Biggest remainders first; ties go to the earlier line so the split is deterministic.
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def allocate_fixed(amount: Decimal, bases: list[Decimal], currency: str) -> list[Decimal]:
    """Split a fixed discount over lines in proportion to their bases, summing to `amount`."""
    _require_decimal("amount", amount)
    for base in bases:
        _require_decimal("base", base)
    minor = _to_exact_minor(amount, currency)
    weights = [Fraction(base) for base in bases]
    if Fraction(amount) > sum(weights, Fraction(0)):
        raise ValueError(f"the discount {amount} exceeds the lines it applies to")
    parts = _largest_remainder(minor, weights) if minor else [0] * len(bases)
    scale = 10 ** exponent(currency)
    return [round_fraction(Fraction(part, scale), currency) for part in parts]
