"""A case that hit the sanctions list is approved in the German console by a staff member."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand, in_platform
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle
from tests.support.kyc import OPENSANCTIONS_FILE, td3


def _hit(app: Any, brand: Any) -> int:
    """A sign-up of Hans Müller, born the day the listed Hans Müller was: a hit to review."""
    from saas.customers.kyc import sanctions
    from saas.customers.kyc import services as kyc
    from saas.customers.kyc.applicant import Applicant

    with in_platform(app) as session:
        sanctions.load(session, OPENSANCTIONS_FILE.read_bytes(), "opensanctions", "os.csv")
    born = date(1961, 3, 4)
    number = f"E{uuid.uuid4().hex[:8].upper()}"
    lines = td3("MUELLER", "HANS", born, date(2031, 1, 1), number=number, sex="M")
    person = Applicant("Hans", "Müller", born, sex="M", mrz=lines)
    with in_brand(app, brand.id) as session:
        return kyc.check(session, person).id


@pytest.mark.browser
def test_a_sanctions_hit_is_approved_with_a_reason_in_the_german_console(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = _spreewelle(app)
    case_id = _hit(app, brand)
    agent = make.user(brand, "staff", ("agent",), locale="de", full_name="Jonas Prüfer")
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(HOST, "/account/login"), agent.email, agent.password)

    page.goto(urls(HOST, "/admin"))
    page.get_by_test_id("nav-kyc").click()
    row = page.locator(f'[data-testid=kyc-row][data-id="{case_id}"]')
    assert "Hans Müller" in row.inner_text()
    assert "stimmt mit Hans Müller auf der Liste OpenSanctions überein" in row.inner_text()
    row.get_by_test_id("kyc-row-name").click()

    sanctions_row = page.locator("[data-testid=kyc-check][data-check=sanctions]")
    assert sanctions_row.get_by_test_id("kyc-verdict").inner_text() == "Zu prüfen"
    assert page.get_by_test_id("kyc-status").inner_text() == "Wartet auf Prüfung"

    form = page.get_by_test_id("kyc-decision-form")
    with page.expect_navigation():
        form.get_by_test_id("kyc-decide").click()  # no choice, no reason: refused beside them
    assert page.get_by_test_id("error-reason").inner_text() == "Bitte füllen Sie dieses Feld aus."
    form = page.get_by_test_id("kyc-decision-form")
    form.get_by_label("Bestätigen").check()
    form.get_by_label("Grund").fill("Anderes Geburtsjahr im Reisepass, andere Person")
    with page.expect_navigation():
        form.get_by_test_id("kyc-decide").click()
    assert f"KYC-Prüfung {case_id}: bestätigt." in page.locator("body").inner_text()
    assert not page.locator(f'[data-testid=kyc-row][data-id="{case_id}"]').count()

    page.goto(urls(HOST, f"/admin/kyc/cases/{case_id}"))
    assert page.get_by_test_id("kyc-status").inner_text() == "Bestätigt"
    assert page.get_by_test_id("kyc-decided-by").inner_text().startswith("Jonas Prüfer, ")
    note = page.get_by_test_id("kyc-decision-note").inner_text()
    assert note == "Anderes Geburtsjahr im Reisepass, andere Person"
    page.screenshot(path=str(artifacts / "kyc-review-de.png"), full_page=True)
