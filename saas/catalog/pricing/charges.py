"""Lago charge objects: parsed, validated, and written back with Lago's property names.

Range bounds follow Lago's conventions: exact decimals (0 to 0.1 GB), the first range starts at
0, each next `from_value` is the previous `to_value` (0-0.1, 0.1-1) or, after a whole
`to_value`, that + 1 (0-10, 11-20, as Lago's older plans write it), and only the last range is
open (`to_value` null). Pricing reads a range as covering (previous `to_value`, `to_value`]
either way, so usage between two ranges (10.5 with ranges 0-10 and 11-20) falls in the upper
one, as Lago prices it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, TypeVar

from saas.catalog.pricing.values import (
    MAX_DIGITS,
    ChargeError,
    optional_decimal,
    plain,
    to_decimal,
    to_whole,
)

CHARGE_MODELS = (
    "standard",
    "graduated",
    "volume",
    "package",
    "percentage",
    "graduated_percentage",
)

_R = TypeVar("_R", "PriceRange", "RateRange")


@dataclass(frozen=True)
class StandardProperties:
    """Every unit at the same price."""

    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object."""
        return {"amount": plain(self.amount)}


@dataclass(frozen=True)
class PriceRange:
    """A range of a graduated or volume charge: a price per unit and a flat fee."""

    from_value: Decimal
    to_value: Decimal | None
    per_unit_amount: Decimal
    flat_amount: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return Lago's range object."""
        return {
            "from_value": bound_json(self.from_value),
            "to_value": None if self.to_value is None else bound_json(self.to_value),
            "per_unit_amount": plain(self.per_unit_amount),
            "flat_amount": plain(self.flat_amount),
        }


@dataclass(frozen=True)
class RateRange:
    """A range of a graduated percentage charge: a rate in percent and a flat fee."""

    from_value: Decimal
    to_value: Decimal | None
    rate: Decimal
    flat_amount: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return Lago's range object."""
        return {
            "from_value": bound_json(self.from_value),
            "to_value": None if self.to_value is None else bound_json(self.to_value),
            "rate": plain(self.rate),
            "flat_amount": plain(self.flat_amount),
        }


@dataclass(frozen=True)
class GraduatedProperties:
    """Each range prices the units inside it."""

    ranges: tuple[PriceRange, ...]

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object."""
        return {"graduated_ranges": [r.to_json() for r in self.ranges]}


@dataclass(frozen=True)
class VolumeProperties:
    """The range the total falls in prices every unit."""

    ranges: tuple[PriceRange, ...]

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object."""
        return {"volume_ranges": [r.to_json() for r in self.ranges]}


@dataclass(frozen=True)
class GraduatedPercentageProperties:
    """Each range takes its rate of the amount inside it."""

    ranges: tuple[RateRange, ...]

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object."""
        return {"graduated_percentage_ranges": [r.to_json() for r in self.ranges]}


@dataclass(frozen=True)
class PackageProperties:
    """A price per started package of units, after some free units."""

    amount: Decimal
    package_size: int
    free_units: int

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object."""
        return {
            "amount": plain(self.amount),
            "package_size": self.package_size,
            "free_units": self.free_units,
        }


@dataclass(frozen=True)
class PercentageProperties:
    """A rate in percent of the amount, a fixed fee per event, free allowances and clamps."""

    rate: Decimal
    fixed_amount: Decimal | None = None
    free_units_per_events: int | None = None
    free_units_per_total_aggregation: Decimal | None = None
    per_transaction_min_amount: Decimal | None = None
    per_transaction_max_amount: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        """Return Lago's properties object, leaving out the options not set."""
        out: dict[str, Any] = {}
        for key, value in vars(self).items():
            if value is not None:
                out[key] = value if isinstance(value, int) else plain(value)
        return out


def bound_json(value: Decimal) -> int | str:
    """Write a range bound as Lago does: a whole bound as an integer, a fractional one as text."""
    return int(value) if value == value.to_integral_value() else plain(value)


Properties = (
    StandardProperties
    | GraduatedProperties
    | VolumeProperties
    | PackageProperties
    | PercentageProperties
    | GraduatedPercentageProperties
)

_PROPERTY_TYPES: dict[str, type] = {
    "standard": StandardProperties,
    "graduated": GraduatedProperties,
    "volume": VolumeProperties,
    "package": PackageProperties,
    "percentage": PercentageProperties,
    "graduated_percentage": GraduatedPercentageProperties,
}


@dataclass(frozen=True)
class Charge:
    """A validated charge: its Lago model name and its exact properties."""

    charge_model: str
    properties: Properties

    def __post_init__(self) -> None:
        expected = _PROPERTY_TYPES.get(self.charge_model)
        if expected is None or not isinstance(self.properties, expected):
            raise TypeError(f"{type(self.properties).__name__} do not fit {self.charge_model!r}")

    def to_json(self) -> dict[str, Any]:
        """Return the Lago charge object; decimals are strings, so it parses back the same."""
        return {"charge_model": self.charge_model, "properties": self.properties.to_json()}


def parse_charge(obj: Mapping[str, Any]) -> Charge:
    """Validate a Lago charge object; other charge keys (ids, invoicing options) are ignored."""
    if not isinstance(obj, Mapping):
        raise ChargeError("charge.not_object", "charge", kind=type(obj).__name__)
    model = obj.get("charge_model")
    if model is None:
        raise ChargeError("charge.required", "charge_model")
    if model not in CHARGE_MODELS:
        raise ChargeError(
            "charge.unknown_model", "charge_model", value=model, options=", ".join(CHARGE_MODELS)
        )
    if obj.get("filters"):
        # Filters carry their own properties per event value; pricing them here would be wrong.
        raise ChargeError("charge.filters", "filters")
    properties = obj.get("properties")
    if not isinstance(properties, Mapping):
        raise ChargeError("charge.properties_not_object", "properties")
    return Charge(model, _PARSERS[model](properties))


def _only(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    # A misspelt optional key would otherwise drop a fee without a word.
    for key in obj:
        if key not in allowed:
            raise ChargeError(
                "charge.unknown_property", f"{path}.{key}", options=", ".join(allowed)
            )


def _standard(props: Mapping[str, Any]) -> StandardProperties:
    _only(props, ("amount",), "properties")
    return StandardProperties(to_decimal(props.get("amount"), "properties.amount"))


def _package(props: Mapping[str, Any]) -> PackageProperties:
    _only(props, ("amount", "package_size", "free_units"), "properties")
    free_units = props.get("free_units")
    return PackageProperties(
        amount=to_decimal(props.get("amount"), "properties.amount"),
        package_size=to_whole(props.get("package_size"), "properties.package_size", minimum=1),
        free_units=0 if free_units is None else to_whole(free_units, "properties.free_units"),
    )


_PERCENTAGE_KEYS = tuple(PercentageProperties.__dataclass_fields__)


def _percentage(props: Mapping[str, Any]) -> PercentageProperties:
    _only(props, _PERCENTAGE_KEYS, "properties")

    def amount(key: str) -> Decimal | None:
        return optional_decimal(props.get(key), f"properties.{key}")

    events = props.get("free_units_per_events")
    result = PercentageProperties(
        rate=to_decimal(props.get("rate"), "properties.rate"),
        fixed_amount=amount("fixed_amount"),
        free_units_per_events=(
            None if events is None else to_whole(events, "properties.free_units_per_events", 1)
        ),
        free_units_per_total_aggregation=amount("free_units_per_total_aggregation"),
        per_transaction_min_amount=amount("per_transaction_min_amount"),
        per_transaction_max_amount=amount("per_transaction_max_amount"),
    )
    _check_min_max(result)
    return result


def _check_min_max(props: PercentageProperties) -> None:
    low, high = props.per_transaction_min_amount, props.per_transaction_max_amount
    if low is not None and high is not None and high < low:
        raise ChargeError(
            "charge.max_below_min", "properties.per_transaction_max_amount", minimum=low
        )


def _graduated(props: Mapping[str, Any]) -> GraduatedProperties:
    return GraduatedProperties(_ranges(props, "graduated_ranges", _price_range))


def _volume(props: Mapping[str, Any]) -> VolumeProperties:
    return VolumeProperties(_ranges(props, "volume_ranges", _price_range))


def _graduated_percentage(props: Mapping[str, Any]) -> GraduatedPercentageProperties:
    return GraduatedPercentageProperties(_ranges(props, "graduated_percentage_ranges", _rate_range))


def _ranges(props: Mapping[str, Any], key: str, read: Callable[[Any, str], _R]) -> tuple[_R, ...]:
    _only(props, (key,), "properties")
    path = f"properties.{key}"
    raw = props.get(key)
    if raw is None:
        raise ChargeError("charge.required", path)
    if not isinstance(raw, list) or not raw:
        raise ChargeError("charge.ranges_empty", path)
    ranges = tuple(read(item, f"{path}[{index}]") for index, item in enumerate(raw))
    previous: Decimal | None = None
    for index, item in enumerate(ranges):
        _check_bounds(item, f"{path}[{index}]", previous, last=index == len(ranges) - 1)
        previous = item.to_value
    return ranges


def _check_bounds(
    item: PriceRange | RateRange, path: str, previous: Decimal | None, *, last: bool
) -> None:
    _check_from_value(item.from_value, f"{path}.from_value", previous)
    if last and item.to_value is not None:
        raise ChargeError("charge.last_to_value", f"{path}.to_value")
    if not last and item.to_value is None:
        raise ChargeError("charge.to_value_required", f"{path}.to_value")
    if item.to_value is not None and item.to_value <= item.from_value:
        bound = plain(item.from_value)
        raise ChargeError("charge.to_value_order", f"{path}.to_value", from_value=bound)


def _check_from_value(value: Decimal, path: str, previous: Decimal | None) -> None:
    """The first range starts at 0, the next where the previous one ends (or one past it)."""
    if previous is None:
        if value != 0:
            raise ChargeError("charge.from_value_first", path)
        return
    if value == previous:
        return
    # Bounds are said as the charge's JSON writes them, so every screen says the engine's words.
    if previous != previous.to_integral_value():
        raise ChargeError("charge.from_value_adjacent", path, previous=plain(previous))
    with localcontext(prec=2 * MAX_DIGITS):  # a 38-digit bound + 1 is exact
        expected = previous + 1
    if value != expected:
        raise ChargeError(
            "charge.from_value_next", path, previous=plain(previous), expected=plain(expected)
        )


def _range_fields(
    item: Any, path: str, keys: tuple[str, ...]
) -> tuple[Decimal, Decimal | None, Decimal]:
    if not isinstance(item, Mapping):
        raise ChargeError("charge.properties_not_object", path)
    _only(item, keys, path)
    to_value = item.get("to_value")
    flat = item.get("flat_amount")
    return (
        to_decimal(item.get("from_value"), f"{path}.from_value"),
        None if to_value is None else to_decimal(to_value, f"{path}.to_value"),
        Decimal(0) if flat is None else to_decimal(flat, f"{path}.flat_amount"),
    )


def _price_range(item: Any, path: str) -> PriceRange:
    keys = ("from_value", "to_value", "per_unit_amount", "flat_amount")
    from_value, to_value, flat = _range_fields(item, path, keys)
    price = to_decimal(item.get("per_unit_amount"), f"{path}.per_unit_amount")
    return PriceRange(from_value, to_value, price, flat)


def _rate_range(item: Any, path: str) -> RateRange:
    keys = ("from_value", "to_value", "rate", "flat_amount")
    from_value, to_value, flat = _range_fields(item, path, keys)
    return RateRange(from_value, to_value, to_decimal(item.get("rate"), f"{path}.rate"), flat)


_PARSERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "standard": _standard,
    "graduated": _graduated,
    "volume": _volume,
    "package": _package,
    "percentage": _percentage,
    "graduated_percentage": _graduated_percentage,
}
