"""A German brand owner types prices the German way; a wrong one is refused beside its field."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


def _german_owner(app: Any, make: Any, new_context: Any, urls: Any) -> Any:
    """A page logged in as an owner of Spreewelle (a German brand) who reads German."""
    owner = make.user(_spreewelle(app), "staff", ("owner",), locale="de")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(HOST, "/account/login"), owner.email, owner.password)
    return page


def _new_plan(page: Any, urls: Any, code: str) -> None:
    page.goto(urls(HOST, "/admin/catalog/plans/new"))
    form = page.get_by_test_id("plan-form")
    form.locator("[name=code]").fill(code)
    form.locator("[name=name]").fill("Spree Probe")
    form.locator("[name=product]").select_option("mobil")
    with page.expect_navigation():
        page.get_by_test_id("plan-create").click()


def _fee(row: Any, code: str, name: str, amount: str) -> None:
    row.locator("[name$='-kind']").select_option("recurring")
    row.locator("[name$='-code']").fill(code)
    row.locator("[name$='-name']").fill(name)
    row.locator("[name$='-amount']").fill(amount)


def _stored_amounts(app: Any, brand: Any, code: str) -> dict[str, Decimal]:
    from saas.catalog import services as catalog

    with in_brand(app, brand.id) as session:
        plan = catalog.plan_by_code(session, code)
        return {c.code: c.amount for c in plan.versions[-1].components}


@pytest.mark.browser
def test_a_german_price_is_accepted_and_a_wrong_one_refused_beside_its_field_in_german(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    code = f"probe-{uuid.uuid4().hex[:6]}"
    page = _german_owner(app, make, new_context, urls)
    _new_plan(page, urls, code)

    draft = page.get_by_test_id("draft-form")
    _fee(draft.get_by_test_id("component-row").nth(0), "grundgebuehr", "Grundgebühr", "19,99")
    page.get_by_test_id("add-component").click()
    _fee(draft.get_by_test_id("component-row").nth(1), "extra", "Extra", "abc")
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()

    amount = page.locator("[name='components-0-amount']")
    wrong = page.locator("[name='components-1-amount']")
    assert amount.input_value() == "19,99"  # accepted, kept as typed
    assert amount.get_attribute("aria-invalid") is None
    assert wrong.input_value() == "abc"
    assert wrong.get_attribute("aria-invalid") == "true"
    beside = page.locator(".field:has([name='components-1-amount']) .field-error")
    assert beside.inner_text() == "Geben Sie eine Zahl wie 1234,56 ein."
    assert wrong.get_attribute("aria-describedby") == beside.get_attribute("id")
    assert page.locator(".field-error").count() == 1
    assert page.locator("[name='components-0-code']").input_value() == "grundgebuehr"
    assert page.locator("[name='components-1-name']").input_value() == "Extra"
    assert "Nicht gespeichert" in page.locator(".flashes").inner_text()
    page.screenshot(path=str(artifacts / "german-price-refused.png"), full_page=True)

    wrong.fill("4,50")
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()
    assert page.locator(".field-error").count() == 0
    assert page.locator("[name='components-0-amount']").input_value() == "19,99"
    brand = _spreewelle(app)
    assert _stored_amounts(app, brand, code) == {
        "grundgebuehr": Decimal("19.99"),
        "extra": Decimal("4.50"),
    }


@pytest.mark.browser
def test_graduated_tiers_are_typed_as_rows_the_german_way_quoted_live_and_saved(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    code = f"tiers-{uuid.uuid4().hex[:6]}"
    page = _german_owner(app, make, new_context, urls)
    _new_plan(page, urls, code)

    row = page.get_by_test_id("draft-form").get_by_test_id("component-row").nth(0)
    row.locator("[name$='-kind']").select_option("usage")
    row.locator("[name$='-code']").fill("daten")
    row.locator("[name$='-metric']").select_option("data_mb")
    row.locator("[name$='-charge_model']").select_option("graduated")
    tiers = row.get_by_test_id("tier-row")
    assert tiers.count() == 2  # the model's example, written the German way
    assert tiers.nth(0).locator("[name$='-price']").input_value() == "0,002"
    row.get_by_test_id("add-tier").click()
    assert tiers.count() == 3
    row.get_by_test_id("quote-units").fill("1500")
    row.get_by_test_id("quote-amount").filter(has_text="2,52").wait_for()
    page.screenshot(path=str(artifacts / "german-tiers-quote.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()

    assert page.locator(".field-error").count() == 0
    brand = _spreewelle(app)
    from saas.catalog import services as catalog

    with in_brand(app, brand.id) as session:
        plan = catalog.plan_by_code(session, code)
        (component,) = plan.versions[-1].components
        ranges = component.charge["properties"]["graduated_ranges"]
    assert [(r["from_value"], r["to_value"], r["per_unit_amount"]) for r in ranges] == [
        (0, 1024, "0.002"),
        (1025, None, "0.001"),
    ]
