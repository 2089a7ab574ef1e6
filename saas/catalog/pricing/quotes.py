"""What pricing returns: an exact amount and the lines that add up to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from saas.catalog.pricing.values import compact, plain
from saas.money import round_money


@dataclass(frozen=True)
class Usage:
    """What is priced: units, and for percentage charges the events and their amounts."""

    units: Decimal
    events: int
    transactions: tuple[Decimal, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class QuoteLine:
    """One part of a quote; `units` counts what `per_unit_amount` or `rate` applies to.

    Kinds: "per_unit" (standard), "tier" (graduated, volume, graduated_percentage), "free_units"
    and "package" (package; a package line counts packages), "free_units", "rate", "fixed_fee"
    and "min_max_adjustment" (percentage; the adjustment is negative when a maximum applies).
    """

    kind: str
    from_value: Decimal | None = None
    to_value: Decimal | None = None
    units: Decimal
    per_unit_amount: Decimal | None = None
    flat_amount: Decimal | None = None
    rate: Decimal | None = None
    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return the line with decimals as strings and absent values as null."""
        return {
            "kind": self.kind,
            "from_value": _text(self.from_value),
            "to_value": _text(self.to_value),
            "units": compact(self.units),
            "per_unit_amount": _text(self.per_unit_amount),
            "flat_amount": _text(self.flat_amount),
            "rate": _text(self.rate),
            "amount": compact(self.amount),
        }


@dataclass(frozen=True)
class Quote:
    """The exact, unrounded price of some usage under one charge."""

    charge_model: str
    units: Decimal
    amount: Decimal
    lines: tuple[QuoteLine, ...]

    def to_json(self, currency: str | None = None) -> dict[str, Any]:
        """Return the quote; with a currency, also the amount rounded half up to its minor unit."""
        out: dict[str, Any] = {
            "charge_model": self.charge_model,
            "units": compact(self.units),
            "amount": compact(self.amount),
            "lines": [line.to_json() for line in self.lines],
        }
        if currency is not None:
            # Room for every digit of an exact amount, so rounding never trips the context.
            with localcontext(prec=80):
                out["currency"] = currency
                out["amount_rounded"] = plain(round_money(self.amount, currency))
        return out


def _text(value: Decimal | None) -> str | None:
    return None if value is None else compact(value)
