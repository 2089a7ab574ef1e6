"""Credit in the console: checks and overrides on a subscriber's page, the scorecard's settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from saas.identity.audit import AuditEvent
from tests.conftest import get, in_brand, logged_in, page, post, text
from tests.support.forms import field_errors

CHECK = {
    "given_names": "Anna",
    "surname": "Schmidt",
    "birth_date": "1990-05-15",
    "street": "Hauptstr. 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
}


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")


@pytest.fixture
def owner(app: Any, make: Any, brand: Any) -> Any:
    return logged_in(app, make, brand)


def credit_page(c: Any, person: Any) -> Any:
    return get(c, f"/admin/subscribers/{person.id}/credit")


def run_check(c: Any, person: Any, **typed: Any) -> Any:
    return post(c, f"/admin/subscribers/{person.id}/credit/check", CHECK | typed)


def test_staff_run_a_check_and_read_why_in_german(
    owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber", full_name="Anna Schmidt")
    done = run_check(owner, person, direct_debit="y")
    assert done.status_code == 302
    shown = text(credit_page(owner, person))
    assert "Bonitätsklasse B: Gut" in shown
    for words in (
        "Score der Auskunftei: 600 bis 799",
        "Alter: 25 bis 39",
        "Bereits bestehende Anschlüsse bei der Marke: genau 0",
        "Zahlt per Lastschrift",
        "+40 Punkte",
        "+60 Punkte",
        "Kaution: 0,00\xa0€",
        "Kreditlimit pro Monat: 80,00\xa0€",
    ):
        assert words in shown, words


def test_the_check_form_names_what_is_missing_beside_each_field(
    owner: Any, make: Any, brand: Any
) -> None:
    person = make.user(brand, "subscriber")
    refused = run_check(owner, person, surname="", birth_date="gestern")
    assert refused.status_code == 400
    assert field_errors(refused) == {
        "surname": ["Bitte füllen Sie dieses Feld aus."],
        "birth_date": ["Geben Sie ein Datum wie 1990-05-31 ein."],
    }
    future = run_check(owner, person, birth_date="2999-01-01")
    assert field_errors(future) == {"birth_date": ["Das Geburtsdatum liegt in der Zukunft."]}


def test_a_check_while_the_bureau_is_down_shows_the_fallback_in_words(
    owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    run_check(owner, person, surname="Wartung")
    shown = text(credit_page(owner, person))
    assert "Die Auskunftei war nicht erreichbar" in shown
    assert "Nur Prepaid-Tarife" in shown


def override(c: Any, person: Any, **typed: Any) -> Any:
    return post(c, f"/admin/subscribers/{person.id}/credit/override", typed)


def test_an_override_needs_a_reason_beside_its_field_and_then_stands(
    owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    run_check(owner, person, surname="Insolvent")
    refused = override(owner, person, class_code="A", reason="")
    assert refused.status_code == 400
    assert field_errors(refused) == {"reason": ["Bitte füllen Sie dieses Feld aus."]}
    assert (
        override(owner, person, class_code="A", reason="Langjähriger Geschäftskunde").status_code
        == 302
    )
    shown = text(credit_page(owner, person))
    assert "Bonitätsklasse A: Sehr gut" in shown
    assert "Grund: Langjähriger Geschäftskunde" in shown


def test_the_bureaus_answer_is_shown_only_with_the_permission_and_every_view_is_audited(
    app: Any, owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    run_check(owner, person, surname="Ausfall")
    with in_brand(app, brand.id) as session:
        from saas.customers.credit import services as credit
        from saas.identity.models import User

        decision_id = credit.current(session, session.get(User, person.id)).id
    url = f"/admin/subscribers/{person.id}/credit/{decision_id}/bureau"
    agent = logged_in(app, make, brand, ("agent",))
    assert 'data-testid="credit-bureau-link"' not in page(credit_page(agent, person))
    assert get(agent, url).status_code == 403
    explained = text(credit_page(agent, person))
    assert "Negativmerkmal: Zahlungsausfall (1)" in explained
    assert "412,50" not in explained and "Hauptstr" not in explained
    shown = get(owner, url)
    assert shown.status_code == 200
    assert "Ausfall" in text(shown) and "412,50\xa0€" in text(shown)
    with in_brand(app, brand.id) as session:
        from sqlalchemy import select

        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "credit.bureau_read")
        ).all()
        assert [(e.object_id, e.actor_user_id) for e in viewed] == [(str(person.id), owner.user.id)]
    history = text(get(owner, "/admin/audit"))
    assert "Auskunftei" in history


def test_another_brands_subscriber_and_decision_answer_404(
    app: Any, owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    other = make.brand(default_locale="de", locales=["de"])
    stranger = make.user(other, "subscriber")
    other_owner = logged_in(app, make, other)
    run_check(other_owner, stranger)
    with in_brand(app, other.id) as session:
        from saas.customers.credit import services as credit
        from saas.identity.models import User

        theirs = credit.current(session, session.get(User, stranger.id)).id
    mine = make.user(brand, "subscriber")
    assert credit_page(owner, stranger).status_code == 404
    assert run_check(owner, stranger).status_code == 404
    assert get(owner, f"/admin/subscribers/{mine.id}/credit/{theirs}/bureau").status_code == 404
    assert get(owner, f"/admin/subscribers/{stranger.id}/credit/{theirs}/bureau").status_code == 404


def test_the_scorecard_settings_write_numbers_the_german_way_and_save_them(
    app: Any, owner: Any, brand: Any
) -> None:
    shown = get(owner, "/admin/settings/credit")
    assert shown.status_code == 200
    body = page(shown)
    assert 'value="50,00"' in body and 'value="150,00"' in body
    form = _form_of(body)
    form["classes-2-deposit"] = "49,99"
    assert post(owner, "/admin/settings/credit", form).status_code == 302
    assert 'value="49,99"' in page(get(owner, "/admin/settings/credit"))
    with in_brand(app, brand.id) as session:
        from saas.customers.credit import policy

        card = policy.scorecard(session)
        assert [(c.code, c.deposit, c.postpaid) for c in card.classes] == [
            ("A", Decimal("0"), True),
            ("B", Decimal("0"), True),
            ("C", Decimal("49.99"), True),
            ("D", Decimal("0"), False),
        ]


def test_a_scorecard_with_mistakes_is_refused_beside_each_field(owner: Any, brand: Any) -> None:
    form = _form_of(page(get(owner, "/admin/settings/credit")))
    typo = post(owner, "/admin/settings/credit", form | {"classes-1-deposit": "19.99"})
    assert typo.status_code == 400
    assert field_errors(typo) == {
        "classes-1-deposit": [
            "19.99 kann verschiedene Zahlen bedeuten: schreiben Sie sie wie 1234,56."
        ]
    }
    form |= {"score_bands-0-start": "5", "classes-3-deposit": "0,001", "fallback": "A"}
    refused = post(owner, "/admin/settings/credit", form)
    assert refused.status_code == 400
    assert field_errors(refused) == {
        "score_bands-0-start": ["Die erste Stufe beginnt bei 0."],
        "classes-3-deposit": ["EUR hat 2 Nachkommastellen."],
        "fallback": [
            "Die Klasse für eine nicht erreichbare Auskunftei darf nur Prepaid-Tarife erlauben."
        ],
    }


def test_an_agent_reads_the_scorecard_but_cannot_change_it(app: Any, make: Any, brand: Any) -> None:
    agent = logged_in(app, make, brand, ("agent",))
    assert get(agent, "/admin/settings/credit").status_code == 200
    assert post(agent, "/admin/settings/credit", {}).status_code == 403


def _form_of(body: str) -> dict[str, str]:
    from tests.integration.test_no_english_on_screen import screen

    (form,) = [f for f in screen(body).forms if f.action.endswith("/settings/credit")]
    data = {name: value for name, kind, value in form.fields if kind not in ("submit", "checkbox")}
    data |= {
        name: value
        for name, kind, value in form.fields
        if kind == "checkbox" and _checked(body, name)
    }
    return data | form.choices


def _checked(body: str, name: str) -> bool:
    import re

    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body)
    return tag is not None and " checked" in tag.group(0)


def prepaid_only(app: Any, brand: Any, who: Any) -> None:
    from saas.customers.credit import services as credit
    from saas.customers.credit.reports import Applicant
    from saas.identity.models import User

    with in_brand(app, brand.id) as session:
        insolvent = Applicant("Anna", "Insolvent", date(1990, 5, 15))
        credit.check(session, session.get(User, who.id), insolvent)


def test_the_console_says_beside_the_plan_that_the_class_allows_prepaid_only(
    app: Any, owner: Any, make: Any, brand: Any, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    prepaid_only(app, brand, person)
    postpaid, prepaid = make.plan(brand), make.plan(brand, payment="prepaid")
    url = f"/admin/subscribers/{person.id}/subscribe"
    refused = get(owner, url, plan=postpaid.code)
    assert refused.status_code == 400
    assert field_errors(refused) == {"plan": ["Bonitätsklasse D erlaubt nur Prepaid-Tarife."]}
    assert get(owner, url, plan=prepaid.code).status_code == 200


def test_the_portal_says_beside_the_plan_that_the_class_allows_prepaid_only(
    app: Any, make: Any, credit_bureau: str
) -> None:
    brand = make.brand(default_locale="pl", locales=["pl"], currency="PLN")
    postpaid, prepaid = make.plan(brand, name="Abonament"), make.plan(brand, payment="prepaid")
    subscriber = logged_in(app, make, brand, (), "subscriber")
    prepaid_only(app, brand, subscriber.user)
    refused = get(subscriber, "/plans/subscribe", plan=postpaid.code)
    assert refused.status_code == 409
    assert field_errors(refused) == {
        "plan": ["Klasa kredytowa D pozwala tylko na taryfy na kartę."]
    }
    body = page(refused)
    card = body[body.index(f'data-plan-code="{postpaid.code}"') :]
    assert card.index('data-testid="error-plan"') < card.index("</section>")
    assert get(subscriber, "/plans/subscribe", plan=prepaid.code).status_code == 200
