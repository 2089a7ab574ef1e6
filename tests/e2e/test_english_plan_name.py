"""A German brand's owner names a plan in English; a subscriber who switches to English reads it."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import recurring
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_german_price_form import _german_owner
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


@pytest.mark.browser
def test_the_owner_names_a_plan_in_english_and_an_english_reader_sees_it(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = _spreewelle(app)
    suffix = uuid.uuid4().hex[:6]
    german, english = f"Spree Probe {suffix}", f"Spree Test Drive {suffix}"
    plan = make.plan(brand, name=german, components=recurring("12.00"))

    owner = _german_owner(app, make, new_context, urls)
    owner.goto(urls(HOST, f"/admin/catalog/plans/{plan.id}"))
    texts = owner.locator("[data-testid=plan-texts][data-language=en]")
    assert texts.locator("label[for='texts-0-name']").inner_text() == "Name (English)"
    texts.locator("[name='texts-0-name']").fill(english)
    with owner.expect_navigation():
        owner.get_by_test_id("plan-save").click()
    assert owner.locator("[name='texts-0-name']").input_value() == english
    assert "gespeichert" in owner.locator(".flashes").inner_text()

    person = make.user(brand, "subscriber", full_name="Ella Reader", locale="de")
    reader = new_context(locale="de-DE").new_page()
    log_in(reader, urls(HOST, "/account/login"), person.email, person.password)
    reader.goto(urls(HOST, "/plans"))
    card = reader.locator(f"#plan-{plan.code}")
    assert card.inner_text() == german
    with reader.expect_navigation():
        reader.get_by_test_id("locale-select").select_option("en")
    reader.goto(urls(HOST, "/plans"))
    assert reader.locator(f"#plan-{plan.code}").inner_text() == english
    reader.screenshot(path=str(artifacts / "english-plan-name.png"), full_page=True)
