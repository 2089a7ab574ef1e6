"""Each Lago charge model prices worked examples exactly, and bad charges say what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from saas.catalog.pricing import CHARGE_MODELS, Charge, ChargeError, parse_charge, quote

D = Decimal


Bound = int | str


def ranges(key: str, *rows: tuple[Bound, Bound | None, str, str]) -> dict[str, Any]:
    """Build a ranged Lago charge from (from, to, price or rate, flat fee) rows."""
    price = "rate" if key == "graduated_percentage" else "per_unit_amount"
    items = [
        {"from_value": f, "to_value": t, price: p, "flat_amount": flat} for f, t, p, flat in rows
    ]
    return {"charge_model": key, "properties": {RANGE_KEY[key]: items}}


RANGE_KEY = {
    "graduated": "graduated_ranges",
    "volume": "volume_ranges",
    "graduated_percentage": "graduated_percentage_ranges",
}

# Lago's documentation examples.
GRADUATED_API = ranges(
    "graduated", (0, 100, "1", "0"), (101, 200, "0.50", "0"), (201, None, "0.10", "0")
)
VOLUME_API = ranges(
    "volume",
    (0, 10000, "0.0010", "10"),
    (10001, 50000, "0.0008", "10"),
    (50001, 100000, "0.0006", "10"),
    (100001, None, "0.0004", "10"),
)
GRADUATED_PERCENTAGE_API = ranges(
    "graduated_percentage",
    (0, 1000, "1", "200"),
    (1001, 10000, "2", "300"),
    (10001, None, "3", "400"),
)
PACKAGE_API = {
    "charge_model": "package",
    "properties": {"amount": "5", "package_size": 100, "free_units": 100},
}
PERCENTAGE_DOC = {
    "charge_model": "percentage",
    "properties": {
        "rate": "1.2",
        "fixed_amount": "0.10",
        "free_units_per_events": 3,
        "free_units_per_total_aggregation": "500",
    },
}


def price(charge: dict[str, Any], units: str, **usage: Any) -> Decimal:
    return quote(parse_charge(charge), D(units), **usage).amount


def test_standard_charges_every_unit_at_the_same_price() -> None:
    charge = {"charge_model": "standard", "properties": {"amount": "0.05"}}
    assert price(charge, "1000") == D("50")
    assert price(charge, "0") == 0


@pytest.mark.parametrize(
    ("units", "amount", "tiers"),
    [
        ("0", "0", 1),
        ("1", "1", 1),
        ("100", "100", 1),
        ("100.5", "100.25", 2),
        ("101", "100.50", 2),
        ("200", "150", 2),
        ("250", "155", 3),
    ],
)
def test_graduated_prices_each_unit_in_its_own_tier(units: str, amount: str, tiers: int) -> None:
    result = quote(parse_charge(GRADUATED_API), D(units))
    assert result.amount == D(amount)
    assert len(result.lines) == tiers


def test_graduated_flat_fees_are_due_for_every_tier_reached_the_first_even_without_usage() -> None:
    charge = ranges("graduated", (0, 10, "1", "5"), (11, None, "2", "7"))
    assert price(charge, "0") == D("5")
    assert price(charge, "10") == D("15")
    assert price(charge, "10.5") == D("10") + D("5") + D("1") + D("7")
    lines = quote(parse_charge(charge), D("12")).lines
    assert [(line.units, line.amount) for line in lines] == [(D(10), D(15)), (D(2), D(11))]


@pytest.mark.parametrize(
    ("units", "amount"),
    [
        ("65000", "49"),
        ("10000", "20"),
        ("10000.5", "18.0004"),
        ("10001", "18.0008"),
        ("150000", "70"),
        ("1", "10.001"),
    ],
)
def test_volume_prices_all_units_at_the_tier_the_total_falls_in(units: str, amount: str) -> None:
    assert price(VOLUME_API, units) == D(amount)


def test_volume_without_usage_costs_the_first_tiers_flat_fee() -> None:
    result = quote(parse_charge(VOLUME_API), D(0))
    assert result.amount == D("10")
    assert [(line.from_value, line.units, line.amount) for line in result.lines] == [
        (D(0), D(0), D(10))
    ]


@pytest.mark.parametrize(
    ("charge", "amount"),
    [
        ({"charge_model": "standard", "properties": {"amount": "0.05"}}, "0"),
        (ranges("graduated", (0, 10, "1", "5"), (11, None, "2", "7")), "5"),
        (VOLUME_API, "10"),
        (PACKAGE_API, "0"),
        (PERCENTAGE_DOC, "0"),
        (GRADUATED_PERCENTAGE_API, "200"),
        (ranges("graduated", (0, 10, "1", "0"), (11, None, "2", "7")), "0"),
    ],
)
def test_no_usage_costs_the_first_tiers_flat_fee_and_nothing_else(
    charge: dict[str, Any], amount: str
) -> None:
    # As Lago prices it since getlago/lago-api#5760: a tier starting at 0 holds no usage too.
    result = quote(parse_charge(charge), D(0))
    assert result.amount == D(amount)
    assert result.amount == sum((line.amount for line in result.lines), D(0))


def test_no_usage_reaches_only_the_first_tier() -> None:
    lines = quote(parse_charge(GRADUATED_PERCENTAGE_API), D(0)).lines
    assert [(line.from_value, line.units, line.flat_amount) for line in lines] == [
        (D(0), D(0), D(200))
    ]


@pytest.mark.parametrize(
    ("units", "amount"),
    [("0", "0"), ("100", "0"), ("100.5", "5"), ("200", "5"), ("201", "10"), ("400", "15")],
)
def test_package_charges_every_started_package_after_the_free_units(
    units: str, amount: str
) -> None:
    assert price(PACKAGE_API, units) == D(amount)


def test_package_line_counts_packages() -> None:
    lines = quote(parse_charge(PACKAGE_API), D(201)).lines
    assert [(line.kind, line.units, line.amount) for line in lines] == [
        ("free_units", D(100), D(0)),
        ("package", D(2), D(10)),
    ]


def test_graduated_percentage_matches_lagos_pay_as_you_go_example() -> None:
    # $500, then $550, then $4,000: each costs the difference of the running totals.
    first, second, third = (price(GRADUATED_PERCENTAGE_API, u) for u in ("500", "1050", "5050"))
    assert (first, second - first, third - second) == (D("205"), D("306"), D("80"))


def test_percentage_matches_lagos_free_allowance_example() -> None:
    amounts = [D(200), D(100), D(100), D(50)]
    result = quote(parse_charge(PERCENTAGE_DOC), D(450), transactions=amounts)
    assert result.amount == D("0.70")
    kinds = {line.kind: line for line in result.lines}
    assert (kinds["free_units"].units, kinds["rate"].units, kinds["fixed_fee"].units) == (
        D(400),
        D(50),
        D(1),
    )


def test_percentage_free_amount_ends_the_free_allowance_before_the_free_events() -> None:
    amounts = [D(300), D(300), D(300), D(100)]
    # 500 free: the second transaction pays on 100 and its fixed fee, the next two in full.
    expected = D(500) * D("0.012") + 3 * D("0.10")
    assert price(PERCENTAGE_DOC, "1000", transactions=amounts) == expected


def test_percentage_transaction_using_up_the_free_amount_exactly_pays_its_fixed_fee() -> None:
    charge = {
        "charge_model": "percentage",
        "properties": {
            "rate": "1.2",
            "fixed_amount": "0.10",
            "free_units_per_total_aggregation": "500",
        },
    }
    # As Lago counts it: only transactions whose running total stays below 500 are free.
    amounts = [D(200), D(300), D(100)]
    assert price(charge, "600", transactions=amounts) == D("1.20") + 2 * D("0.10")


def test_percentage_without_free_units_takes_the_rate_and_a_fee_per_event() -> None:
    charge = {"charge_model": "percentage", "properties": {"rate": "1.5", "fixed_amount": "0.25"}}
    assert price(charge, "1000", events=4) == D("15") + D("1")
    assert price(charge, "1000") == D("15.25")
    assert price(charge, "0", events=3) == 0


def test_percentage_free_amount_alone_needs_no_transactions_without_a_fixed_fee() -> None:
    charge = {
        "charge_model": "percentage",
        "properties": {"rate": "2", "free_units_per_total_aggregation": "100"},
    }
    assert price(charge, "250", events=5) == D("3")
    assert price(charge, "50", events=5) == 0


def test_percentage_within_the_free_allowance_needs_no_transactions() -> None:
    assert price(PERCENTAGE_DOC, "400", events=3) == 0


def test_percentage_past_the_free_allowance_needs_the_transactions() -> None:
    with pytest.raises(ChargeError) as caught:
        price(PERCENTAGE_DOC, "450", events=4)
    assert caught.value.field == "transactions"


def test_percentage_clamps_each_paid_transaction_to_the_minimum_and_maximum() -> None:
    charge = {
        "charge_model": "percentage",
        "properties": {
            "rate": "1",
            "fixed_amount": "0.10",
            "per_transaction_min_amount": "0.50",
            "per_transaction_max_amount": "2",
        },
    }
    amounts = [D(10), D(100), D(1000)]
    # 0.20 -> 0.50, 1.10 stays, 10.10 -> 2
    result = quote(parse_charge(charge), D(1110), transactions=amounts)
    assert result.amount == D("3.60")
    adjustment = result.lines[-1]
    assert adjustment.kind == "min_max_adjustment"
    assert adjustment.amount == D("3.60") - D("11.10") - D("0.30")


def test_percentage_clamps_need_the_transactions() -> None:
    charge = {
        "charge_model": "percentage",
        "properties": {"rate": "1", "per_transaction_max_amount": "2"},
    }
    with pytest.raises(ChargeError, match=r"^transactions: required"):
        price(charge, "100", events=1)


CLAMPED = {
    "charge_model": "percentage",
    "properties": {
        "rate": "1",
        "fixed_amount": "0.10",
        "free_units_per_events": 1,
        "per_transaction_min_amount": "0.50",
    },
}


def test_percentage_without_usage_needs_no_transactions() -> None:
    assert price(CLAMPED, "0") == 0
    assert price(PERCENTAGE_DOC, "0", events=5) == 0
    result = quote(parse_charge(CLAMPED), D(0))
    assert [(line.kind, line.units, line.amount) for line in result.lines] == [
        ("free_units", D(0), D(0)),
        ("rate", D(0), D(0)),
        ("fixed_fee", D(0), D(0)),
        ("min_max_adjustment", D(0), D(0)),
    ]


@pytest.mark.parametrize("events", [0, 1, 3])
def test_percentage_events_without_usage_are_priced_as_transactions_of_zero(events: int) -> None:
    # Amounts are never negative, so events adding up to 0 are each 0: the list is known.
    zeros = [D(0)] * events
    assert price(CLAMPED, "0", events=events) == price(CLAMPED, "0", transactions=zeros)
    assert price(CLAMPED, "0", events=3) == 2 * D("0.50")


GIGABYTES = ranges(
    "graduated", (0, "0.1", "0", "2"), ("0.1", "1.5", "10", "0"), ("1.5", None, "5", "1")
)


@pytest.mark.parametrize(
    ("units", "amount"),
    [
        ("0", "2"),
        ("0.05", "2"),
        ("0.1", "2"),
        ("0.1001", "2.001"),
        ("1.5", "16"),
        ("2", "19.5"),
    ],
)
def test_decimal_bounds_price_exactly(units: str, amount: str) -> None:
    assert price(GIGABYTES, units) == D(amount)


def test_decimal_bounds_pick_the_volume_tier_exactly() -> None:
    charge = ranges("volume", (0, "0.1", "3", "1"), ("0.1", None, "2", "0"))
    assert (price(charge, "0.1"), price(charge, "0.10000001")) == (D("1.3"), D("0.20000002"))


def test_decimal_bounds_write_back_as_text_and_whole_bounds_as_integers() -> None:
    charge = parse_charge(GIGABYTES)
    rows = charge.to_json()["properties"]["graduated_ranges"]
    assert [(r["from_value"], r["to_value"]) for r in rows] == [
        (0, "0.1"),
        ("0.1", "1.5"),
        ("1.5", None),
    ]
    assert parse_charge(charge.to_json()) == charge
    out = quote(charge, D("0.2")).to_json()
    assert [(line["from_value"], line["to_value"]) for line in out["lines"]] == [
        ("0", "0.1"),
        ("0.1", "1.5"),
    ]


def test_a_range_may_start_at_the_previous_whole_to_value_or_one_past_it() -> None:
    touching = ranges("graduated", (0, 10, "1", "0"), (10, None, "2", "0"))
    lago_v1 = ranges("graduated", (0, 10, "1", "0"), (11, None, "2", "0"))
    assert price(touching, "10.5") == price(lago_v1, "10.5") == D(11)


def test_transactions_must_add_up_to_the_units() -> None:
    with pytest.raises(ChargeError, match=r"^transactions: must add up to units \(10\), got 9"):
        price(PERCENTAGE_DOC, "10", transactions=[D(4), D(5)])


def test_events_must_match_the_transactions() -> None:
    with pytest.raises(ChargeError, match=r"^events: must equal the number of transactions \(2\)"):
        price(PERCENTAGE_DOC, "9", events=3, transactions=[D(4), D(5)])


@pytest.mark.parametrize("units", ["-1", "-0.001"])
def test_negative_units_are_refused(units: str) -> None:
    with pytest.raises(ChargeError, match=r"^units: must not be negative"):
        price(PACKAGE_API, units)


def test_float_units_are_refused() -> None:
    with pytest.raises(ChargeError, match=r"^units: write amounts as strings"):
        quote(parse_charge(PACKAGE_API), 1.5)  # type: ignore[arg-type]


def test_amounts_too_precise_to_price_exactly_are_refused() -> None:
    charge = {"charge_model": "standard", "properties": {"amount": "0." + "1" * 30}}
    with pytest.raises(ChargeError, match=r"^units: needs more than 38 digits"):
        price(charge, "1." + "1" * 20)


def test_quote_json_has_exact_and_rounded_amounts_without_exponents() -> None:
    charge = {"charge_model": "standard", "properties": {"amount": "0.0125"}}
    out = quote(parse_charge(charge), D("1E+3")).to_json("EUR")
    assert (out["units"], out["amount"], out["currency"], out["amount_rounded"]) == (
        "1000",
        "12.5",
        "EUR",
        "12.50",
    )
    assert quote(parse_charge(charge), D(1)).to_json("EUR")["amount_rounded"] == "0.01"
    assert quote(parse_charge(charge), D(1)).to_json("JPY")["amount_rounded"] == "0"


def test_lagos_full_charge_object_parses_and_writes_back_its_pricing() -> None:
    lago = {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "charge_model": "graduated",
        "invoiceable": True,
        "pay_in_advance": False,
        "filters": [],
        "properties": GRADUATED_API["properties"],
    }
    charge = parse_charge(lago)
    assert charge.to_json() == {
        "charge_model": "graduated",
        "properties": {
            "graduated_ranges": [
                {"from_value": 0, "to_value": 100, "per_unit_amount": "1", "flat_amount": "0"},
                {"from_value": 101, "to_value": 200, "per_unit_amount": "0.50", "flat_amount": "0"},
                {
                    "from_value": 201,
                    "to_value": None,
                    "per_unit_amount": "0.10",
                    "flat_amount": "0",
                },
            ]
        },
    }
    assert parse_charge(charge.to_json()) == charge


def test_integers_are_read_as_exact_decimals() -> None:
    charge = parse_charge({"charge_model": "standard", "properties": {"amount": 3}})
    assert charge.to_json()["properties"] == {"amount": "3"}


def test_every_model_is_known() -> None:
    assert CHARGE_MODELS == (
        "standard",
        "graduated",
        "volume",
        "package",
        "percentage",
        "graduated_percentage",
    )


def test_properties_must_fit_the_model() -> None:
    standard = parse_charge({"charge_model": "standard", "properties": {"amount": "1"}})
    with pytest.raises(TypeError):
        Charge("volume", standard.properties)


def graduated_with(second: dict[str, Any]) -> dict[str, Any]:
    first = {"from_value": 0, "to_value": 100, "per_unit_amount": "1", "flat_amount": "0"}
    return {"charge_model": "graduated", "properties": {"graduated_ranges": [first, second]}}


def open_range(**changes: Any) -> dict[str, Any]:
    return {"from_value": 101, "to_value": None, "per_unit_amount": "1", **changes}


@pytest.mark.parametrize(
    ("charge", "message"),
    [
        ([], "charge: must be a JSON object, got list"),
        ({"properties": {}}, "charge_model: required"),
        ({"charge_model": "dynamic", "properties": {}}, 'charge_model: unknown "dynamic"'),
        ({"charge_model": "standard"}, "properties: must be a JSON object"),
        ({"charge_model": "standard", "properties": {}}, "properties.amount: required"),
        (
            {"charge_model": "standard", "properties": {"amount": 0.05}},
            'properties.amount: write amounts as strings, e.g. "0.05"',
        ),
        (
            {"charge_model": "standard", "properties": {"amount": "-0.05"}},
            "properties.amount: must not be negative, got -0.05",
        ),
        (
            {"charge_model": "standard", "properties": {"amount": "NaN"}},
            'properties.amount: not a decimal number: "NaN"',
        ),
        (
            {"charge_model": "standard", "properties": {"amount": "1_000"}},
            'properties.amount: not a decimal number: "1_000"',
        ),
        (
            {"charge_model": "standard", "properties": {"amount": True}},
            "properties.amount: must be a decimal string or an integer, got bool",
        ),
        (
            {"charge_model": "standard", "properties": {"amount": "1", "grouped_by": ["x"]}},
            "properties.grouped_by: unknown property; expected amount",
        ),
        (
            {"charge_model": "standard", "properties": {"amount": "1"}, "filters": [{"x": 1}]},
            "filters: charges with filters are not supported",
        ),
        (
            graduated_with(open_range(from_value=102)),
            "properties.graduated_ranges[1].from_value: must equal the previous to_value (100) "
            "or that + 1 (101)",
        ),
        (
            ranges("volume", (0, "0.5", "1", "0"), ("1.5", None, "1", "0")),
            "properties.volume_ranges[1].from_value: must equal the previous to_value (0.5)",
        ),
        (
            ranges(
                "graduated", (0, "0.5", "1", "0"), ("0.5", "0.25", "1", "0"), (1, None, "1", "0")
            ),
            "properties.graduated_ranges[1].to_value: must be above from_value (0.5)",
        ),
        (
            graduated_with(open_range(to_value=500)),
            "properties.graduated_ranges[1].to_value: must be null on the last range",
        ),
        (
            graduated_with(open_range(per_unit_amount="x")),
            'properties.graduated_ranges[1].per_unit_amount: not a decimal number: "x"',
        ),
        (
            graduated_with(open_range(flat_amount=1.5)),
            "properties.graduated_ranges[1].flat_amount: write amounts as strings",
        ),
        (
            graduated_with(open_range(from_value="100.5")),
            "properties.graduated_ranges[1].from_value: must equal the previous to_value (100) "
            "or that + 1 (101)",
        ),
        (
            graduated_with(open_range(from_value=100.5)),
            "properties.graduated_ranges[1].from_value: write amounts as strings",
        ),
        (
            graduated_with(open_range(max_units=3)),
            "properties.graduated_ranges[1].max_units: unknown property",
        ),
        (
            ranges("graduated", (1, None, "1", "0")),
            "properties.graduated_ranges[0].from_value: must be 0",
        ),
        (
            ranges("volume", (0, 10, "1", "0"), (11, 11, "1", "0"), (12, None, "1", "0")),
            "properties.volume_ranges[1].to_value: must be above from_value (11)",
        ),
        (
            ranges("volume", (0, None, "1", "0"), (1, None, "1", "0")),
            "properties.volume_ranges[0].to_value: required on every range but the last",
        ),
        (
            {"charge_model": "volume", "properties": {"volume_ranges": []}},
            "properties.volume_ranges: must be a list of at least one range",
        ),
        (
            {"charge_model": "graduated_percentage", "properties": {}},
            "properties.graduated_percentage_ranges: required",
        ),
        (
            {"charge_model": "package", "properties": {"amount": "5", "package_size": 0}},
            "properties.package_size: must be at least 1, got 0",
        ),
        (
            {"charge_model": "package", "properties": {"amount": "5"}},
            "properties.package_size: required",
        ),
        (
            {"charge_model": "percentage", "properties": {"fixed_amount": "1"}},
            "properties.rate: required",
        ),
        (
            {"charge_model": "percentage", "properties": {"rate": "1", "fixed_ammount": "1"}},
            "properties.fixed_ammount: unknown property",
        ),
        (
            {"charge_model": "percentage", "properties": {"rate": "1", "free_units_per_events": 0}},
            "properties.free_units_per_events: must be at least 1, got 0",
        ),
        (
            {
                "charge_model": "percentage",
                "properties": {
                    "rate": "1",
                    "per_transaction_min_amount": "2",
                    "per_transaction_max_amount": "1",
                },
            },
            "properties.per_transaction_max_amount: must not be below per_transaction_min_amount",
        ),
    ],
)
def test_bad_charges_name_the_field_and_the_reason(charge: Any, message: str) -> None:
    with pytest.raises(ChargeError) as caught:
        parse_charge(charge)
    assert str(caught.value).startswith(message)
    assert str(caught.value) == f"{caught.value.field}: {caught.value.reason}"


def test_numbers_too_long_to_write_out_are_refused() -> None:
    charge = {"charge_model": "standard", "properties": {"amount": "1e999999"}}
    with pytest.raises(ChargeError, match=r"^properties\.amount: more than 38 digits"):
        parse_charge(charge)
