"""The promotions API: one read, edits until the first redemption, ending, refusals that fit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import api_post, call, in_brand, issue_key
from tests.integration.test_api import assert_documented, assert_problem

PERCENT = {"code": "spring", "name": "Spring", "kind": "percent", "value": "10"}


@pytest.fixture
def brand(make: Any) -> Any:
    """A EUR brand with one published monthly plan."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    brand["seed_plan"] = make.plan(brand, name="Seed")
    return brand


@pytest.fixture
def token(app: Any, brand: Any) -> str:
    return issue_key(app, brand, ("catalog.read", "catalog.write"))[0]


def created(client: Any, brand: Any, token: str, **fields: Any) -> dict[str, Any]:
    response = api_post(client, brand, "/promotions", token, PERCENT | fields)
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def patch(client: Any, brand: Any, token: str, ident: int, body: Any) -> Any:
    return call(client, brand, f"/promotions/{ident}", token, "PATCH", json=body)


def redeem(app: Any, make: Any, brand: Any, promo_code: str) -> None:
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    person = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, brand.seed_plan.version_id)
        subs.subscribe(session, session.get(User, person.id), version, promo_code=promo_code)


def test_one_promotion_is_read_where_its_creation_says(client: Any, brand: Any, token: str) -> None:
    response = api_post(client, brand, "/promotions", token, PERCENT)
    assert response.headers["Location"].endswith(f"/promotions/{response.get_json()['id']}")
    read = call(client, brand, f"/promotions/{response.get_json()['id']}", token)
    assert read.status_code == 200
    assert_documented(read.get_json(), "Promotion")
    assert read.get_json() == response.get_json()


@pytest.mark.parametrize(
    "fields, pointer, code",
    [
        ({"kind": "fixed", "value": "2", "currency": "USD"}, "currency", "brand_currency"),
        ({"component": "data", "plan": "SEED"}, "component", "no_component"),
    ],
)
def test_a_promotion_that_does_not_fit_the_brand_or_plan_is_refused_by_code(
    client: Any, brand: Any, token: str, fields: dict[str, Any], pointer: str, code: str
) -> None:
    fields = {k: brand.seed_plan.code if v == "SEED" else v for k, v in fields.items()}
    response = api_post(client, brand, "/promotions", token, PERCENT | fields)
    assert assert_problem(response, 409)["code"] == f"catalog.promotion_{code}"


def test_a_plan_promotion_must_be_in_the_plans_currency(
    client: Any, make: Any, brand: Any, token: str
) -> None:
    zloty = make.plan(brand, currency="PLN")
    body = PERCENT | {"kind": "fixed", "value": "2", "currency": "EUR", "plan": zloty.code}
    problem = assert_problem(api_post(client, brand, "/promotions", token, body), 409)
    assert problem["code"] == "catalog.promotion_plan_currency"
    assert "PLN" in problem["detail"]


def test_a_promotion_is_edited_until_someone_redeems_it(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    promotion = created(client, brand, token, plan=brand.seed_plan.code)
    change = {
        "name": "Summer",
        "value": "15",
        "component": "base",
        "duration": "repeating",
        "cycles": 2,
        "promo_code": "summer",
        "max_redemptions": 10,
        "valid_until": "2030-01-01T00:00:00Z",
    }
    edited = patch(client, brand, token, promotion["id"], change)
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert_documented(body, "Promotion")
    assert (body["name"], body["value"], body["component"], body["cycles"]) == (
        "Summer",
        "15",
        "base",
        2,
    )
    assert (body["promo_code"], body["valid_until"]) == ("SUMMER", "2030-01-01T00:00:00+00:00")
    assert body["active"] is True and body["code"] == "spring"
    redeem(app, make, brand, "SUMMER")
    refused = patch(client, brand, token, promotion["id"], {"name": "Autumn"})
    assert assert_problem(refused, 409)["code"] == "catalog.promotion_redeemed"
    off = patch(client, brand, token, promotion["id"], {"active": False})
    assert off.status_code == 200 and off.get_json()["active"] is False
    assert off.get_json()["name"] == "Summer"


@pytest.mark.parametrize(
    "change, pointer",
    [
        ({"value": "150"}, "/value"),
        ({"duration": "repeating"}, "/cycles"),
        (
            {"valid_from": "2030-01-01T00:00:00Z", "valid_until": "2029-01-01T00:00:00Z"},
            "/valid_until",
        ),
        ({"kind": "fixed"}, "/kind"),
        ({}, ""),
    ],
)
def test_an_edit_that_breaks_a_rule_names_the_member(
    client: Any, brand: Any, token: str, change: dict[str, Any], pointer: str
) -> None:
    promotion = created(client, brand, token)
    errors = assert_problem(patch(client, brand, token, promotion["id"], change), 422)["errors"]
    assert [e["pointer"] for e in errors] == [pointer]


def test_an_edit_may_not_take_another_promotions_code(client: Any, brand: Any, token: str) -> None:
    created(client, brand, token, promo_code="taken")
    mine = created(client, brand, token, code="mine")
    refused = patch(client, brand, token, mine["id"], {"promo_code": "TAKEN"})
    assert assert_problem(refused, 409)["code"] == "catalog.promo_code_taken"
    again = patch(client, brand, token, mine["id"], {"promo_code": "mine", "name": "Mine"})
    assert again.status_code == 200


def test_ending_a_promotion_sets_its_end_to_now_once(client: Any, brand: Any, token: str) -> None:
    promotion = created(client, brand, token)
    before = datetime.now(UTC)
    ended = api_post(client, brand, f"/promotions/{promotion['id']}/end", token)
    assert ended.status_code == 200
    assert_documented(ended.get_json(), "Promotion")
    until = datetime.fromisoformat(ended.get_json()["valid_until"])
    assert before <= until <= datetime.now(UTC)
    again = api_post(client, brand, f"/promotions/{promotion['id']}/end", token)
    assert again.get_json()["valid_until"] == ended.get_json()["valid_until"]


def test_reading_and_ending_need_their_scopes(
    app: Any, client: Any, brand: Any, token: str
) -> None:
    promotion = created(client, brand, token)
    reader = issue_key(app, brand, ("catalog.read",))[0]
    assert call(client, brand, f"/promotions/{promotion['id']}", reader).status_code == 200
    refused = api_post(client, brand, f"/promotions/{promotion['id']}/end", reader)
    assert "catalog.write" in assert_problem(refused, 403)["detail"]


def test_another_brands_promotion_is_not_found(
    client: Any, make: Any, brand: Any, token: str
) -> None:
    other = make.brand(currency="EUR")
    theirs = created(client, other, issue_key(client.application, other, ("catalog.write",))[0])
    path = f"/promotions/{theirs['id']}"
    assert_problem(call(client, brand, path, token), 404)
    assert_problem(api_post(client, brand, f"{path}/end", token), 404)
    assert_problem(patch(client, brand, token, theirs["id"], {"name": "Mine"}), 404)
