"""Money: exact decimals, integer minor units, one rounding rule per currency."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision


def exponent(currency: str) -> int:
    """Return how many decimal places the currency's minor unit has (EUR 2, JPY 0)."""
    return get_currency_precision(currency)


def quantum(currency: str) -> Decimal:
    """Return the smallest amount of the currency as a Decimal."""
    return Decimal(1).scaleb(-exponent(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up (away from zero on .5)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """Convert an amount to integer minor units, rounding half up."""
    return int(round_money(amount, currency).scaleb(exponent(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    """Convert integer minor units back to a Decimal amount."""
    return Decimal(minor).scaleb(-exponent(currency))


def money_text(amount: Decimal, currency: str) -> str:
    """Write an amount with at least the currency's decimals (10 -> "10.00"), never fewer digits."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    step = quantum(currency)
    exponent = amount.as_tuple().exponent
    coarser = isinstance(exponent, int) and exponent > int(step.as_tuple().exponent)
    # Quantizing to a finer step only appends zeros: the value is unchanged.
    return str(amount.quantize(step) if coarser else amount)


def format_money(amount: Decimal | int, currency: str, locale: str, *, minor: bool = False) -> str:
    """Format for display in a locale; `minor=True` reads `amount` as minor units."""
    value = from_minor(int(amount), currency) if minor else amount
    return _formatted(value, currency, locale)


# A list shows the same few prices on every row, and Babel reads its patterns anew each call:
# each amount is written once per currency and locale (the text depends on nothing else).
@lru_cache(maxsize=8192)
def _formatted(value: Decimal, currency: str, locale: str) -> str:
    return format_currency(value, currency, locale=locale)


def round_fraction(value: Fraction, currency: str) -> Decimal:
    """Round an exact fraction to the currency's minor unit, half up (away from zero on .5)."""
    if not isinstance(value, Fraction):
        raise TypeError(f"value must be Fraction, got {type(value).__name__}")
    scaled = abs(value) * 10 ** exponent(currency)
    # floor(x + 1/2) in integers: no Decimal division, so no context precision to lose.
    minor = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    signed = minor if value >= 0 else -minor
    # Built from text, not scaleb(), so amounts past the context's 28 digits stay exact.
    return Decimal(f"{signed}E-{exponent(currency)}")
