"""The numbers of a charge: exact decimals read from strings or integers, never from floats."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from saas.errors import N_, Refusal, register

# Plain decimal notation only: Decimal() alone would also take "NaN", "Infinity" and "1_000".
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
MAX_DIGITS = 38


class ChargeError(Refusal):
    """A charge or its usage is not valid; `field` is the path to the value, the code says why."""

    field: str

    def __init__(self, code: str, field: str, **params: Any) -> None:
        # The path is the record: it names the value in the charge object as it was written.
        super().__init__(code, field=field, record=field, **params)


REFUSALS = {
    "charge.negative": N_("must not be negative, got %(value)s"),
    "charge.not_whole": N_("must be a whole number, got %(value)s"),
    "charge.below_minimum": N_("must be at least %(minimum)s, got %(value)s"),
    "charge.required": N_("required"),
    "charge.float": N_('write amounts as strings, e.g. "%(value)s"; floats are not exact'),
    "charge.wrong_type": N_("must be a decimal string or an integer, got %(kind)s"),
    "charge.not_decimal": N_('not a decimal number: "%(value)s"'),
    "charge.not_finite": N_("must be a finite number, got %(value)s"),
    "charge.too_many_digits": N_("more than %(digits)s digits when written out"),
    "charge.not_object": N_("must be a JSON object, got %(kind)s"),
    "charge.unknown_model": N_('unknown "%(value)s"; one of %(options)s'),
    "charge.filters": N_("charges with filters are not supported"),
    "charge.properties_not_object": N_("must be a JSON object"),
    "charge.unknown_property": N_("unknown property; expected %(options)s"),
    "charge.max_below_min": N_("must not be below per_transaction_min_amount (%(minimum)s)"),
    "charge.ranges_empty": N_("must be a list of at least one range"),
    "charge.from_value_first": N_("must be 0"),
    "charge.from_value_next": N_(
        "must equal the previous to_value (%(previous)s) or that + 1 (%(expected)s)"
    ),
    "charge.from_value_adjacent": N_("must equal the previous to_value (%(previous)s)"),
    "charge.last_to_value": N_("must be null on the last range"),
    "charge.to_value_required": N_("required on every range but the last"),
    "charge.to_value_order": N_("must be above from_value (%(from_value)s)"),
    "charge.too_precise": N_("needs more than %(digits)s digits to price exactly"),
    "charge.transactions_total": N_("must add up to units (%(units)s), got %(total)s"),
    "charge.events_count": N_("must equal the number of transactions (%(count)s)"),
    "charge.events_not_whole": N_("must be a whole number, got %(kind)s"),
    "charge.transactions_needed": N_(
        "required: the free allowance runs out part-way, so each amount matters"
    ),
    "charge.transactions_for_limits": N_("required with a per-transaction minimum or maximum"),
    "charge.transactions_not_list": N_("must be a list of amounts"),
    "charge.body_not_json": N_("not valid JSON: %(problem)s"),
    "charge.unknown_currency": N_('unknown currency "%(value)s"'),
}
register(REFUSALS)


def to_decimal(raw: Any, field: str) -> Decimal:
    """Read a non-negative decimal written as a string or an integer."""
    value = _read(raw, field)
    if value < 0:
        raise ChargeError("charge.negative", field, value=value)
    return value


def optional_decimal(raw: Any, field: str) -> Decimal | None:
    """Read a non-negative decimal, or None when the value is absent or null."""
    return None if raw is None else to_decimal(raw, field)


def to_whole(raw: Any, field: str, minimum: int = 0) -> int:
    """Read a whole number no smaller than `minimum`."""
    value = _read(raw, field)
    if value != value.to_integral_value():
        raise ChargeError("charge.not_whole", field, value=value)
    if value < minimum:
        raise ChargeError("charge.below_minimum", field, minimum=minimum, value=value)
    return int(value)


def _read(raw: Any, field: str) -> Decimal:
    if raw is None:
        raise ChargeError("charge.required", field)
    if isinstance(raw, float):
        raise ChargeError("charge.float", field, value=repr(raw))
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise ChargeError("charge.wrong_type", field, kind=type(raw).__name__)
    if isinstance(raw, str) and not _DECIMAL.fullmatch(raw):
        raise ChargeError("charge.not_decimal", field, value=raw)
    value = Decimal(raw)
    if not value.is_finite():
        raise ChargeError("charge.not_finite", field, value=str(raw))
    if _plain_digits(value) > MAX_DIGITS:
        raise ChargeError("charge.too_many_digits", field, digits=MAX_DIGITS)
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
