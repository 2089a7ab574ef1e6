"""A page of subscriptions costs the same number of queries however many rows it holds."""

from __future__ import annotations

from typing import Any

from saas.catalog.models import PlanVersion
from saas.identity.models import User
from saas.identity.roles import API_SCOPES
from saas.subscriptions import services as subs
from tests.conftest import call, counted, in_brand, issue_key, recurring


def _page_cost(app: Any, client: Any, brand: Any, token: str) -> tuple[int, int]:
    with counted() as statements:
        response = call(client, brand, "/subscriptions?limit=50", token)
    assert response.status_code == 200
    return len(response.json["data"]), len(statements)


def test_listing_subscriptions_does_not_query_once_per_row(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    call(client, brand, "/brand", token)  # its first use is recorded, once a minute at most
    plan = make.plan(brand)
    for _ in range(2):
        make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    few = _page_cost(app, client, brand, token)
    for _ in range(6):
        make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    many = _page_cost(app, client, brand, token)
    assert (few[0], many[0]) == (2, 8)
    assert many[1] == few[1]


def _cost(client: Any, brand: Any, path: str, token: str) -> tuple[int, int]:
    with counted() as statements:
        response = call(client, brand, path, token)
    assert response.status_code == 200
    return len(response.json["data"]), len(statements)


def _promotion(client: Any, brand: Any, token: str, plan_code: str) -> None:
    body = {"code": plan_code, "name": "Offer", "kind": "percent", "value": "10", "plan": plan_code}
    response = call(client, brand, "/promotions", token, "POST", json=body)
    assert response.status_code == 201


def test_listing_plans_and_promotions_does_not_query_once_per_product_or_plan(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    call(client, brand, "/brand", token)  # its first use is recorded, once a minute at most
    for product in ("mobile", "home"):
        _promotion(client, brand, token, make.plan(brand, product=product).code)
    few = _cost(client, brand, "/plans", token), _cost(client, brand, "/promotions", token)
    for product in ("fibre", "tv", "iot", "roaming"):
        _promotion(client, brand, token, make.plan(brand, product=product).code)
    many = _cost(client, brand, "/plans", token), _cost(client, brand, "/promotions", token)
    assert [(f[0], m[0]) for f, m in zip(few, many, strict=True)] == [(2, 6), (2, 6)]
    assert [m[1] for m in many] == [f[1] for f in few]


def test_a_listed_subscription_reads_as_it_does_alone(app: Any, client: Any, make: Any) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand, API_SCOPES)
    plan = make.plan(brand, components=recurring("20.00"))
    cheaper = make.plan(brand, components=recurring("5.00"))
    extra = make.plan(brand, kind="addon", components=recurring("3.00"))
    data = make.plan(brand, kind="addon", components=recurring("1.00"))
    body = {"code": "welcome", "name": "Welcome", "kind": "percent", "value": "10"}
    promoted = body | {"plan": plan.code, "promo_code": "WELCOME"}
    assert call(client, brand, "/promotions", token, "POST", json=promoted).status_code == 201
    person = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, plan.version_id)
        sub = subs.subscribe(session, session.get(User, person.id), version, promo_code="WELCOME")
        for addon in (data, extra):
            subs.add_addon(session, sub, session.get(PlanVersion, addon.version_id))
        subs.change_plan(session, sub, session.get(PlanVersion, cheaper.version_id))
        subs.cancel(session, make_other(session, brand, person, version), reason="moved")
        ident = sub.id
    listed = call(client, brand, "/subscriptions", token).json["data"]
    assert len(listed) == 2
    for item in listed:
        assert item == call(client, brand, f"/subscriptions/{item['id']}", token).json
    mine = next(i for i in listed if i["id"] == ident)
    assert mine["promotion"]["code"] == "welcome" and len(mine["addons"]) == 2
    assert [e["kind"] for e in mine["scheduled"]] == ["plan_changed"]


def make_other(session: Any, brand: Any, person: Any, version: Any) -> Any:
    """A second line of the same person, to be cancelled (a listed line without a period)."""
    return subs.subscribe(session, session.get(User, person.id), version)
