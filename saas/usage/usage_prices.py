"""A plan's usage charge (a Lago charge object) as a Polars expression over a column of units.

The pricing engine (saas.catalog.pricing) prices one total of units in exact decimals. Charging
prices records, thousands a batch, by what each adds to the period's total: a record whose
uncovered units take the period's total from `before` to `after` costs P(after) - P(before),
where P is the charge's price of a total, in micro-units rounded half up. The charges of a
period's records so add up to P(total) however the records are batched, and a graduated
charge's tiers, a package's started packages and a volume charge's bands are met as Lago meets
them on the invoice. (Under `volume` a record may so cost less than nothing: the band reached
lowers the price of every unit before it.) The first range's flat fee, due without usage, is the
invoice's (P(0) is taken off): records pay what usage adds.

The expressions work in exact integers (Int128): units in base units (seconds, bytes), bounds
and prices scaled to integers. `percentage` and `graduated_percentage` price money, not units:
they give no expression, and the deck's price applies (saas.usage.charging).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from saas.catalog.pricing.charges import (
    Charge,
    GraduatedProperties,
    PackageProperties,
    PriceRange,
    StandardProperties,
    VolumeProperties,
)
from saas.usage.records import MICROS

WIDE = pl.Int128
PRICED_MODELS = ("standard", "graduated", "volume", "package")


def scale(values: list[Decimal]) -> int:
    """The power of ten that makes every value a whole number."""
    exponent = 0
    for value in values:
        exp = value.normalize().as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            exponent = max(exponent, -exp)
    return 10**exponent


def whole(value: Decimal, scale: int) -> int:
    scaled = value * scale
    assert scaled == scaled.to_integral_value(), value
    return int(scaled)


def _rounded(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """numerator / denominator rounded half up (away from zero at a half), as Int64."""
    half_up = (numerator * 2 + denominator) // (2 * denominator)
    zero = pl.lit(0, WIDE)
    half_down = zero - ((zero - numerator) * 2 + denominator) // (2 * denominator)
    return pl.when(numerator >= 0).then(half_up).otherwise(half_down).cast(pl.Int64)


def price(charge: Charge, size: int, units: pl.Expr) -> pl.Expr | None:
    """P(units): the charge's price, in micro-units, of a period's total `units` (base units).

    `size` is the number of base units in one of the metric's units (60 for minutes).
    """
    props = charge.properties
    u = units.cast(WIDE)
    if isinstance(props, StandardProperties):
        return _standard(props, size, u)
    if isinstance(props, GraduatedProperties):
        return _graduated(props.ranges, size, u)
    if isinstance(props, VolumeProperties):
        return _volume(props.ranges, size, u)
    if isinstance(props, PackageProperties):
        return _package(props, size, u)
    return None


def _standard(props: StandardProperties, size: int, u: pl.Expr) -> pl.Expr:
    amount = props.amount * MICROS
    t = scale([amount])
    return _rounded(u * whole(amount, t), size * t)


def _bounds(ranges: tuple[PriceRange, ...]) -> tuple[list[Decimal], list[Decimal | None]]:
    """Each range's lower bound (the previous `to_value`) and upper bound, in metric units."""
    lowers, uppers, lower = [], [], Decimal(0)
    for item in ranges:
        lowers.append(lower)
        uppers.append(item.to_value)
        lower = item.to_value if item.to_value is not None else lower
    return lowers, uppers


def _price_scale(ranges: tuple[PriceRange, ...]) -> int:
    return scale(
        [r.per_unit_amount * MICROS for r in ranges] + [r.flat_amount * MICROS for r in ranges]
    )


def _graduated(ranges: tuple[PriceRange, ...], size: int, u: pl.Expr) -> pl.Expr:
    lowers, uppers = _bounds(ranges)
    s = scale([*lowers, *(x for x in uppers if x is not None)])
    t = scale(
        [r.per_unit_amount * MICROS for r in ranges] + [r.flat_amount * MICROS for r in ranges]
    )
    scaled = u * s  # units in base units x s
    total = pl.lit(0, WIDE)
    for index, item in enumerate(ranges):
        low = whole(lowers[index] * size, s)
        inside = (scaled - low).clip(lower_bound=0)
        upper = uppers[index]
        if upper is not None:
            inside = inside.clip(upper_bound=whole((upper - lowers[index]) * size, s))
        flat = whole(item.flat_amount * MICROS, t) * size * s
        reached = pl.lit(True) if index == 0 else scaled > low
        part = inside * whole(item.per_unit_amount * MICROS, t) + flat
        total = total + pl.when(reached).then(part).otherwise(0)
    return _rounded(total, size * s * t)


def _volume(ranges: tuple[PriceRange, ...], size: int, u: pl.Expr) -> pl.Expr:
    _, uppers = _bounds(ranges)
    s = scale([x for x in uppers if x is not None])
    t = scale(
        [r.per_unit_amount * MICROS for r in ranges] + [r.flat_amount * MICROS for r in ranges]
    )
    scaled = u * s
    chosen: pl.Expr | None = None
    for index in reversed(range(len(ranges))):
        item = ranges[index]
        flat = whole(item.flat_amount * MICROS, t) * size * s
        amount = scaled * whole(item.per_unit_amount * MICROS, t) + flat
        upper = uppers[index]
        if chosen is None or upper is None:
            chosen = pl.lit(amount) if isinstance(amount, int) else amount
        else:
            chosen = pl.when(scaled <= whole(upper * size, s)).then(amount).otherwise(chosen)
    assert chosen is not None
    return _rounded(chosen, size * s * t)


def _package(props: PackageProperties, size: int, u: pl.Expr) -> pl.Expr:
    amount = props.amount * MICROS
    t = scale([amount])
    chargeable = (u - props.free_units * size).clip(lower_bound=0)
    block = props.package_size * size
    count = (chargeable + block - 1) // block
    return _rounded(count * whole(amount, t), t)


def adds(charge: Charge, size: int, before: pl.Expr, units: pl.Expr) -> pl.Expr | None:
    """What `units` more cost after `before` units of the period: P(before + units) - P(before)."""
    after, start = price(charge, size, before + units), price(charge, size, before)
    if after is None or start is None:
        return None
    return after - start
