"""A German owner runs a credit check for a subscriber and reads why the class was given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_german_price_form import _german_owner
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


@pytest.mark.browser
def test_a_german_owner_runs_a_check_and_reads_the_explanation(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path, credit_bureau: str
) -> None:
    person = make.user(_spreewelle(app), "subscriber", full_name="Lena Unbekannt")
    page = _german_owner(app, make, new_context, urls)
    page.goto(urls(HOST, f"/admin/subscribers/{person.id}"))
    assert "Noch keine Bonitätsprüfung." in page.get_by_test_id("subscriber-credit").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("subscriber-credit-link").click()

    form = page.get_by_test_id("credit-check-form")
    # Prefilled from the subscriber's name and the brand's country.
    assert form.locator("[name=surname]").input_value() == "Unbekannt"
    assert form.locator("[name=country]").input_value() == "DE"
    form.locator("[name=birth_date]").fill("1990-05-15")
    form.locator("[name=street]").fill("Spreeweg 3")
    form.locator("[name=postcode]").fill("03046")
    form.locator("[name=city]").fill("Cottbus")
    with page.expect_navigation():
        page.get_by_test_id("credit-check").click()
    assert "Geprüft: Bonitätsklasse Mit Kaution." in page.locator(".flashes").inner_text()

    decision = page.get_by_test_id("credit-decision").first
    assert "Bonitätsklasse C: Mit Kaution" in decision.locator("h3").inner_text()
    lines = [row.inner_text().split("\t") for row in decision.get_by_test_id("credit-line").all()]
    assert lines == [
        ["Kein Eintrag bei der Auskunftei", "+25 Punkte"],
        ["Alter: 25 bis 39", "+10 Punkte"],
        ["Bereits bestehende Anschlüsse bei der Marke: genau 0", "0 Punkte"],
        ["Zahlt nicht per Lastschrift", "0 Punkte"],
    ]
    assert decision.get_by_test_id("credit-total").inner_text() == "+35 Punkte"
    allows = decision.get_by_test_id("credit-allows").inner_text()
    for words in ("Vertrags- und Prepaid-Tarife", "Kaution: 49,99\xa0€", "Höchstens 1 Anschluss"):
        assert words in allows, words
    page.screenshot(path=str(artifacts / "german_credit_check.png"), full_page=True)
