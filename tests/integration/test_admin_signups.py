"""Sign-ups in the console: staff see the brand's applications and sign customers up."""

from __future__ import annotations

from typing import Any

import pytest

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import Application
from tests.conftest import get, in_brand, logged_in, post, recurring, text
from tests.integration.test_portal_signup import ANSWERS, error_of
from tests.support.network import stock


@pytest.fixture
def shop(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", locales=["de", "en"], country="DE")
    brand["plan"] = make.plan(brand, name="Smart S", components=recurring("9.99"))
    with in_brand(app, brand.id) as session:
        stock(session)
    return brand


def test_an_agent_signs_a_customer_up_in_the_console(app: Any, make: Any, shop: Any) -> None:
    agent = logged_in(app, make, shop, roles=("agent",))
    begun = post(agent, "/admin/signups/new", {"email": "kunde@example.com", "locale": "de"})
    assert begun.status_code == 302, text(begun)
    step = begun.headers["Location"]
    for name, answers in ANSWERS.items():
        if name == "sim":
            plan = {"plan_version_id": shop.plan.version_id}
            step = post(agent, step.replace("/sim", "/plan"), plan).headers["Location"]
        response = post(agent, step, answers)
        assert response.status_code == 302, text(response)
        step = response.headers["Location"]
    assert step.endswith("/review")
    sent = post(agent, step)
    detail = get(agent, sent.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="signup-state" data-status="approved"' in detail
    assert 'data-testid="signup-kyc-case"' in detail and 'data-testid="signup-subscriber"' in detail
    with in_brand(app, shop.id) as session:
        (application,) = session.query(Application).filter_by(email="kunde@example.com").all()
        assert application.agent_id == agent.user.id and application.user_id is not None
    listed = text(get(agent, "/admin/signups"))
    assert "kunde@example.com" in listed and "Erika Mustermann" in listed


def test_the_console_shows_answers_masked_and_refuses_bad_ones_beside_their_fields(
    app: Any, make: Any, shop: Any
) -> None:
    owner = logged_in(app, make, shop)
    with in_brand(app, shop.id) as session:
        application, _ = onboarding.start(session, "anna@example.com", "de")
        onboarding.save(session, application, "person", ANSWERS["person"])
        onboarding.save(session, application, "address", ANSWERS["address"])
        onboarding.save(session, application, "document", ANSWERS["document"])
        opened = application.id
    detail = text(get(owner, f"/admin/signups/{opened}"))
    assert "Erika" in detail and "C01X00T47" not in detail
    bad = post(owner, f"/admin/signups/{opened}/step/plan", {"plan_version_id": "0"})
    assert bad.status_code == 400 and error_of(bad.get_data(as_text=True), "plan_version_id")


def test_another_brands_sign_up_is_not_found(app: Any, make: Any, shop: Any) -> None:
    other = make.brand()
    with in_brand(app, other.id) as session:
        foreign, _ = onboarding.start(session, "fremd@example.com", "en")
        foreign_id = foreign.id
    owner = logged_in(app, make, shop)
    assert get(owner, f"/admin/signups/{foreign_id}").status_code == 404
    assert get(owner, f"/admin/signups/{foreign_id}/step/person").status_code == 404
