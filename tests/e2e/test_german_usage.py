"""In German: staff upload a usage file in the console and see it rated; the subscriber sees it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import workers.usage  # noqa: F401  (the usage actors, for the test's worker)
from tests.e2e.test_branding_and_login import log_in
from tests.support import usage as U
from tests.support.usage_stages import fake_stages


@pytest.mark.browser
def test_staff_upload_a_file_see_it_rated_and_the_subscriber_sees_the_usage(
    app: Any, make: Any, smtp: Any, worker: Any, new_context: Any, urls: Any, tmp_path: Path
) -> None:
    # `smtp`: the line's activation mails its subscriber, a job this test's worker delivers.
    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    U.stock(app, brand)
    line = U.line(app, make, brand)
    U.source(app, brand, "csv", name="Vermittlung")
    owner = make.user(brand, "staff", ("owner",), locale="de")
    day = tmp_path / "anrufe.csv"
    day.write_bytes(
        U.csv_file(U.call("e2e-1", seconds=65), U.call("e2e-2", msisdn="4915200000109"))
    )

    with fake_stages():
        staff = new_context(locale="de-DE").new_page()
        log_in(staff, urls(brand.host, "/account/login"), owner.email, owner.password)
        with staff.expect_navigation():
            staff.get_by_test_id("nav-network").click()
        with staff.expect_navigation():
            staff.get_by_test_id("nav-usage").click()
        assert staff.locator("h1").inner_text() == "Verarbeitung der Nutzung"
        staff.get_by_test_id("usage-upload-source").select_option("Vermittlung")
        staff.get_by_test_id("usage-upload-file").set_input_files(str(day))
        with staff.expect_navigation():
            staff.get_by_test_id("usage-upload").click()
        assert "ihre Datensätze werden bewertet" in staff.content()
        deadline = time.monotonic() + 20
        while "Bewertet" not in staff.get_by_test_id("usage-file-state").inner_text():
            assert time.monotonic() < deadline, "the file was not rated"
            time.sleep(0.3)
            staff.reload()
        assert staff.get_by_test_id("usage-file-rated").inner_text() == "1"
        row = staff.get_by_test_id("usage-quarantine-row")
        assert "Kein Anschluss hatte zu dieser Zeit diese Nummer oder SIM" in row.inner_text()

    person = line.subscriber
    portal = new_context(locale="de-DE").new_page()
    log_in(portal, urls(brand.host, "/account/login"), person.email, person.password)
    with portal.expect_navigation():
        portal.get_by_test_id("nav-my-usage").click()
    assert portal.locator("h1").inner_text() == "Verbrauch"
    [shown] = portal.get_by_test_id("my-usage-row").all()
    assert portal.get_by_test_id("my-usage-to").inner_text() == "+4930123•••"
    assert portal.get_by_test_id("my-usage-amount").inner_text() == "1 Min. 5 Sek."
    assert "0,12" in portal.get_by_test_id("my-usage-price").inner_text()
    assert "Anruf" in shown.inner_text() and "15.11.2026" in shown.inner_text()
