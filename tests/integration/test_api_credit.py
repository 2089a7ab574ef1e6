"""Credit checks in the API: run, list, read; what a class refuses answers 409 with its code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import api_post, call, issue_key
from tests.integration.test_api import assert_documented, assert_problem

SCOPES = ("credit.read", "credit.write", "subscriptions.read", "subscriptions.write")
ANNA = {"given_names": "Anna", "surname": "Schmidt", "birth_date": "1990-05-15", "country": "DE"}


@pytest.fixture
def brand(make: Any) -> Any:
    return make.brand(default_locale="en", locales=["en", "de"])


@pytest.fixture
def token(app: Any, brand: Any) -> str:
    return str(issue_key(app, brand, SCOPES)[0])


def run(client: Any, brand: Any, token: str, person: Any, **body: Any) -> Any:
    return api_post(client, brand, f"/subscribers/{person.id}/credit-checks", token, ANNA | body)


def test_a_check_answers_the_decision_with_its_explanation_and_where_to_read_it(
    client: Any, make: Any, brand: Any, token: str, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    made = run(client, brand, token, person, direct_debit=True)
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert_documented(body, "CreditDecision")
    assert (body["class_code"], body["outcome"], body["total"], body["postpaid"]) == (
        "B",
        "scored",
        60,
        True,
    )
    assert (body["deposit"], body["credit_limit"], body["currency"]) == ("0.00", "80.00", "EUR")
    assert [(x["rule"], x["points"]) for x in body["lines"]] == [
        ("bureau_score", 40),
        ("age", 10),
        ("lines", 0),
        ("direct_debit", 10),
    ]
    assert body["requested_by"].startswith("apikey:")
    read = call(client, brand, made.headers["Location"].split("/api/v1")[1], token)
    assert read.get_json() == body
    listed = call(client, brand, f"/subscribers/{person.id}/credit-decisions", token).get_json()
    assert [d["id"] for d in listed["data"]] == [body["id"]]


def test_a_check_while_the_bureau_is_down_answers_the_fallback_class(
    client: Any, make: Any, brand: Any, token: str, credit_bureau: str
) -> None:
    body = run(client, brand, token, make.user(brand, "subscriber"), surname="Wartung").get_json()
    assert (body["outcome"], body["class_code"], body["postpaid"], body["lines"]) == (
        "bureau_unavailable",
        "D",
        False,
        [],
    )


@pytest.mark.parametrize(
    ("member", "value", "code"),
    [
        ("birth_date", "15.05.1990", "not_a_date"),
        ("birth_date", "2999-01-01", "credit.born_in_future"),
        ("surname", "", "credit.surname_missing"),
        ("country", "XX", "credit.country_unknown"),
        ("direct_debit", "yes", "not_boolean"),
    ],
)
def test_a_check_with_a_broken_member_is_refused_by_pointer(
    client: Any, make: Any, brand: Any, token: str, member: str, value: Any, code: str
) -> None:
    refused = run(client, brand, token, make.user(brand, "subscriber"), **{member: value})
    problem = assert_problem(refused, 422)
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [(f"/{member}", code)]


def test_credit_needs_its_scopes(app: Any, client: Any, make: Any, brand: Any) -> None:
    person = make.user(brand, "subscriber")
    reader = issue_key(app, brand, ("credit.read",))[0]
    assert_problem(run(client, brand, reader, person), 403)
    other = issue_key(app, brand, ("subscribers.read",))[0]
    assert_problem(call(client, brand, f"/subscribers/{person.id}/credit-decisions", other), 403)


def test_another_brands_subscriber_and_decision_are_not_found(
    app: Any, client: Any, make: Any, brand: Any, token: str, credit_bureau: str
) -> None:
    other = make.brand()
    theirs = make.user(other, "subscriber")
    their_token = issue_key(app, other, SCOPES)[0]
    decision = run(client, other, their_token, theirs).get_json()["id"]
    assert_problem(run(client, brand, token, theirs), 404)
    assert_problem(call(client, brand, f"/subscribers/{theirs.id}/credit-decisions", token), 404)
    assert_problem(call(client, brand, f"/credit-decisions/{decision}", token), 404)
    assert call(client, other, f"/credit-decisions/{decision}", their_token).status_code == 200


def subscribe(
    client: Any, brand: Any, token: str, person: Any, plan: Any, preview: bool = False
) -> Any:
    path = "/subscriptions/preview" if preview else "/subscriptions"
    body = {"subscriber_id": person.id, "plan_version_id": plan.version_id}
    return api_post(client, brand, path, token, body)


def test_a_postpaid_plan_for_a_prepaid_only_class_answers_409_with_its_code(
    client: Any, make: Any, brand: Any, token: str, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    run(client, brand, token, person, surname="Insolvent")
    postpaid, prepaid = make.plan(brand), make.plan(brand, payment="prepaid")
    for preview in (True, False):
        problem = assert_problem(subscribe(client, brand, token, person, postpaid, preview), 409)
        assert (problem["code"], problem["detail"]) == (
            "credit.prepaid_only",
            "Credit class D allows prepaid plans only.",
        )
    assert subscribe(client, brand, token, person, prepaid).status_code == 201


def test_a_line_beyond_the_class_maximum_answers_409_in_the_callers_language(
    client: Any, make: Any, brand: Any, token: str, credit_bureau: str
) -> None:
    person = make.user(brand, "subscriber")
    run(client, brand, token, person, surname="Unbekannt")  # class C: one line
    plan = make.plan(brand)
    assert subscribe(client, brand, token, person, plan).status_code == 201
    refused = call(
        client,
        brand,
        "/subscriptions",
        token,
        "POST",
        json={"subscriber_id": person.id, "plan_version_id": plan.version_id},
        headers={"Accept-Language": "de"},
    )
    problem = assert_problem(refused, 409)
    assert (problem["code"], problem["detail"]) == (
        "credit.max_lines",
        "Bonitätsklasse C erlaubt keinen weiteren Anschluss: höchstens 1, bestehend 1.",
    )
