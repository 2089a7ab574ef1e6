"""Pricing properties that hold for every charge, checked on generated charges and usage."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from saas.catalog.pricing import Charge, ChargeError, Quote, parse_charge, quote

D = Decimal
STEP = D("0.001")  # the smallest step of generated units
UNITS = st.decimals(min_value=0, max_value=30000, places=3)
PRICES = st.decimals(min_value=0, max_value=100, places=4)
RATES = st.decimals(min_value=0, max_value=100, places=3)
TRANSACTIONS = st.lists(st.decimals(min_value=0, max_value=2000, places=2), max_size=8)
RANGE_KEY = {
    "graduated": "graduated_ranges",
    "volume": "volume_ranges",
    "graduated_percentage": "graduated_percentage_ranges",
}


def text(value: Decimal) -> str:
    return format(value, "f")


BOUND_STEPS = st.one_of(
    st.integers(1, 3000).map(D),
    st.decimals(min_value=D("0.001"), max_value=50, places=3),
)


@st.composite
def ranged(draw: st.DrawFn, model: str) -> dict[str, Any]:
    """A Lago ranged charge with 1 to 5 ranges, its bounds whole or decimal (0 to 0.1 GB).

    A range starts at the previous `to_value`, or one past it when that is whole (as Lago's
    older plans write it); each range holds more than its `from_value`.
    """
    price_key, prices = (
        ("rate", RATES) if model == "graduated_percentage" else ("per_unit_amount", PRICES)
    )
    rows: list[dict[str, Any]] = []
    lower = D(0)
    for index in range(draw(st.integers(0, 4)) + 1):
        if index:
            previous = D(rows[-1]["to_value"])
            past = previous == previous.to_integral_value() and draw(st.booleans())
            lower = previous + 1 if past else previous
        rows.append(
            {
                "from_value": bound(lower),
                "to_value": bound(lower + draw(BOUND_STEPS)),
                price_key: text(draw(prices)),
                "flat_amount": text(draw(PRICES)),
            }
        )
    rows[-1]["to_value"] = None
    return {"charge_model": model, "properties": {RANGE_KEY[model]: rows}}


def bound(value: Decimal) -> int | str:
    """Write a bound as Lago does: whole bounds as integers, decimal ones as text."""
    return int(value) if value == value.to_integral_value() else text(value)


STANDARD = PRICES.map(lambda p: {"charge_model": "standard", "properties": {"amount": text(p)}})
PACKAGE = st.builds(
    lambda amount, size, free: {
        "charge_model": "package",
        "properties": {"amount": text(amount), "package_size": size, "free_units": free},
    },
    PRICES,
    st.integers(1, 1000),
    st.integers(0, 1000),
)


@st.composite
def percentage(draw: st.DrawFn, *, clamps: bool = True, allowances: bool = True) -> dict[str, Any]:
    """A Lago percentage charge with any mix of its options."""
    props: dict[str, Any] = {"rate": text(draw(RATES))}
    optional = {
        "fixed_amount": PRICES.map(text),
        "free_units_per_events": st.integers(1, 5),
        "free_units_per_total_aggregation": st.decimals(0, 3000, places=2).map(text),
    }
    if not allowances:
        del optional["free_units_per_events"], optional["free_units_per_total_aggregation"]
    for key, values in optional.items():
        if draw(st.booleans()):
            props[key] = draw(values)
    if clamps:
        low, high = sorted(draw(st.lists(PRICES, min_size=2, max_size=2)))
        for key, value in (
            ("per_transaction_min_amount", low),
            ("per_transaction_max_amount", high),
        ):
            if draw(st.booleans()):
                props[key] = text(value)
    return {"charge_model": "percentage", "properties": props}


UNIT_CHARGES = st.one_of(
    STANDARD,
    PACKAGE,
    ranged("graduated"),
    ranged("volume"),
    ranged("graduated_percentage"),
)
MONOTONE_CHARGES = st.one_of(STANDARD, PACKAGE, ranged("graduated"), ranged("graduated_percentage"))
ANY_CHARGE = st.one_of(UNIT_CHARGES, percentage())


def priced(charge: Charge, units: Decimal, amounts: list[Decimal]) -> Quote:
    """Quote any charge; percentage charges are priced on the transactions instead of `units`."""
    if charge.charge_model == "percentage":
        return quote(charge, sum(amounts, D(0)), transactions=amounts)
    return quote(charge, units)


def rows_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the ranges of a ranged charge's JSON."""
    rows: list[dict[str, Any]] = obj["properties"][RANGE_KEY[obj["charge_model"]]]
    return rows


def bounds_of(obj: dict[str, Any]) -> list[tuple[Decimal, Decimal | None]]:
    """Return each range as (lower, upper] in units, read from the JSON apart from the engine."""
    out, lower = [], D(0)
    for row in rows_of(obj):
        upper = None if row["to_value"] is None else D(row["to_value"])
        out.append((lower, upper))
        lower = upper if upper is not None else lower
    return out


def index_of(obj: dict[str, Any], units: Decimal) -> int:
    """Return the index of the range the units fall in."""
    return next(i for i, (_, up) in enumerate(bounds_of(obj)) if up is None or units <= up)


@settings(deadline=None)
@given(ANY_CHARGE)
def test_every_charge_round_trips_through_its_json(obj: dict[str, Any]) -> None:
    charge = parse_charge(obj)
    again = parse_charge(json.loads(json.dumps(charge.to_json())))
    assert again == charge
    assert again.to_json() == charge.to_json()


@settings(deadline=None)
@given(ANY_CHARGE, UNITS, TRANSACTIONS)
def test_totals_are_never_negative_and_equal_the_sum_of_their_lines(
    obj: dict[str, Any], units: Decimal, amounts: list[Decimal]
) -> None:
    result = priced(parse_charge(obj), units, amounts)
    assert result.amount >= 0
    assert result.amount == sum((line.amount for line in result.lines), D(0))
    assert_plain_decimals(result.to_json("EUR"))


def assert_plain_decimals(out: dict[str, Any]) -> None:
    """Every decimal in a quote's JSON is written without an exponent."""
    numbers = [out["units"], out["amount"], out["amount_rounded"]]
    for line in out["lines"]:
        numbers += [value for key, value in line.items() if key != "kind" and value is not None]
    for number in numbers:
        assert re.fullmatch(r"-?\d+(\.\d+)?", number), number


@settings(deadline=None)
@given(UNIT_CHARGES)
def test_no_usage_costs_the_first_ranges_flat_fee_and_nothing_else(obj: dict[str, Any]) -> None:
    result = quote(parse_charge(obj), D(0))
    ranged = obj["charge_model"] in RANGE_KEY
    assert result.amount == (D(rows_of(obj)[0]["flat_amount"]) if ranged else 0)
    assert result.amount == sum((line.amount for line in result.lines), D(0))


@settings(deadline=None)
@given(percentage(), st.integers(0, 20))
def test_percentage_without_usage_needs_no_transactions(obj: dict[str, Any], events: int) -> None:
    charge = parse_charge(obj)
    assert quote(charge, D(0)).amount == 0
    # Amounts are never negative: events adding up to 0 are each 0.
    without = quote(charge, D(0), events=events)
    assert without == quote(charge, D(0), transactions=[D(0)] * events)


@settings(deadline=None)
@given(st.sampled_from(["graduated", "volume", "graduated_percentage"]).flatmap(ranged), UNITS)
def test_the_tiers_hold_exactly_the_units_at_every_bound(
    obj: dict[str, Any], units: Decimal
) -> None:
    charge = parse_charge(obj)
    for edge in [units, *boundary_units(obj)]:
        assert sum((line.units for line in quote(charge, edge).lines), D(0)) == edge


@settings(deadline=None)
@given(MONOTONE_CHARGES, UNITS, UNITS)
def test_more_units_never_cost_less(obj: dict[str, Any], a: Decimal, b: Decimal) -> None:
    charge = parse_charge(obj)
    low, high = sorted((a, b))
    assert quote(charge, low).amount <= quote(charge, high).amount


@settings(deadline=None)
@given(ranged("volume"), UNITS, UNITS)
def test_volume_never_costs_less_for_more_units_within_a_range(
    obj: dict[str, Any], a: Decimal, b: Decimal
) -> None:
    charge = parse_charge(obj)
    low, high = sorted((a, b))
    if index_of(obj, low) == index_of(obj, high):
        assert quote(charge, low).amount <= quote(charge, high).amount


@settings(deadline=None)
@given(ranged("volume"), UNITS)
def test_volume_prices_every_unit_at_the_range_the_total_falls_in(
    obj: dict[str, Any], units: Decimal
) -> None:
    charge = parse_charge(obj)
    row = rows_of(obj)[index_of(obj, units)]  # no usage falls in the first range
    expected = units * D(row["per_unit_amount"]) + D(row["flat_amount"])
    assert quote(charge, units).amount == expected


def boundary_units(obj: dict[str, Any]) -> list[Decimal]:
    """Units at, just under and just over every from_value and to_value."""
    points = []
    for row in rows_of(obj):
        for edge in (row["from_value"], row["to_value"]):
            if edge is not None:
                points += [D(edge) - STEP, D(edge), D(edge) + STEP]
    return [p for p in points if p >= 0]


@settings(deadline=None)
@given(st.sampled_from(["graduated", "volume", "graduated_percentage"]).flatmap(ranged))
def test_range_boundaries_belong_to_the_lower_range(obj: dict[str, Any]) -> None:
    charge = parse_charge(obj)
    starts = [D(row["from_value"]) for row in rows_of(obj)]
    for units in boundary_units(obj):
        reached = [line.from_value for line in quote(charge, units).lines]
        if charge.charge_model == "volume":
            assert reached == [starts[index_of(obj, units)]]
        else:
            assert reached == starts[: index_of(obj, units) + 1]


@settings(deadline=None)
@given(ranged("graduated"), UNITS)
def test_graduated_equals_a_standard_charge_per_range(obj: dict[str, Any], units: Decimal) -> None:
    charge = parse_charge(obj)
    expected = D(0)
    for index, (row, (lower, upper)) in enumerate(zip(rows_of(obj), bounds_of(obj), strict=True)):
        inside = max(D(0), (units if upper is None else min(units, upper)) - lower)
        if inside > 0 or index == 0:  # the first range is reached even without usage
            standard = {
                "charge_model": "standard",
                "properties": {"amount": row["per_unit_amount"]},
            }
            expected += quote(parse_charge(standard), inside).amount + D(row["flat_amount"])
    result = quote(charge, units)
    assert result.amount == expected
    assert result.amount == sum((line.amount for line in result.lines), D(0))


@settings(deadline=None)
@given(ranged("graduated_percentage"), UNITS)
def test_graduated_percentage_equals_graduated_at_rate_over_one_hundred(
    obj: dict[str, Any], units: Decimal
) -> None:
    rows = obj["properties"]["graduated_percentage_ranges"]
    as_prices = [
        {
            **{k: v for k, v in row.items() if k != "rate"},
            "per_unit_amount": text(D(row["rate"]) / 100),
        }
        for row in rows
    ]
    graduated = {"charge_model": "graduated", "properties": {"graduated_ranges": as_prices}}
    assert quote(parse_charge(obj), units).amount == quote(parse_charge(graduated), units).amount


@settings(deadline=None)
@given(PACKAGE, UNITS)
def test_package_charges_the_started_packages_past_the_free_units(
    obj: dict[str, Any], units: Decimal
) -> None:
    props = obj["properties"]
    paid = max(Fraction(units) - props["free_units"], Fraction(0))
    expected = math.ceil(paid / props["package_size"]) * D(props["amount"])
    assert quote(parse_charge(obj), units).amount == expected


@settings(deadline=None)
@given(percentage(clamps=False, allowances=False), UNITS, UNITS, st.integers(1, 50))
def test_percentage_without_clamps_never_costs_less_for_a_larger_amount(
    obj: dict[str, Any], a: Decimal, b: Decimal, events: int
) -> None:
    charge = parse_charge(obj)
    low, high = sorted((a, b))
    assert quote(charge, low, events=events).amount <= quote(charge, high, events=events).amount


@settings(deadline=None)
@given(percentage(), TRANSACTIONS, st.decimals(min_value=0, max_value=2000, places=2))
def test_percentage_another_transaction_never_lowers_the_total(
    obj: dict[str, Any], amounts: list[Decimal], extra: Decimal
) -> None:
    charge = parse_charge(obj)
    before = priced(charge, D(0), amounts).amount
    assert priced(charge, D(0), [*amounts, extra]).amount >= before


@settings(deadline=None)
@given(percentage(clamps=False), TRANSACTIONS)
def test_percentage_totals_agree_with_or_without_the_transactions(
    obj: dict[str, Any], amounts: list[Decimal]
) -> None:
    charge = parse_charge(obj)
    total = sum(amounts, D(0))
    try:
        aggregate = quote(charge, total, events=len(amounts))
    except ChargeError as exc:
        assert exc.field == "transactions"  # the allowance runs out part-way: amounts matter
        return
    assert aggregate.amount == quote(charge, total, transactions=amounts).amount


@settings(deadline=None)
@given(percentage(), TRANSACTIONS)
def test_percentage_clamps_keep_each_paid_transaction_between_min_and_max(
    obj: dict[str, Any], amounts: list[Decimal]
) -> None:
    result = priced(parse_charge(obj), D(0), amounts)
    low, high = (obj["properties"].get(f"per_transaction_{end}_amount") for end in ("min", "max"))
    if low is None and high is None:
        assert "min_max_adjustment" not in [line.kind for line in result.lines]
        return
    adjustment = result.lines[-1]
    assert adjustment.kind == "min_max_adjustment"
    assert low is None or result.amount >= adjustment.units * D(low)
    assert high is None or result.amount <= adjustment.units * D(high)
