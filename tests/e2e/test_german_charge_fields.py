"""In the German console a usage charge is typed as fields, quoted live and saved."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand
from tests.e2e.test_german_price_form import _german_owner, _new_plan
from tests.e2e.test_offer_design_and_upgrade import _spreewelle


def _usage_row(page: Any, model: str) -> Any:
    row = page.get_by_test_id("draft-form").get_by_test_id("component-row").nth(0)
    row.locator("[name$='-kind']").select_option("usage")
    row.locator("[name$='-code']").fill("daten")
    row.locator("[name$='-metric']").select_option("data_mb")
    row.locator("[name$='-charge_model']").select_option(model)
    return row


def _stored_charge(app: Any, code: str) -> Any:
    from saas.catalog import services as catalog

    with in_brand(app, _spreewelle(app).id) as session:
        (component,) = catalog.plan_by_code(session, code).versions[-1].components
        return component.charge


def _save(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()
    assert page.locator(".field-error").count() == 0
    assert "gespeichert" in page.locator(".flashes").inner_text()


@pytest.mark.browser
def test_a_graduated_charge_typed_in_the_tier_table_is_saved_and_quoted_for_1500_units(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    code = f"stufen-{uuid.uuid4().hex[:6]}"
    page = _german_owner(app, make, new_context, urls)
    _new_plan(page, urls, code)
    row = _usage_row(page, "graduated")
    tiers = row.get_by_test_id("tier-row")
    for index, (low, high, price) in enumerate((("0", "1000", "0,01"), ("1001", "", "0,005"))):
        tier = tiers.nth(index)
        tier.locator("[name$='-from_value']").fill(low)
        tier.locator("[name$='-to_value']").fill(high)
        tier.locator("[name$='-price']").fill(price)
    # The Lago JSON shows the same charge, written as Lago writes it.
    shown = json.loads(row.locator("[name$='-properties']").input_value())
    assert [r["per_unit_amount"] for r in shown["graduated_ranges"]] == ["0.01", "0.005"]
    _save(page)

    assert _stored_charge(app, code)["properties"]["graduated_ranges"] == [
        {"from_value": 0, "to_value": 1000, "per_unit_amount": "0.01", "flat_amount": "0"},
        {"from_value": 1001, "to_value": None, "per_unit_amount": "0.005", "flat_amount": "0"},
    ]
    row = page.get_by_test_id("draft-form").get_by_test_id("component-row").nth(0)
    assert (
        row.get_by_test_id("tier-row").nth(1).locator("[name$='-price']").input_value() == "0,005"
    )
    row.get_by_test_id("quote-units").fill("1500")
    # 1000 at 0,01 and 500 at 0,005
    row.get_by_test_id("quote-amount").filter(has_text="12,50\xa0€").wait_for()
    page.screenshot(path=str(artifacts / "german-graduated-fields.png"), full_page=True)


@pytest.mark.browser
def test_a_percentage_charge_typed_as_fields_is_quoted_with_events_and_their_amounts(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    code = f"prozent-{uuid.uuid4().hex[:6]}"
    page = _german_owner(app, make, new_context, urls)
    _new_plan(page, urls, code)
    row = _usage_row(page, "percentage")
    row.locator("[name$='-rate']").fill("2")
    row.locator("[name$='-fixed_amount']").fill("0,10")
    assert row.locator("[name$='-unit_amount']").is_hidden()  # only the model's own fields show
    row.get_by_test_id("quote-events").fill("2")
    row.get_by_test_id("quote-amounts").fill("10; 20,5")
    # 2 % of 30,5 and 0,10 for each of the two events
    quote = row.get_by_test_id("quote-amount")
    quote.filter(has_text="0,81\xa0€").wait_for()
    assert "Gebühr je Vorgang: 2 zu 0,1 = 0,2" in quote.inner_text()
    page.screenshot(path=str(artifacts / "german-percentage-quote.png"), full_page=True)
    _save(page)
    assert _stored_charge(app, code) == {
        "charge_model": "percentage",
        "properties": {"rate": "2", "fixed_amount": "0.10"},
    }
