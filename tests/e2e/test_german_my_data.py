"""A German subscriber reads what the brand holds about them and downloads all of it."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_brand
from tests.e2e.test_branding_and_login import log_in
from tests.e2e.test_offer_design_and_upgrade import HOST, _spreewelle


def _checked_subscriber(app: Any, make: Any, document: str) -> Any:
    """A Spreewelle subscriber reading German, whose passport was typed in at a shop."""
    from saas.customers.kyc import services as kyc
    from saas.customers.kyc.applicant import Applicant

    brand = _spreewelle(app)
    person = make.user(brand, "subscriber", full_name="Lena Datenreich", locale="de")
    with in_brand(app, brand.id) as session:
        kyc.check(
            session,
            Applicant(
                "Lena",
                "Datenreich",
                date(1990, 1, 2),
                subscriber_id=person.id,
                document_number=document,
                document_country="D",
                document_expires=date(2031, 1, 1),
            ),
        )
    return person


@pytest.mark.browser
def test_a_german_subscriber_reads_their_data_masked_and_downloads_it_in_full(
    app: Any, make: Any, new_context: Any, urls: Any, artifacts: Path
) -> None:
    document = "L" + uuid.uuid4().hex[:8].upper()
    person = _checked_subscriber(app, make, document)
    page = new_context(locale="de-DE").new_page()
    log_in(page, urls(HOST, "/account/login"), person.email, person.password)
    with page.expect_navigation():
        page.get_by_test_id("nav-my-data").click()
    assert page.locator("h1").inner_text() == "Meine Daten"
    case = page.get_by_test_id("privacy-kyc")
    assert "KYC-Prüfung" in case.inner_text() and "Wartet auf Prüfung" in case.inner_text()
    shown = case.get_by_test_id("privacy-kyc-document").inner_text()
    assert shown == "••••••" + document[-3:] and document not in page.content()

    with page.expect_download() as caught:
        page.get_by_test_id("my-data-download").click()
    download = caught.value
    assert download.suggested_filename == "my-data.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == person.email
    assert [c["document_number"] for c in data["kyc_cases"]] == [document]
    assert data["kyc_cases"][0]["birth_date"] == "1990-01-02"
    page.screenshot(path=str(artifacts / "german_my_data.png"), full_page=True)
