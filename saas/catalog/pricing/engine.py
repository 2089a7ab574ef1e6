"""Price usage under a charge: exact Decimal arithmetic, one line per priced part.

Every amount is exact: the arithmetic runs in a 38-digit context that raises instead of rounding,
and rounding to a currency happens only when a quote is written out (`Quote.to_json`).
Ranges cover (previous `to_value`, `to_value`]; the first range is always reached and each next
one once the units exceed its lower bound, and a range's flat fee is due once it is reached. So
no usage costs the first range's flat fee under graduated, volume and graduated percentage
charges, as Lago prices it since 2026 (getlago/lago-api#5760); other models cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any, TypeVar

from saas.catalog.pricing.charges import (
    Charge,
    GraduatedPercentageProperties,
    GraduatedProperties,
    PackageProperties,
    PriceRange,
    RateRange,
    StandardProperties,
    VolumeProperties,
)
from saas.catalog.pricing.percentage import price_percentage
from saas.catalog.pricing.quotes import Quote, QuoteLine, Usage
from saas.catalog.pricing.values import ChargeError, to_decimal

EXACT = Context(prec=38, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])

_R = TypeVar("_R", PriceRange, RateRange)


def quote(
    charge: Charge,
    units: Decimal,
    *,
    events: int | None = None,
    transactions: Sequence[Decimal] | None = None,
) -> Quote:
    """Price `units` under the charge; percentage charges also read events and transactions."""
    try:
        with localcontext(EXACT):
            usage = _usage(units, events, transactions)
            lines = tuple(_PRICERS[charge.charge_model](charge.properties, usage))
            amount = sum((line.amount for line in lines), Decimal(0))
    except (Inexact, InvalidOperation, Overflow):
        raise ChargeError("charge.too_precise", "units", digits=EXACT.prec) from None
    return Quote(charge.charge_model, usage.units, amount, lines)


def _usage(units: Decimal, events: int | None, transactions: Sequence[Decimal] | None) -> Usage:
    value = to_decimal(units, "units")
    if transactions is None:
        return Usage(value, _events(events, value), None)
    amounts = tuple(to_decimal(t, f"transactions[{i}]") for i, t in enumerate(transactions))
    total = sum(amounts, Decimal(0))
    if total != value:
        raise ChargeError("charge.transactions_total", "transactions", units=value, total=total)
    if events is not None and events != len(amounts):
        raise ChargeError("charge.events_count", "events", count=len(amounts))
    return Usage(value, len(amounts), amounts)


def _events(events: int | None, units: Decimal) -> int:
    if events is None:
        return 1 if units > 0 else 0
    if isinstance(events, bool) or not isinstance(events, int):
        raise ChargeError("charge.events_not_whole", "events", kind=type(events).__name__)
    if events < 0:
        raise ChargeError("charge.negative", "events", value=events)
    return events


def _standard(props: StandardProperties, usage: Usage) -> list[QuoteLine]:
    units, price = usage.units, props.amount
    return [QuoteLine(kind="per_unit", units=units, per_unit_amount=price, amount=units * price)]


def _reached(ranges: Sequence[_R], units: Decimal) -> Iterator[tuple[_R, Decimal]]:
    """Yield each range the units reach, with the units inside it; the first is always reached."""
    lower = Decimal(0)
    for index, item in enumerate(ranges):
        if index and units <= lower:
            return
        upper = units if item.to_value is None else min(units, item.to_value)
        yield item, upper - lower
        lower = upper


def _tier(item: PriceRange | RateRange, units: Decimal, amount: Decimal) -> QuoteLine:
    return QuoteLine(
        kind="tier",
        from_value=item.from_value,
        to_value=item.to_value,
        units=units,
        per_unit_amount=item.per_unit_amount if isinstance(item, PriceRange) else None,
        rate=item.rate if isinstance(item, RateRange) else None,
        flat_amount=item.flat_amount,
        amount=amount,
    )


def _graduated(props: GraduatedProperties, usage: Usage) -> list[QuoteLine]:
    return [
        _tier(item, inside, inside * item.per_unit_amount + item.flat_amount)
        for item, inside in _reached(props.ranges, usage.units)
    ]


def _graduated_percentage(props: GraduatedPercentageProperties, usage: Usage) -> list[QuoteLine]:
    return [
        _tier(item, inside, inside * item.rate / 100 + item.flat_amount)
        for item, inside in _reached(props.ranges, usage.units)
    ]


def _volume(props: VolumeProperties, usage: Usage) -> list[QuoteLine]:
    # Zero units fall in the first range: its flat fee is due even without usage.
    item = next(r for r in props.ranges if r.to_value is None or usage.units <= r.to_value)
    amount = usage.units * item.per_unit_amount + item.flat_amount
    return [_tier(item, usage.units, amount)]


def _package(props: PackageProperties, usage: Usage) -> list[QuoteLine]:
    free = min(usage.units, Decimal(props.free_units))
    # A package is due from its first unit, so a started package counts in full.
    whole, rest = divmod(usage.units - free, props.package_size)
    count, price = whole + (1 if rest else 0), props.amount
    package = QuoteLine(kind="package", units=count, per_unit_amount=price, amount=count * price)
    if not props.free_units:
        return [package]
    return [QuoteLine(kind="free_units", units=free, amount=Decimal(0)), package]


_PRICERS: dict[str, Callable[[Any, Usage], list[QuoteLine]]] = {
    "standard": _standard,
    "graduated": _graduated,
    "volume": _volume,
    "package": _package,
    "percentage": price_percentage,
    "graduated_percentage": _graduated_percentage,
}
