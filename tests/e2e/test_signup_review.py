"""A sign-up the sanctions list holds back is approved in the German console, and goes on."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle
from tests.e2e.test_signup import fill_in_sign_up
from tests.support.kyc import td3
from tests.support.provisioning import run_jobs


def _case_of(app: Any, brand: Any, email: str) -> int:
    from saas.customers.onboarding.models import Application

    with in_brand(app, brand.id) as session:
        (application,) = session.query(Application).filter_by(email=email).all()
        return int(application.outcome["kyc_case"])


@pytest.mark.browser
def test_a_held_sign_up_is_approved_by_a_reviewer_and_the_line_goes_live(
    app: Any,
    make: Any,
    new_context: Any,
    urls: Any,
    artifacts: Path,
    credit_bureau: str,
    sanctions_lists: None,
    mno: Any,
    worker: Any,
    smtp: Any,
) -> None:
    brand = _spreewelle(app)
    email = f"hans-{uuid.uuid4().hex[:6]}@example.com"
    number = f"C{uuid.uuid4().hex[:8].upper()}"
    zone = "\n".join(td3("Müller", "Hans", date(1961, 3, 4), date(2034, 1, 31), number, "M"))
    applicant = new_context(locale="de-DE").new_page()
    fill_in_sign_up(applicant, urls, email, "Hans", "Müller", "1961-03-04", zone)
    applicant.get_by_test_id("signup-submit").click()
    status = applicant.get_by_test_id("signup-status")
    assert status.get_attribute("data-status") == "review"
    assert "Jemand aus unserem Team sieht sich Ihre Registrierung an" in status.inner_text()

    reviewer = make.user(brand, "staff", ("compliance",), locale="de", full_name="Kim Prüfer")
    console = new_context(locale="de-DE").new_page()
    log_in(console, urls(HOST, "/account/login"), reviewer.email, reviewer.password)
    case_id = _case_of(app, brand, email)
    console.goto(urls(HOST, "/admin/kyc"))
    console.locator(f'[data-testid=kyc-row][data-id="{case_id}"]').get_by_test_id(
        "kyc-row-name"
    ).click()
    form = console.get_by_test_id("kyc-decision-form")
    form.get_by_label("Bestätigen").check()
    form.get_by_label("Grund").fill("Anderer Hans Müller: Ausweis aus Köln, Liste nennt Berlin")
    with console.expect_navigation():
        form.get_by_test_id("kyc-decide").click()
    assert f"KYC-Prüfung {case_id}: bestätigt." in console.locator("main").inner_text()

    applicant.reload()
    # Approved, and the worker may have switched the line on already.
    state = applicant.get_by_test_id("signup-status").get_attribute("data-status")
    assert state in ("approved", "active")
    run_jobs()
    applicant.reload()
    assert applicant.get_by_test_id("signup-line-live").is_visible()
    assert applicant.get_by_test_id("esim-qr").locator("svg").count() == 1
    applicant.screenshot(path=str(artifacts / "signup-after-review-de.png"), full_page=True)
