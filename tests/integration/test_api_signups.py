"""The sign-up API: begin, answer each step as typed JSON, send, and read where it stands."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import api_post, call, in_brand, issue_key, recurring
from tests.integration.test_api import assert_documented, assert_problem
from tests.integration.test_onboarding import ZONE, ZONE_OF
from tests.support.network import stock

SCOPES = ("subscribers.read", "subscribers.write")
ANSWERS = {
    "person": {
        "kind": "individual",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "birth_date": "1984-08-12",
    },
    "address": {"street": "Heidestr. 17", "postcode": "51147", "city": "Köln", "country": "DE"},
    "document": {"document_kind": "passport", "mrz": ZONE.splitlines()},
    "sim": {"sim_kind": "esim"},
    "number": {"number_choice": "new"},
    "consents": {"payment": "card", "terms": True, "privacy": True},
}


@pytest.fixture
def shop(app: Any, make: Any, credit_bureau: str, sanctions_lists: None) -> Any:
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", locales=["de", "en"], country="DE")
    brand["plan"] = make.plan(brand, name="Smart S", components=recurring("9.99"))
    with in_brand(app, brand.id) as session:
        stock(session)
    brand["token"] = issue_key(app, brand, SCOPES)[0]
    return brand


def put(client: Any, brand: Any, path: str, body: Any) -> Any:
    return call(client, brand, path, brand.token, method="PUT", json=body)


def test_a_sign_up_is_answered_step_by_step_and_sent(app: Any, shop: Any) -> None:
    from saas.notifications.models import OutboundEmail

    client = app.test_client()
    made = api_post(
        client, shop, "/applications", shop.token, {"email": "erika@example.com", "locale": "de"}
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    one = made.get_json()
    assert_documented(one, "Application")
    assert (one["status"], one["next_step"]) == ("draft", "person")
    assert made.headers["Location"].endswith(f"/api/v1/applications/{one['id']}")
    path = f"/applications/{one['id']}"
    for name, body in ANSWERS.items():
        if name == "sim":
            plan = {"plan_version_id": shop.plan.version_id}
            assert put(client, shop, f"{path}/plan", plan).status_code == 200
        answered = put(client, shop, f"{path}/{name}", body)
        assert answered.status_code == 200, answered.get_data(as_text=True)
    ready = call(client, shop, path, shop.token).get_json()
    assert ready["next_step"] is None and ready["reserved_msisdn"].startswith("491520")
    sent = api_post(client, shop, f"{path}/submit", shop.token)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    done = sent.get_json()
    assert_documented(done, "Application")
    assert done["status"] == "approved" and done["subscriber_id"] and done["line_id"]
    listed = call(client, shop, "/applications?status=approved", shop.token).get_json()
    assert [a["id"] for a in listed["data"]] == [one["id"]]
    with in_brand(app, shop.id) as session:
        mails = session.query(OutboundEmail).filter_by(recipient="erika@example.com").all()
        assert any(m.template == "signup_welcome" for m in mails)


def test_wrong_answers_are_named_by_pointer_and_a_refused_rule_too(app: Any, shop: Any) -> None:
    client = app.test_client()
    one = api_post(
        client, shop, "/applications", shop.token, {"email": "otto@example.com", "locale": "de"}
    ).get_json()
    path = f"/applications/{one['id']}"
    bad = put(
        client,
        shop,
        f"{path}/person",
        ANSWERS["person"] | {"birth_date": 19840812, "kind": "robot"},
    )
    problem = assert_problem(bad, 422)
    assert {e["pointer"] for e in problem["errors"]} == {"/birth_date", "/kind"}
    later = put(client, shop, f"{path}/person", ANSWERS["person"] | {"birth_date": "2999-01-01"})
    problem = assert_problem(later, 422)
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("/birth_date", "onboarding.born_later")
    ]
    skipped = put(client, shop, f"{path}/address", ANSWERS["address"])
    assert assert_problem(skipped, 409)["code"] == "onboarding.step_first"
    early = api_post(client, shop, f"{path}/submit", shop.token)
    assert assert_problem(early, 409)["code"] == "onboarding.incomplete"


def test_only_a_company_asks_for_several_lines_and_gets_each_one(app: Any, shop: Any) -> None:
    client = app.test_client()
    paths = []
    # The contact is born on the 31st: the bureau scores them best, five lines at most.
    born = {"birth_date": "1984-08-31"}
    zone = {"mrz": ZONE_OF("Mustermann", "Erika", date(1984, 8, 31)).splitlines()}
    for email, kind in (("otto@example.com", "individual"), ("it@muster.example", "company")):
        one = api_post(client, shop, "/applications", shop.token, {"email": email, "locale": "de"})
        path = f"/applications/{one.get_json()['id']}"
        person = ANSWERS["person"] | born | {"kind": kind, "company_name": "Muster GmbH"}
        document = ANSWERS["document"] | zone
        for name, body in (
            ("person", person),
            ("address", ANSWERS["address"]),
            ("document", document),
        ):
            assert put(client, shop, f"{path}/{name}", body).status_code == 200
        paths.append(path)
    two = {"plan_version_id": shop.plan.version_id, "lines": 2}
    refused = assert_problem(put(client, shop, f"{paths[0]}/plan", two), 422)
    assert [(e["pointer"], e["code"]) for e in refused["errors"]] == [
        ("/lines", "onboarding.lines_company_only")
    ]
    too_many = put(client, shop, f"{paths[1]}/plan", two | {"lines": 21})
    assert [e["pointer"] for e in assert_problem(too_many, 422)["errors"]] == ["/lines"]
    assert put(client, shop, f"{paths[1]}/plan", two).status_code == 200
    for name in ("sim", "number", "consents"):
        assert put(client, shop, f"{paths[1]}/{name}", ANSWERS[name]).status_code == 200
    done = api_post(client, shop, f"{paths[1]}/submit", shop.token).get_json()
    assert_documented(done, "Application")
    assert done["status"] == "approved", done["reasons"]
    assert len(done["line_ids"]) == len(done["subscription_ids"]) == 2
    assert done["line_ids"][0] == done["line_id"]


def test_another_brands_sign_up_is_not_found_and_scopes_are_needed(
    app: Any, make: Any, shop: Any
) -> None:
    client = app.test_client()
    one = api_post(
        client, shop, "/applications", shop.token, {"email": "x@example.com", "locale": "de"}
    ).get_json()
    other = make.brand()
    token = issue_key(app, other, SCOPES)[0]
    assert call(client, other, f"/applications/{one['id']}", token).status_code == 404
    reader = issue_key(app, shop, ("subscribers.read",))[0]
    refused = api_post(
        client, shop, "/applications", reader, {"email": "y@example.com", "locale": "de"}
    )
    assert refused.status_code == 403
