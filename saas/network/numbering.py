"""E.164 numbers and ranges read with phonenumbers, and the golden-number rule: no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from saas.errors import Term
from saas.network.errors import NetworkError

# One range holds at most this many numbers: a bigger block is loaded as several ranges.
MAX_RANGE = 100_000
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
MAX_TYPED = 32


@dataclass(frozen=True)
class RangeSpec:
    """A checked range: first and last as E.164 digits (no plus), its country and size."""

    first: str
    last: str
    country: str

    @property
    def size(self) -> int:
        return int(self.last) - int(self.first) + 1

    def msisdns(self) -> Iterator[str]:
        """Every number of the range, in order."""
        width = len(self.first)
        for value in range(int(self.first), int(self.last) + 1):
            yield str(value).zfill(width)

    def overlaps(self, first: str, last: str) -> bool:
        """Whether it shares a number with the range first to last."""
        return len(first) == len(self.first) and first <= self.last and last >= self.first


def msisdn(typed: str, field: str = "msisdn") -> tuple[str, str]:
    """A mobile number typed in international format, as E.164 digits and its country."""
    shown = typed.strip()[:MAX_TYPED]
    record = Term("record.number", msisdn=shown)
    try:
        parsed = phonenumbers.parse(shown if shown.startswith("+") else f"+{shown}", None)
    except NumberParseException:
        raise NetworkError("network.not_a_number", record, field) from None
    if not phonenumbers.is_valid_number(parsed):
        raise NetworkError("network.invalid_number", record, field)
    if phonenumbers.number_type(parsed) not in MOBILE_TYPES:
        raise NetworkError("network.not_mobile", record, field)
    digits = phonenumbers.format_number(parsed, PhoneNumberFormat.E164).removeprefix("+")
    return digits, phonenumbers.region_code_for_number(parsed) or ""


def number_range(first: str, last: str) -> RangeSpec:
    """Check a range typed as its first and last number; refuse what cannot be one."""
    low, country = msisdn(first, "first")
    high, other = msisdn(last, "last")
    record = range_named(low, high)
    if other != country:
        raise NetworkError("network.other_country", record, "last")
    if len(low) != len(high):
        raise NetworkError("network.other_length", record, "last")
    if high < low:
        raise NetworkError("network.reversed", record, "last")
    spec = RangeSpec(low, high, country)
    if spec.size > MAX_RANGE:
        raise NetworkError(
            "network.range_too_large", record, "last", count=spec.size, limit=MAX_RANGE
        )
    return spec


def shown(digits: str) -> str:
    """A stored number as people read it: +49 1520 0001234."""
    try:
        parsed = phonenumbers.parse(f"+{digits}", None)
    except NumberParseException:
        return f"+{digits}"
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)


def is_golden(digits: str, run: int) -> bool:
    """Whether the last `run` digits are all one digit or count up or down by one (0: never)."""
    if run < 2 or len(digits) < run:
        return False
    tail = [int(d) for d in digits[-run:]]
    steps = {b - a for a, b in pairwise(tail)}
    return steps in ({0}, {1}, {-1})


def range_named(first: str, last: str) -> Term:
    """A range as a refusal names it."""
    return Term("record.number_range", first=shown(first), last=shown(last))
