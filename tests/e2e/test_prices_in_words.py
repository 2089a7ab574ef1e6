"""In a real browser: previews say what they charge, a wrong promo code keeps the plan, a brand
with plans keeps its currency."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from saas.db import utcnow
from saas.platform_setup import DEMO_OPERATOR
from tests.conftest import in_brand, recurring
from tests.e2e.test_branding_and_login import log_in


@pytest.fixture
def shop(app: Any, make: Any) -> Any:
    """A German brand with a small and a big plan and a promotion for three months."""
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="de")
    small = make.plan(brand, name="Spree 10 GB", components=recurring("10.00"))
    big = make.plan(brand, name="Spree 30 GB", components=recurring("20.00"))
    spec = {"code": "half", "name": "Halber Preis", "kind": "percent", "value": "50"}
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(
            session,
            PromotionSpec.parse(
                spec | {"promo_code": "HALF", "duration": "repeating", "cycles": 3}
            ),
        )
    return brand, small, big


def _subscriber(make: Any, brand: Any, new_context: Any, urls: Any) -> Any:
    person = make.user(brand, "subscriber", full_name="Erika Muster", locale="de")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(brand.host, "/account/login"), person.email, person.password)
    return person, page


@pytest.mark.browser
def test_an_upgrade_preview_names_each_plan_and_the_days_it_charges(
    make: Any, shop: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand, small, big = shop
    person, page = _subscriber(make, brand, new_context, urls)
    sub = make.subscription(brand, person, small.version_id, utcnow() - timedelta(days=9))
    page.goto(urls(brand.host, f"/plan/{sub.id}/preview/change?plan={big.code}"))
    rows = page.get_by_test_id("preview-line")
    assert rows.count() == 2
    credit, charge = (rows.nth(i).inner_text() for i in range(2))
    assert "Spree 10 GB" in credit and "Anteilige Gutschrift" in credit
    assert "Spree 30 GB" in charge and "Anteilige Berechnung" in charge
    for line in (credit, charge):
        assert re.search(r"\d+ von \d+ Tagen, \d{2}\.", line), line
    page.screenshot(path=str(artifacts / "upgrade-preview-de.png"), full_page=True)


@pytest.mark.browser
def test_taking_a_plan_with_a_promotion_says_how_long_and_a_wrong_code_keeps_the_plan(
    make: Any, shop: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand, small, _big = shop
    _person, page = _subscriber(make, brand, new_context, urls)
    page.goto(urls(brand.host, f"/plans/subscribe?plan={small.code}"))
    heading = page.locator("#preview-heading")
    assert "Spree 10 GB" in heading.inner_text()
    code = page.locator("#promo_code")
    code.fill("FALSCH")
    with page.expect_navigation():
        page.get_by_role("button", name="Anwenden").click()
    assert "Spree 10 GB" in page.locator("#preview-heading").inner_text()  # the plan is kept
    assert code.input_value() == "FALSCH"
    assert code.get_attribute("aria-invalid") == "true"
    beside = page.locator(".field:has(#promo_code) .field-error")
    assert "FALSCH" in beside.inner_text() and "ungültig" in beside.inner_text()
    page.screenshot(path=str(artifacts / "promo-code-refused-de.png"), full_page=True)

    code.fill("HALF")
    with page.expect_navigation():
        page.get_by_role("button", name="Anwenden").click()
    said = page.get_by_test_id("preview-promotion").inner_text()
    assert said == "Halber Preis: für die ersten 3 Monate, danach 10,00\xa0€ pro Monat."


@pytest.mark.browser
def test_a_brand_with_plans_keeps_its_currency_and_the_operator_reads_why_beside_it(
    make: Any, shop: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand, _small, _big = shop
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls("localhost", "/account/login"), *DEMO_OPERATOR)
    page.goto(urls("localhost", f"/platform/brands/{brand.slug}/edit"))
    currency = page.locator("[name=currency]")
    currency.fill("PLN")
    with page.expect_navigation():
        page.locator("form [type=submit]").last.click()
    assert currency.input_value() == "PLN"  # what was typed stays, refused
    assert currency.get_attribute("aria-invalid") == "true"
    beside = page.locator(".field:has([name=currency]) .field-error").inner_text()
    assert "EUR" in beside and "Währung" in beside
    page.screenshot(path=str(artifacts / "currency-kept-de.png"), full_page=True)
