"""A German owner imports a CGRateS tariff plan as a zip and prices a call in the simulator."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_branding_and_login import log_in

PLAN = Path(__file__).parents[1] / "data" / "cgrates" / "spreewelle"


@pytest.mark.browser
def test_a_german_owner_imports_a_tariff_plan_and_prices_a_call(
    app: Any, make: Any, new_context: Any, urls: Any, tmp_path: Path, artifacts: Path
) -> None:
    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    host = f"{brand.slug}.localhost"
    owner = make.user(brand, "staff", ("owner",), locale="de", full_name="Greta Inhaber")
    archive = tmp_path / "tarif.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in PLAN.iterdir():
            out.write(path, path.name)
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(host, "/account/login"), owner.email, owner.password)

    page.goto(urls(host, "/admin/"))
    with page.expect_navigation():
        page.get_by_test_id("nav-catalog").click()
    with page.expect_navigation():  # the rate decks sit in the catalogue, beside the plans
        page.get_by_test_id("nav-rating").click()
    assert "Noch keine Tarifwerke" in page.get_by_test_id("no-decks").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("nav-rating-import").click()
    page.get_by_test_id("rating-import-file").set_input_files(str(archive))
    with page.expect_navigation():
        page.get_by_test_id("rating-import-submit").click()
    assert "Version 1 des Tarifwerks retail aus tarif.zip importiert." in page.content()
    slots = page.get_by_test_id("rate").filter(has_text="RT_MOBILE_PEAK").inner_text()
    assert "nach 1 Minute: 0,09\xa0€ pro 1 Minute, abgerechnet je 1 Sekunde" in slots

    with page.expect_navigation():
        page.get_by_test_id("nav-rating-simulator").click()
    page.get_by_test_id("sim-category").select_option("voice")
    page.get_by_test_id("sim-subject").fill("classic")
    page.get_by_test_id("sim-destination").fill("4915112345678")
    # Monday 11 March 2019, 10:00 in Berlin (09:00 UTC): peak.
    page.get_by_test_id("sim-answer-time").fill("2019-03-11T10:00")
    page.get_by_test_id("sim-usage").fill("90")
    with page.expect_navigation():
        page.get_by_test_id("sim-submit").click()
    result = page.get_by_test_id("sim-result")
    # 0.05 connect fee + the first minute at 0.19 + 30 seconds at 0.0015 = 0.285.
    assert "Preis: 0,285\xa0€" in result.inner_text()
    assert page.get_by_test_id("sim-timing").inner_text() == "PEAK"
    assert page.get_by_test_id("sim-rated-usage").inner_text() == "90 Sekunden"
    parts = page.get_by_test_id("sim-increments").all_inner_texts()
    assert parts[0].startswith("1 Takt zu 1 Minute für 0,19\xa0€, ab 0 Sekunden")
    assert parts[1].startswith("30 Takte zu 1 Sekunde für je 0,0015\xa0€, ab 1 Minute")
    assert page.get_by_test_id("sim-total").inner_text() == "0,285\xa0€"

    page.get_by_test_id("sim-destination").fill("12125551234")
    with page.expect_navigation():
        page.get_by_test_id("sim-submit").click()
    assert page.get_by_test_id("error-destination").inner_text() == (
        "kein Ziel des Tarifwerks passt zu 12125551234"
    )
    page.screenshot(path=str(artifacts / "german-tariff-simulator.png"), full_page=True)
