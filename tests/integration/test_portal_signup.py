"""Sign-up in the portal: a page a step, errors beside their fields, resumed by the mailed link."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import select

from saas.notifications.models import OutboundEmail
from tests.conftest import get, in_brand, post, recurring, text
from tests.integration.test_onboarding import ZONE
from tests.support.network import stock

PERSON = {
    "kind": "individual",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "birth_date": "1984-08-12",
}
ANSWERS = {
    "person": PERSON,
    "address": {"street": "Heidestr. 17", "postcode": "51147", "city": "Köln", "country": "DE"},
    "document": {"document_kind": "passport", "mrz": ZONE},
    "sim": {"sim_kind": "esim"},
    "number": {"number_choice": "new"},
    "consents": {"payment": "card", "terms": "y", "privacy": "y"},
}


@pytest.fixture
def visitor(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    brand = make.brand(
        currency="EUR", timezone="Europe/Berlin", locales=["en", "de", "pl"], country="DE"
    )
    brand["plan"] = make.plan(brand, name="Smart S", components=recurring("9.99"))
    with in_brand(app, brand.id) as session:
        stock(session)
    c = app.test_client()
    c.brand = brand
    return c


def mails_to(app: Any, brand: Any, address: str) -> list[OutboundEmail]:
    with in_brand(app, brand.id) as session:
        query = select(OutboundEmail).where(OutboundEmail.recipient == address)
        found = list(session.scalars(query.order_by(OutboundEmail.id)))
        session.expunge_all()
        return found


def error_of(page: str, name: str) -> str | None:
    """The message shown beside a field, if any."""
    found = re.search(rf'<p class="error field-error" id="{name}-error"[^>]*>([^<]*)</p>', page)
    return html.unescape(found[1]) if found else None


def begin(c: Any, email: str = "erika@example.com", locale: str = "de") -> Any:
    return post(c, "/signup", {"email": email, "locale": locale})


def test_a_visitor_signs_up_step_by_step_and_is_welcomed(app: Any, visitor: Any) -> None:
    assert begin(visitor).headers["Location"].endswith("/signup/step/person")
    for name, answers in ANSWERS.items():
        if name == "sim":
            plan = {"plan_version_id": visitor.brand.plan.version_id}
            assert post(visitor, "/signup/step/plan", plan).status_code == 302
        response = post(visitor, f"/signup/step/{name}", answers)
        assert response.status_code == 302, text(response)
    review = get(visitor, "/signup/review")
    said = text(review)
    assert "Erika" in said and "Köln" in said and "Smart S" in said and "Deutschland" in said
    assert "C01X00T47" not in said  # the document's lines are shown masked
    assert "+49 1520" in said  # the new number held for the applicant
    sent = post(visitor, "/signup/review")
    assert sent.headers["Location"].endswith("/signup/status")
    status = text(get(visitor, "/signup/status"))
    assert "Willkommen" in status and "erika@example.com" in status
    assert "+49 1520" in status and 'data-testid="esim-qr"' in get(
        visitor, "/signup/status"
    ).get_data(as_text=True)
    subjects = [m.subject for m in mails_to(app, visitor.brand, "erika@example.com")]
    assert subjects[0].startswith("Ihre Registrierung") and "Passwort festlegen" in subjects[-1]
    assert any("Smart S" in subject for subject in subjects)  # the plan's own mail


def test_wrong_answers_are_refused_beside_their_fields_in_german_and_kept(visitor: Any) -> None:
    begin(visitor)
    bad = PERSON | {"first_name": "", "birth_date": "12.08.84", "kind": "company"}
    response = post(visitor, "/signup/step/person", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "first_name") == "Bitte füllen Sie dieses Feld aus."
    assert error_of(page, "birth_date") == "Bitte geben Sie Ihr Geburtsdatum ein."
    assert 'value="Mustermann"' in page  # what was typed is kept
    fixed = post(visitor, "/signup/step/person", PERSON | {"kind": "company"})
    assert fixed.status_code == 422  # a company needs its name: the domain's rule, beside the field
    said = error_of(fixed.get_data(as_text=True), "company_name")
    assert said == "eine Firma meldet sich unter ihrem Namen an"


def test_a_company_is_asked_how_many_lines_and_a_bad_count_is_refused_in_german(
    visitor: Any,
) -> None:
    begin(visitor)
    company = PERSON | {"kind": "company", "company_name": "Muster GmbH"}
    for name in ("person", "address", "document"):
        post(visitor, f"/signup/step/{name}", company if name == "person" else ANSWERS[name])
    assert "Anzahl der Anschlüsse" in text(get(visitor, "/signup/step/plan"))
    plan = visitor.brand.plan.version_id
    for typed, said in (("abc", "Zahl"), ("", "füllen Sie"), ("25", "bis 20 Anschlüsse")):
        page = post(visitor, "/signup/step/plan", {"plan_version_id": plan, "lines": typed})
        assert page.status_code == 422
        shown = error_of(page.get_data(as_text=True), "lines")
        assert shown and said in shown, shown
        assert "Smart S" in text(page)
    kept = post(visitor, "/signup/step/plan", {"plan_version_id": plan, "lines": "3"})
    assert kept.status_code == 302
    assert 'value="3"' in get(visitor, "/signup/step/plan").get_data(as_text=True)


def test_a_person_is_not_asked_how_many_lines(visitor: Any) -> None:
    begin(visitor)
    for name in ("person", "address", "document"):
        post(visitor, f"/signup/step/{name}", ANSWERS[name])
    assert "Anzahl der Anschlüsse" not in text(get(visitor, "/signup/step/plan"))


def test_a_sign_up_is_resumed_from_the_mailed_link_in_another_browser(
    app: Any, visitor: Any
) -> None:
    begin(visitor, "otto@example.com", "pl")
    post(visitor, "/signup/step/person", PERSON | {"first_name": "Otto"})
    (mail,) = mails_to(app, visitor.brand, "otto@example.com")
    link = re.search(r"https?://\S+/signup/resume/\S+", mail.body_text)
    assert link is not None
    other = app.test_client()
    other.brand = visitor.brand
    opened = get(other, link[0].split(visitor.brand.host, 1)[1])
    assert opened.headers["Location"].endswith("/signup/step/address")
    person = get(other, "/signup/step/person")
    assert 'value="Otto"' in person.get_data(as_text=True)
    assert "Adres" in text(get(other, "/signup/step/address"))  # in Polish, as chosen
    stranger = app.test_client()
    stranger.brand = visitor.brand
    unknown = get(stranger, "/signup/resume/not-a-real-link")
    assert unknown.headers["Location"].endswith("/signup")


def test_steps_cannot_be_skipped_and_an_address_in_use_is_refused(visitor: Any, make: Any) -> None:
    begin(visitor)
    skipped = post(visitor, "/signup/step/address", ANSWERS["address"])
    assert skipped.status_code == 422
    known = make.user(visitor.brand, "subscriber")
    visitor.delete_cookie("session", domain=visitor.brand.host)
    taken = begin(visitor, known.email)
    assert taken.status_code == 422
    assert error_of(taken.get_data(as_text=True), "email") is not None
