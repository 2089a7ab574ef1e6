"""A German owner loads numbers and SIMs, sets up a line, swaps its lost card, reads the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_branding_and_login import log_in
from tests.support import network as files


@pytest.mark.browser
def test_a_german_owner_loads_numbers_and_sims_and_follows_a_lines_history(
    app: Any, make: Any, new_context: Any, urls: Any, tmp_path: Path, artifacts: Path
) -> None:
    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    host = f"{brand.slug}.localhost"
    owner = make.user(brand, "staff", ("owner",), locale="de", full_name="Greta Inhaber")
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(host, "/account/login"), owner.email, owner.password)

    page.goto(urls(host, "/admin/network/numbers/ranges"))
    page.get_by_test_id("range-first").fill("+49 30 1234567")
    page.get_by_test_id("range-last").fill("+49 30 1234999")
    with page.expect_navigation():
        page.get_by_test_id("range-add").click()
    assert page.get_by_test_id("error-first").inner_text() == (
        "Rufnummer +49 30 1234567: ist keine Mobilfunknummer"
    )
    page.get_by_test_id("range-first").fill("+49 1520 0000000")
    page.get_by_test_id("range-last").fill("+49 1520 0000999")
    with page.expect_navigation():
        page.get_by_test_id("range-add").click()
    row = page.get_by_test_id("range-row")
    assert row.get_by_test_id("range-size").inner_text() == "1.000"
    assert row.get_by_test_id("range-available").inner_text() == "1.000"

    sim_file = tmp_path / "lieferung.csv"
    sim_file.write_bytes(files.csv_of(files.sims(5000, 3)))
    page.goto(urls(host, "/admin/network/sims"))
    page.get_by_test_id("sim-file").set_input_files(str(sim_file))
    with page.expect_navigation():
        page.get_by_test_id("sim-import").click()
    assert "3 SIMs aus lieferung.csv importiert." in page.content()
    assert page.get_by_test_id("sim-row").count() == 3

    page.goto(urls(host, f"/admin/subscriptions/{sub.id}"))
    with page.expect_navigation():
        page.get_by_test_id("subscription-line-new").click()
    page.get_by_test_id("line-msisdn").fill("+49 1520 0000123")
    with page.expect_navigation():
        page.get_by_test_id("line-create").click()
    assert page.get_by_test_id("line-msisdn").inner_text() == "+49 1520 0000123"
    assert page.get_by_test_id("line-state").inner_text() == "Ausstehend"

    page.get_by_test_id("swap-reason").select_option("lost")
    with page.expect_navigation():
        page.get_by_test_id("swap").click()
    assert "Der Anschluss hat eine neue SIM." in page.content()
    changes = page.get_by_test_id("line-event").all_inner_texts()
    assert changes[0].split("\t")[1].startswith("Anschluss eingerichtet")
    assert "SIM getauscht: Verloren oder gestohlen" in changes[1]
    assert page.get_by_test_id("line-sim-row").count() == 2
    assert "noch zugeordnet" in page.get_by_test_id("line-numbers").inner_text()
    page.screenshot(path=str(artifacts / "german-line-history.png"), full_page=True)
