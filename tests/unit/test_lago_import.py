"""Lago plan objects read into plan specs: prices carried exactly, what cannot be carried named."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from saas.catalog.lago import read_plan
from saas.catalog.pricing import parse_charge, quote
from saas.catalog.specs import CatalogError

LAGO_PLAN: dict[str, Any] = {
    "plan": {
        "lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90",
        "name": "Startup",
        "code": "startup",
        "interval": "monthly",
        "amount_cents": 4999,
        "amount_currency": "EUR",
        "pay_in_advance": True,
        "invoice_display_name": "Startup plan",
        "description": "Plan for early stage startups.",
        "trial_period": 0,
        "tax_codes": ["german_standard_vat"],
        "charges": [
            {
                "billable_metric_code": "data_mb",
                "charge_model": "package",
                "pay_in_advance": False,
                "min_amount_cents": 0,
                "properties": {"amount": "1.99", "free_units": 0, "package_size": 1024},
            },
            {
                "billable_metric_code": "voice_minutes",
                "charge_model": "graduated",
                "properties": {
                    "graduated_ranges": [
                        {
                            "from_value": 0,
                            "to_value": 10,
                            "flat_amount": "10",
                            "per_unit_amount": "0.5",
                        },
                        {
                            "from_value": 11,
                            "to_value": None,
                            "flat_amount": "0",
                            "per_unit_amount": "0.4",
                        },
                    ]
                },
            },
        ],
    }
}


def lago(**changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(LAGO_PLAN)
    obj["plan"].update(changes)
    return obj


def test_the_subscription_fee_becomes_a_recurring_component_in_major_units() -> None:
    spec = read_plan(LAGO_PLAN, "mobil", "EUR").spec
    fee = spec.components[0]
    assert (fee.code, fee.kind, fee.amount, fee.timing) == (
        "subscription_fee",
        "recurring",
        Decimal("49.99"),
        "advance",
    )
    assert (spec.code, spec.currency, spec.billing_interval, spec.product_code) == (
        "startup",
        "EUR",
        "monthly",
        "mobil",
    )


def test_a_currency_without_minor_units_keeps_the_whole_amount() -> None:
    spec = read_plan(lago(amount_currency="JPY", amount_cents=500), "mobil", "EUR").spec
    assert spec.currency == "JPY" and spec.components[0].amount == Decimal("500")


def test_fees_billed_in_arrears_stay_in_arrears_and_a_free_plan_has_no_fee() -> None:
    assert read_plan(lago(pay_in_advance=False), "m", "EUR").spec.components[0].timing == "arrears"
    free = read_plan(lago(amount_cents=0), "m", "EUR").spec
    assert [c.kind for c in free.components] == ["usage", "usage"]


def test_usage_charges_price_exactly_as_they_would_in_lago() -> None:
    spec = read_plan(LAGO_PLAN, "mobil", "EUR").spec
    minutes = next(c for c in spec.components if c.metric_code == "voice_minutes")
    # 10 minutes in the first tier (10 x 0.5 + 10 flat), 5 in the second (5 x 0.4).
    priced = quote(parse_charge(minutes.charge or {}), Decimal(15))
    assert priced.amount == Decimal("17.0")
    data = next(c for c in spec.components if c.metric_code == "data_mb")
    assert quote(parse_charge(data.charge or {}), Decimal(1025)).amount == Decimal("3.98")


def test_labels_and_taxes_are_reported_as_not_carried() -> None:
    read = read_plan(LAGO_PLAN, "mobil", "EUR")
    assert read.not_carried == ["invoice_display_name", "tax_codes"]
    advance = lago()
    advance["plan"]["charges"][0]["pay_in_advance"] = True
    assert any("charges/0/pay_in_advance" in n for n in read_plan(advance, "m", "EUR").not_carried)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"trial_period": 14}, "trial_period"),
        ({"minimum_commitment": {"amount_cents": 100000}}, "minimum_commitment"),
        ({"amount_cents": 49.99}, "amount_cents"),
        ({"amount_cents": -1}, "amount_cents"),
        ({"interval": "daily"}, "billing_interval"),
        ({"charges": {"not": "a list"}}, "charges"),
        ({"charges": [1]}, "each charge must be an object"),
    ],
)
def test_what_would_change_the_price_is_refused_with_its_name(
    changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(CatalogError) as refused:
        read_plan(lago(**changes), "mobil", "EUR")
    assert reason in (refused.value.field, refused.value.reason)
    assert "startup" in str(refused.value)


@pytest.mark.parametrize(
    ("charge", "reason"),
    [
        ({"billable_metric_code": None}, "billable_metric_code"),
        ({"filters": [{"values": {"region": ["eu"]}}]}, "filters"),
        ({"min_amount_cents": 3000}, "min_amount_cents"),
        ({"properties": {"amount": "1", "grouped_by": ["region"]}}, "grouped_by"),
        ({"charge_model": "dynamic"}, "charge_model"),
        ({"properties": "1.99"}, "properties must be an object"),
        ({"properties": {"amount": 1.99, "free_units": 0, "package_size": 1024}}, "amount"),
    ],
)
def test_a_charge_that_cannot_be_carried_is_refused_naming_the_charge(
    charge: dict[str, Any], reason: str
) -> None:
    obj = lago()
    obj["plan"]["charges"][0].update(charge)
    with pytest.raises(CatalogError, match=reason) as refused:
        read_plan(obj, "mobil", "EUR")
    assert "charges/0" in str(refused.value) or "data_mb" in str(refused.value)


@pytest.mark.parametrize("obj", [[LAGO_PLAN], "startup", 1, {"plan": [1]}])
def test_something_other_than_a_plan_object_is_refused(obj: Any) -> None:
    with pytest.raises(CatalogError, match=r"^Lago plan: expected an object"):
        read_plan(obj, "mobil", "EUR")
