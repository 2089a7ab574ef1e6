"""A visitor signs up in Spreewelle's German portal, from its front page to a line of their own."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_offer_design_and_upgrade import HOST
from tests.support.kyc import td3
from tests.support.provisioning import run_jobs


@pytest.mark.browser
def test_a_visitor_signs_up_and_gets_a_number_and_an_esim(
    app: Any,
    new_context: Any,
    urls: Any,
    artifacts: Path,
    credit_bureau: str,
    mno: Any,
    worker: Any,
    smtp: Any,
) -> None:
    email = f"erika-{uuid.uuid4().hex[:6]}@example.com"
    number = f"C{uuid.uuid4().hex[:8].upper()}"  # a document nobody else signed up with
    zone = "\n".join(td3("Mustermann", "Erika", date(1984, 8, 28), date(2034, 1, 31), number))
    page = new_context(locale="de-DE").new_page()

    fill_in_sign_up(page, urls, email, "Erika", "Mustermann", "1984-08-28", zone)

    held = page.get_by_test_id("reserved-number").inner_text()
    assert held.startswith("Ihre neue Rufnummer: +49 1520")
    assert "Erika" in page.locator("[data-step=person]").inner_text()
    page.screenshot(path=str(artifacts / "signup-review-de.png"), full_page=True)
    page.get_by_test_id("signup-submit").click()

    status = page.get_by_test_id("signup-status")
    assert "Willkommen bei Spreewelle" in status.inner_text()
    assert page.get_by_test_id("my-number").inner_text() == held.split(": ", 1)[1]
    assert page.get_by_test_id("esim-qr").locator("svg").count() == 1
    assert (
        page.get_by_test_id("esim-code").inner_text().startswith("LPA:1$smdp.spreewelle.example$")
    )

    run_jobs()  # the activation order reaches the host network
    page.reload()
    assert page.get_by_test_id("signup-line-live").is_visible()
    assert page.get_by_test_id("my-line-state").get_attribute("data-state") == "active"
    msisdn = "+" + "".join(ch for ch in held.split(": ", 1)[1] if ch.isdigit())
    assert mno.lines()[msisdn]["state"] == "active"
    page.screenshot(path=str(artifacts / "signup-status-de.png"), full_page=True)


def fill_in_sign_up(
    page: Any, urls: Any, email: str, given: str, surname: str, born: str, zone: str
) -> None:
    """Walk the German sign-up from the front page to its last check, an eSIM and a new number."""
    page.goto(urls(HOST, "/"))
    page.get_by_test_id("signup-link").click()
    page.get_by_label("E-Mail").fill(email)
    page.get_by_test_id("signup-begin").click()

    # About you: a date of birth left out is refused beside its field, the names are kept.
    page.get_by_label("Privatperson").check()
    page.get_by_label("Vorname").fill(given)
    page.get_by_label("Nachname").fill(surname)
    page.get_by_test_id("signup-next").click()
    assert page.get_by_test_id("error-birth_date").inner_text() == (
        "Bitte geben Sie Ihr Geburtsdatum ein."
    )
    assert page.get_by_label("Nachname").input_value() == surname
    page.get_by_label("Geburtsdatum").fill(born)
    page.get_by_test_id("signup-next").click()

    page.get_by_label("Straße und Hausnummer").fill("Heidestraße 17")
    page.get_by_label("Postleitzahl").fill("51147")
    page.get_by_label("Ort").fill("Köln")
    page.get_by_test_id("signup-next").click()

    page.get_by_label("Reisepass").check()
    page.get_by_label("Maschinenlesbare Zeilen").fill(zone)
    page.get_by_test_id("signup-next").click()

    page.locator("[data-step=plan] input[type=radio]").first.check()
    page.get_by_test_id("signup-next").click()
    page.get_by_label("eSIM, sofort bereit").check()
    page.get_by_test_id("signup-next").click()
    page.get_by_label("Ich möchte eine neue Rufnummer").check()
    page.get_by_test_id("signup-next").click()
    page.get_by_label("Karte").check()
    page.get_by_label("Ich akzeptiere die Geschäftsbedingungen").check()
    page.get_by_label("Ich habe gelesen, wie meine Daten verwendet werden").check()
    page.get_by_test_id("signup-next").click()
