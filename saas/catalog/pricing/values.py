"""The numbers of a charge: exact decimals read from strings or integers, never from floats."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

# Plain decimal notation only: Decimal() alone would also take "NaN", "Infinity" and "1_000".
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
MAX_DIGITS = 38


class ChargeError(ValueError):
    """A charge or its usage is not valid; `field` is the path to the value, `reason` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def to_decimal(raw: Any, field: str) -> Decimal:
    """Read a non-negative decimal written as a string or an integer."""
    value = _read(raw, field)
    if value < 0:
        raise ChargeError(field, f"must not be negative, got {plain(value)}")
    return value


def optional_decimal(raw: Any, field: str) -> Decimal | None:
    """Read a non-negative decimal, or None when the value is absent or null."""
    return None if raw is None else to_decimal(raw, field)


def to_whole(raw: Any, field: str, minimum: int = 0) -> int:
    """Read a whole number no smaller than `minimum`."""
    value = _read(raw, field)
    if value != value.to_integral_value():
        raise ChargeError(field, f"must be a whole number, got {plain(value)}")
    if value < minimum:
        raise ChargeError(field, f"must be at least {minimum}, got {plain(value)}")
    return int(value)


def _read(raw: Any, field: str) -> Decimal:
    if raw is None:
        raise ChargeError(field, "required")
    if isinstance(raw, float):
        raise ChargeError(field, f'write amounts as strings, e.g. "{raw!r}"; floats are not exact')
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        kind = type(raw).__name__
        raise ChargeError(field, f"must be a decimal string or an integer, got {kind}")
    if isinstance(raw, str) and not _DECIMAL.fullmatch(raw):
        raise ChargeError(field, f"not a decimal number: {raw!r}")
    value = Decimal(raw)
    if not value.is_finite():
        raise ChargeError(field, f"must be a finite number, got {raw}")
    if _plain_digits(value) > MAX_DIGITS:
        raise ChargeError(field, f"more than {MAX_DIGITS} digits when written out")
    return value


def _plain_digits(value: Decimal) -> int:
    # Bounded before anything writes the number out: "1e999999" would be a million characters.
    exponent = int(value.as_tuple().exponent)
    return max(value.adjusted() + 1, 1) + max(-exponent, 0)


def plain(value: Decimal) -> str:
    """Write a decimal without exponent notation, keeping its trailing zeros."""
    text = format(value, "f")
    return text.lstrip("-") if value == 0 else text


def compact(value: Decimal) -> str:
    """Write a decimal without exponent notation or trailing fractional zeros."""
    text = plain(value)
    return text.rstrip("0").rstrip(".") if "." in text else text
