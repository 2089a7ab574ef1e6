"""Importing a plan from a Lago plan object through the API: a draft to check, refusals by name."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from saas.catalog.pricing import parse_charge, quote
from tests.conftest import call, issue_key
from tests.integration.test_api import assert_documented, assert_problem
from tests.unit.test_lago_import import LAGO_PLAN as LAGO_DOCS_PLAN

PATH = "/plans/import/lago"

# A plan as Lago's documentation shows it (without its {"plan": ...} wrapper).
LAGO_PLAN: dict[str, Any] = copy.deepcopy(LAGO_DOCS_PLAN["plan"])


def lago(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(LAGO_PLAN) | changes


def request(plan: Any = None, **members: Any) -> dict[str, Any]:
    return {"product": "mobile", "plan": lago() if plan is None else plan} | members


@pytest.fixture
def brand(make: Any) -> Any:
    """A brand with the standard metrics, a product `mobile` and one published plan."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    brand["seed_plan"] = make.plan(brand, name="Seed")
    return brand


@pytest.fixture
def token(app: Any, brand: Any) -> str:
    return issue_key(app, brand, ("catalog.read", "catalog.write"))[0]


def post(client: Any, brand: Any, token: str, body: Any, path: str = PATH) -> Any:
    return call(client, brand, path, token, "POST", json=body)


def plan_codes(client: Any, brand: Any, token: str) -> list[str]:
    return [p["code"] for p in call(client, brand, "/plans", token).get_json()["data"]]


def test_a_lago_plan_imports_as_an_unpublished_draft_with_its_fee_and_charges(
    client: Any, brand: Any, token: str
) -> None:
    assert_documented(request(), "LagoPlanImport")
    response = post(client, brand, token, request())
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    assert_documented(answer, "ImportedPlan")
    assert response.headers["Location"].endswith(f"/api/v1/plans/{answer['id']}")
    (version,) = answer["versions"]
    assert (version["number"], version["status"]) == (1, "draft")
    assert answer["draft_version_id"] == version["id"] and answer["published_version_id"] is None
    assert (answer["code"], answer["name"], answer["currency"]) == ("startup", "Startup", "EUR")
    fee, data, voice = version["components"]
    assert (fee["code"], fee["kind"], fee["amount"], fee["timing"]) == (
        "subscription_fee",
        "recurring",
        "49.99",
        "advance",
    )
    assert [(c["kind"], c["metric"]) for c in (data, voice)] == [
        ("usage", "data_mb"),
        ("usage", "voice_minutes"),
    ]
    assert data["charge"] == parse_charge(LAGO_PLAN["charges"][0]).to_json()
    shown = call(client, brand, f"/plans/{answer['id']}", token).get_json()
    assert shown == {k: v for k, v in answer.items() if k != "not_carried"}


def test_an_imported_usage_charge_quotes_as_the_engine_prices_the_lago_charge(
    client: Any, brand: Any, token: str
) -> None:
    version = post(client, brand, token, request()).get_json()["versions"][0]
    voice = next(c for c in version["components"] if c.get("metric") == "voice_minutes")
    quoted = post(
        client, brand, token, {"charge": voice["charge"], "units": "15"}, "/pricing/quote"
    )
    assert quoted.status_code == 200
    engine = quote(parse_charge(LAGO_PLAN["charges"][1]), Decimal(15))
    assert Decimal(quoted.get_json()["amount"]) == engine.amount == Decimal("17")


def test_labels_and_taxes_the_plan_does_not_carry_are_listed(
    client: Any, brand: Any, token: str
) -> None:
    plan = lago()
    plan["charges"][0]["tax_codes"] = ["reduced"]
    answer = post(client, brand, token, request(plan)).get_json()
    assert answer["not_carried"] == ["invoice_display_name", "tax_codes", "charges/0/tax_codes"]


def test_the_brands_currency_is_used_when_the_lago_plan_names_none(
    make: Any, app: Any, client: Any
) -> None:
    brand = make.brand(currency="PLN")
    make.plan(brand)
    token = issue_key(app, brand, ("catalog.write",))[0]
    plan = {k: v for k, v in lago().items() if k != "amount_currency"}
    answer = post(client, brand, token, request(plan)).get_json()
    assert answer["currency"] == "PLN"
    assert answer["versions"][0]["components"][0]["amount"] == "49.99"


def test_kind_and_payment_override_what_lago_cannot_say(
    client: Any, brand: Any, token: str
) -> None:
    answer = post(client, brand, token, request(kind="addon", payment="prepaid")).get_json()
    assert (answer["kind"], answer["payment"]) == ("addon", "prepaid")


def test_lagos_own_wrapper_around_the_plan_is_read_too(client: Any, brand: Any, token: str) -> None:
    body = request({"plan": lago(code="wrapped")})
    assert_documented(body, "LagoPlanImport")
    response = post(client, brand, token, body)
    assert response.status_code == 201 and response.get_json()["code"] == "wrapped"


def test_an_existing_plan_code_is_refused(client: Any, brand: Any, token: str) -> None:
    taken = post(client, brand, token, request(lago(code=brand.seed_plan.code)))
    assert "exists already" in assert_problem(taken, 409)["detail"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"trial_period": 14}, "trial_period"),
        ({"minimum_commitment": {"amount_cents": 100000}}, "minimum_commitment"),
        ({"interval": "daily"}, "billing interval"),
    ],
)
def test_what_would_change_the_price_is_refused_by_name_and_nothing_is_created(
    client: Any, brand: Any, token: str, change: dict[str, Any], named: str
) -> None:
    refused = assert_problem(post(client, brand, token, request(lago(**change))), 409)
    assert named in refused["detail"] and "startup" in refused["detail"]
    assert "startup" not in plan_codes(client, brand, token)


def test_an_unknown_billable_metric_is_refused_naming_the_metric(
    client: Any, brand: Any, token: str
) -> None:
    plan = lago()
    plan["charges"][1]["billable_metric_code"] = "api_calls"
    refused = assert_problem(post(client, brand, token, request(plan)), 409)
    assert "api_calls" in refused["detail"]
    assert "startup" not in plan_codes(client, brand, token)


@pytest.mark.parametrize(
    ("body", "pointers"),
    [
        ({"plan": LAGO_PLAN}, {"/product"}),
        ({"product": "mobile"}, {"/plan"}),
        ({"product": "mobile", "plan": [LAGO_PLAN]}, {"/plan"}),
        (request(product="Not A Code"), {"/product"}),
        (request(kind="bundle", payment="later"), {"/kind", "/payment"}),
        (request(colour="red"), {"/colour"}),
        (request({"plan": "startup"}), {"/plan/plan"}),
        (request(lago(charges={"not": "a list"})), {"/plan/charges"}),
        (request(lago(charges=["data_mb"])), {"/plan/charges/0"}),
        (request(lago(minimum_commitment=100)), {"/plan/minimum_commitment"}),
    ],
)
def test_a_badly_shaped_body_names_each_member_by_pointer(
    client: Any, brand: Any, token: str, body: dict[str, Any], pointers: set[str]
) -> None:
    errors = assert_problem(post(client, brand, token, body), 422)["errors"]
    assert {e["pointer"] for e in errors} == pointers


def test_a_charge_whose_properties_are_not_an_object_names_it(
    client: Any, brand: Any, token: str
) -> None:
    plan = lago()
    plan["charges"][1]["properties"] = "graduated"
    errors = assert_problem(post(client, brand, token, request(plan)), 422)["errors"]
    assert [e["pointer"] for e in errors] == ["/plan/charges/1/properties"]


def test_importing_needs_the_catalog_write_scope(app: Any, client: Any, brand: Any) -> None:
    token = issue_key(app, brand, ("catalog.read",))[0]
    refused = assert_problem(post(client, brand, token, request()), 403)
    assert "catalog.write" in refused["detail"]


def test_a_product_only_another_brand_has_does_not_exist_here(
    make: Any, app: Any, client: Any, brand: Any, token: str
) -> None:
    other = make.brand()
    make.plan(other, product="tv")
    refused = assert_problem(post(client, brand, token, request(product="tv")), 409)
    assert refused["detail"] == 'product "tv": does not exist'
    assert refused["code"] == "catalog.missing"
    other_token = issue_key(app, other, ("catalog.read",))[0]
    assert "startup" not in plan_codes(client, brand, token) + plan_codes(
        client, other, other_token
    )
