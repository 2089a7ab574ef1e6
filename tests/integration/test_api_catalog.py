"""The catalogue API: the pricing quote, plans and their versions, promotions, migrations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

from saas.catalog.pricing import ChargeError, parse_charge, quote
from tests.conftest import api_post, call, in_brand, issue_key, recurring
from tests.integration.test_api import assert_documented, assert_problem

CATALOG = ("catalog.read", "catalog.write")

GRADUATED = {
    "charge_model": "graduated",
    "properties": {
        "graduated_ranges": [
            {"from_value": 0, "to_value": 1000, "per_unit_amount": "0.01", "flat_amount": "0"},
            {"from_value": 1001, "to_value": None, "per_unit_amount": "0.005", "flat_amount": "2"},
        ]
    },
}


def new_plan(code: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, "name": code.title(), "product": "mobile"} | fields


@pytest.fixture
def brand(make: Any) -> Any:
    """A brand with the standard metrics, a product `mobile` and one published plan."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    brand["seed_plan"] = make.plan(brand, name="Seed")
    return brand


@pytest.fixture
def token(app: Any, brand: Any) -> str:
    return issue_key(app, brand, CATALOG)[0]


@pytest.fixture
def other(make: Any) -> Any:
    """A second brand with a plan, a draft version, a promotion and a migration of its own."""
    brand = make.brand()
    brand["plan"] = make.plan(brand, name="Theirs")
    return brand


def create(client: Any, brand: Any, token: str, body: dict[str, Any]) -> Any:
    response = call(client, brand, "/plans", token, "POST", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


# The pricing quote


def test_the_quote_prices_a_graduated_charge_exactly_as_the_engine(
    client: Any, brand: Any, token: str
) -> None:
    body = {"charge": GRADUATED, "units": "1500", "currency": "EUR"}
    response = api_post(client, brand, "/pricing/quote", token, body)
    assert response.status_code == 200
    answer = response.get_json()
    assert_documented(answer, "Quote")
    assert answer == quote(parse_charge(GRADUATED), Decimal(1500)).to_json("EUR")
    assert (answer["amount"], answer["amount_rounded"]) == ("14.5", "14.50")
    assert [line["amount"] for line in answer["lines"]] == ["10", "4.5"]


def test_the_quote_answers_what_the_pricing_command_prints(
    client: Any, brand: Any, token: str
) -> None:
    from saas.cli.pricing import quote_command

    args = ["--charge", json.dumps(GRADUATED), "--units", "1500", "--currency", "PLN"]
    printed = CliRunner().invoke(quote_command, args)
    assert printed.exit_code == 0, printed.output
    body = {"charge": GRADUATED, "units": "1500", "currency": "PLN"}
    assert api_post(client, brand, "/pricing/quote", token, body).get_json() == json.loads(
        printed.output
    )


def test_a_quote_without_a_currency_has_no_rounded_amount(
    client: Any, brand: Any, token: str
) -> None:
    answer = api_post(client, brand, "/pricing/quote", token, {"charge": GRADUATED, "units": 10})
    assert answer.get_json()["amount"] == "0.1" and "amount_rounded" not in answer.get_json()


def test_a_bad_charge_is_refused_with_the_engines_reason_at_its_value(
    client: Any, brand: Any, token: str
) -> None:
    broken = json.loads(json.dumps(GRADUATED))
    broken["properties"]["graduated_ranges"][1]["from_value"] = 999  # overlaps the first range
    with pytest.raises(ChargeError) as engine:
        parse_charge(broken)
    response = api_post(client, brand, "/pricing/quote", token, {"charge": broken, "units": "5"})
    errors = assert_problem(response, 422)["errors"]
    assert errors == [
        {
            "pointer": "/charge/properties/graduated_ranges/1/from_value",
            "code": engine.value.code,
            "message": engine.value.reason,
        }
    ]


@pytest.mark.parametrize(
    "body, pointer",
    [
        ({"charge": GRADUATED, "units": 1500.0}, "/units"),
        ({"charge": GRADUATED, "units": "-1"}, "/units"),
        (
            {"charge": {"charge_model": "standard", "properties": {"amount": 0.1}}, "units": "1"},
            "/charge/properties/amount",
        ),
        (
            {"charge": {"charge_model": "magic", "properties": {}}, "units": "1"},
            "/charge/charge_model",
        ),
        ({"charge": GRADUATED, "units": "1", "currency": "XXY"}, "/currency"),
        ({"units": "1"}, "/charge"),
        ({"charge": GRADUATED, "units": "1", "extra": 1}, "/extra"),
    ],
)
def test_a_bad_quote_request_names_the_member(
    client: Any, brand: Any, token: str, body: dict[str, Any], pointer: str
) -> None:
    errors = assert_problem(api_post(client, brand, "/pricing/quote", token, body), 422)["errors"]
    assert pointer in [e["pointer"] for e in errors]


GIGABYTES = {
    "charge_model": "graduated",
    "properties": {
        "graduated_ranges": [
            {"from_value": 0, "to_value": "0.1", "per_unit_amount": "0", "flat_amount": "2"},
            {"from_value": "0.1", "to_value": None, "per_unit_amount": "10", "flat_amount": "0"},
        ]
    },
}


@pytest.mark.parametrize(
    "units, amount, lines",
    [("0", "2", ["2"]), ("0.1", "2", ["2"]), ("0.125", "2.25", ["2", "0.25"])],
)
def test_the_quote_prices_decimal_bounds_exactly_and_a_first_flat_fee_without_usage(
    client: Any, brand: Any, token: str, units: str, amount: str, lines: list[str]
) -> None:
    body = {"charge": GIGABYTES, "units": units, "currency": "EUR"}
    response = api_post(client, brand, "/pricing/quote", token, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert_documented(answer, "Quote")
    assert answer == quote(parse_charge(GIGABYTES), Decimal(units)).to_json("EUR")
    assert answer["amount"] == amount
    assert [line["amount"] for line in answer["lines"]] == lines
    assert [line["to_value"] for line in answer["lines"]][:1] == ["0.1"]


def test_a_decimal_bound_that_leaves_a_gap_is_refused_at_its_member(
    client: Any, brand: Any, token: str
) -> None:
    ranges = GIGABYTES["properties"]["graduated_ranges"]
    gap = [ranges[0], {**ranges[1], "from_value": "1.1"}]
    charge = {"charge_model": "graduated", "properties": {"graduated_ranges": gap}}
    body = {"charge": charge, "units": "1"}
    (error,) = assert_problem(api_post(client, brand, "/pricing/quote", token, body), 422)["errors"]
    assert error["pointer"] == "/charge/properties/graduated_ranges/1/from_value"
    assert "0.1" in error["message"]


PERCENTAGE = {"charge_model": "percentage", "properties": {"rate": "1", "fixed_amount": "0.10"}}


def test_a_percentage_quote_reads_events_and_transactions_like_the_engine(
    client: Any, brand: Any, token: str
) -> None:
    body = {"charge": PERCENTAGE, "units": "300", "events": 2, "transactions": ["100", "200"]}
    answer = api_post(client, brand, "/pricing/quote", token, body).get_json()
    expected = quote(
        parse_charge(PERCENTAGE), Decimal(300), events=2, transactions=[Decimal(100), Decimal(200)]
    )
    assert answer == expected.to_json()


CLAMPED = {
    "charge_model": "percentage",
    "properties": {"rate": "1", "fixed_amount": "0.10", "per_transaction_min_amount": "0.50"},
}


@pytest.mark.parametrize("extra, amount", [({}, "0"), ({"events": 2}, "1")])
def test_a_percentage_quote_without_usage_needs_no_transactions(
    client: Any, brand: Any, token: str, extra: dict[str, Any], amount: str
) -> None:
    body = {"charge": CLAMPED, "units": "0", **extra}
    response = api_post(client, brand, "/pricing/quote", token, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["amount"] == amount  # two events of 0 each pay the minimum


@pytest.mark.parametrize(
    "extra, pointer",
    [
        ({"events": -1}, "/events"),
        ({"events": 1.0}, "/events"),
        ({"transactions": ["100", "100"]}, "/transactions"),
        ({"transactions": ["100", 200.0]}, "/transactions/1"),
        ({"events": 3, "transactions": ["100", "200"]}, "/events"),
    ],
)
def test_bad_usage_for_a_percentage_quote_names_the_member(
    client: Any, brand: Any, token: str, extra: dict[str, Any], pointer: str
) -> None:
    body = {"charge": PERCENTAGE, "units": "300", **extra}
    errors = assert_problem(api_post(client, brand, "/pricing/quote", token, body), 422)["errors"]
    assert [e["pointer"] for e in errors] == [pointer]


def test_floats_are_refused_with_a_reason_saying_so(client: Any, brand: Any, token: str) -> None:
    response = api_post(client, brand, "/pricing/quote", token, {"charge": GRADUATED, "units": 1.5})
    (error,) = assert_problem(response, 422)["errors"]
    assert (error["pointer"], error["code"]) == ("/units", "decimal_as_text")
    assert "floats" in error["message"]


def test_a_float_deep_in_a_plan_is_refused_at_its_pointer_in_german(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de", "en"])
    make.plan(brand)
    token = issue_key(app, brand, CATALOG)[0]
    fees = [*recurring("9.99"), {"code": "sim", "kind": "one_time", "amount": 4.99}]
    response = call(client, brand, "/plans", token, "POST", json=new_plan("f", components=fees))
    (error,) = assert_problem(response, 422)["errors"]
    assert (error["pointer"], error["code"]) == ("/components/1/amount", "decimal_as_text")
    assert error["message"].startswith("Schreiben Sie die Dezimalzahl als Text")


def test_the_engines_refusal_keeps_its_code_and_speaks_german(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    token = issue_key(app, brand, CATALOG)[0]
    charge = {"charge_model": "standard", "properties": {"amount": "-1"}}
    response = api_post(client, brand, "/pricing/quote", token, {"charge": charge, "units": "1"})
    (error,) = assert_problem(response, 422)["errors"]
    assert (error["pointer"], error["code"]) == ("/charge/properties/amount", "charge.negative")
    assert error["message"] == "darf nicht negativ sein, erhalten: -1"


def test_the_quote_needs_the_catalog_read_scope(app: Any, client: Any, brand: Any) -> None:
    token = issue_key(app, brand, ("brand.read",))[0]
    body = {"charge": GRADUATED, "units": "1"}
    assert (
        "catalog.read"
        in assert_problem(api_post(client, brand, "/pricing/quote", token, body), 403)["detail"]
    )


# Metrics and products


def test_metrics_are_listed_and_a_new_one_is_added(client: Any, brand: Any, token: str) -> None:
    response = api_post(
        client, brand, "/metrics", token, {"code": "roaming_mb", "name": "Roaming", "unit": "MB"}
    )
    assert response.status_code == 201
    assert_documented(response.get_json(), "Metric")
    page = call(client, brand, "/metrics", token).get_json()
    assert_documented(page, "MetricPage")
    assert {"voice_minutes", "sms", "data_mb", "roaming_mb"} <= {m["code"] for m in page["data"]}
    again = api_post(client, brand, "/metrics", token, {"code": "roaming_mb", "unit": "MB"})
    assert "exists already" in assert_problem(again, 409)["detail"]


def test_a_bad_metric_names_its_members(client: Any, brand: Any, token: str) -> None:
    response = api_post(client, brand, "/metrics", token, {"code": "Bad Code", "unit": ""})
    errors = assert_problem(response, 422)["errors"]
    assert {e["pointer"] for e in errors} == {"/code", "/unit"}


def test_products_are_listed(client: Any, brand: Any, token: str) -> None:
    page = call(client, brand, "/products", token).get_json()
    assert_documented(page, "ProductPage")
    assert [p["code"] for p in page["data"]] == ["mobile"]


# Plans and versions


def test_creating_a_plan_makes_a_draft_first_version_and_answers_its_location(
    client: Any, brand: Any, token: str
) -> None:
    usage = {"code": "data", "kind": "usage", "metric": "data_mb", "charge": GRADUATED}
    body = new_plan(
        "basic",
        components=[*recurring("9.99"), usage],
        allowances=[
            {"metric": "sms", "quantity": "unlimited"},
            {"metric": "voice_minutes", "quantity": "300", "rollover": True},
        ],
    )
    response = call(client, brand, "/plans", token, "POST", json=body)
    assert response.status_code == 201
    plan = response.get_json()
    assert_documented(plan, "Plan")
    assert response.headers["Location"].endswith(f"/api/v1/plans/{plan['id']}")
    (version,) = plan["versions"]
    assert (version["number"], version["status"]) == (1, "draft")
    assert plan["draft_version_id"] == version["id"] and plan["published_version_id"] is None
    assert version["components"][0] == {
        "code": "base",
        "name": "Monthly fee",
        "kind": "recurring",
        "amount": "9.99",
        "timing": "advance",
        "prorate": True,
    }
    assert version["components"][1]["charge"] == parse_charge(GRADUATED).to_json()
    assert version["allowances"][0] == {
        "metric": "sms",
        "quantity": "unlimited",
        "rollover": False,
        "shared": False,
    }
    assert call(client, brand, f"/plans/{plan['id']}", token).get_json() == plan


def test_plan_validation_errors_point_at_the_member(client: Any, brand: Any, token: str) -> None:
    body = new_plan(
        "pointy",
        kind="gadget",
        components=[{"code": "base", "kind": "recurring", "amount": 9.99}, "nope"],
        allowances=[{"metric": "sms", "quantity": "lots"}],
        colour="red",
    )
    errors = assert_problem(call(client, brand, "/plans", token, "POST", json=body), 422)["errors"]
    assert {(e["pointer"], e["code"]) for e in errors} == {
        ("/colour", "unknown_member"),
        ("/kind", "not_one_of"),
        ("/components/0/amount", "decimal_as_text"),
        ("/components/1", "not_object"),
        ("/allowances/0/quantity", "catalog.not_a_number"),
    }


def test_a_plan_needs_a_code_a_name_and_a_product(client: Any, brand: Any, token: str) -> None:
    errors = assert_problem(call(client, brand, "/plans", token, "POST", json={}), 422)["errors"]
    assert {e["pointer"] for e in errors} == {"/code", "/name", "/product"}


def test_an_unknown_product_or_a_taken_code_is_refused_by_name(
    client: Any, brand: Any, token: str
) -> None:
    unknown = call(client, brand, "/plans", token, "POST", json=new_plan("x", product="tv"))
    problem = assert_problem(unknown, 409)
    assert (problem["code"], problem["detail"]) == (
        "catalog.missing",
        'product "tv": does not exist',
    )
    taken = call(client, brand, "/plans", token, "POST", json=new_plan(brand.seed_plan.code))
    assert "exists already" in assert_problem(taken, 409)["detail"]


def test_plans_come_in_pages_and_by_kind(client: Any, brand: Any, token: str) -> None:
    create(client, brand, token, new_plan("boost", kind="addon", components=recurring("2.00")))
    create(client, brand, token, new_plan("second", components=recurring("5.00")))
    first = call(client, brand, "/plans", token, query_string={"limit": 2}).get_json()
    assert_documented(first, "PlanPage")
    rest = call(client, brand, "/plans", token, query_string={"cursor": first["next_cursor"]})
    codes = [p["code"] for p in first["data"] + rest.get_json()["data"]]
    assert codes == [brand.seed_plan.code, "boost", "second"]
    addons = call(client, brand, "/plans", token, query_string={"kind": "addon"}).get_json()
    assert [p["code"] for p in addons["data"]] == ["boost"]
    bad = call(client, brand, "/plans", token, query_string={"kind": "gadget"})
    assert assert_problem(bad, 422)["errors"] == [
        {"parameter": "kind", "code": "not_one_of", "message": "Must be one of plan, addon."}
    ]


def test_a_plans_name_and_tax_category_change_but_not_its_code(
    client: Any, brand: Any, token: str
) -> None:
    path = f"/plans/{brand.seed_plan.id}"
    changed = call(
        client, brand, path, token, "PATCH", json={"name": "Renamed", "tax_category": "reduced"}
    )
    assert changed.status_code == 200
    assert (changed.get_json()["name"], changed.get_json()["tax_category"]) == (
        "Renamed",
        "reduced",
    )
    refused = call(
        client, brand, path, token, "PATCH", json={"code": "new", "tax_category": "zero"}
    )
    assert {e["pointer"] for e in assert_problem(refused, 422)["errors"]} == {
        "/code",
        "/tax_category",
    }
    refused = call(client, brand, path, token, "PATCH", json={"tax_category": "zero"})
    assert {e["pointer"] for e in assert_problem(refused, 422)["errors"]} == {"/tax_category"}


def test_a_draft_is_editable_and_a_published_version_is_not(
    client: Any, brand: Any, token: str
) -> None:
    plan = create(client, brand, token, new_plan("editable", components=recurring("10.00")))
    path = f"/plan-versions/{plan['draft_version_id']}"
    contents = {
        "components": recurring("12.00"),
        "allowances": [{"metric": "sms", "quantity": "100"}],
        "billing_interval": "quarterly",
    }
    edited = call(client, brand, path, token, "PUT", json=contents)
    assert edited.status_code == 200
    assert_documented(edited.get_json(), "PlanVersion")
    assert Decimal(edited.get_json()["recurring_total"]) == Decimal("12.00")
    assert edited.get_json()["billing_interval"] == "quarterly"
    assert api_post(client, brand, f"{path}/publish", token).get_json()["status"] == "published"
    refused = call(client, brand, path, token, "PUT", json=contents)
    assert "version 1: is published" in assert_problem(refused, 409)["detail"]
    assert Decimal(call(client, brand, path, token).get_json()["recurring_total"]) == 12


def test_new_contents_are_checked_member_by_member(client: Any, brand: Any, token: str) -> None:
    plan = create(client, brand, token, new_plan("checked", components=recurring("10.00")))
    path = f"/plan-versions/{plan['draft_version_id']}"
    body = {
        "components": [{"code": "base", "kind": "recurring", "amount": "1", "prorate": "no"}],
        "allowances": [],
        "billing_interval": "daily",
    }
    errors = assert_problem(call(client, brand, path, token, "PUT", json=body), 422)["errors"]
    assert {e["pointer"] for e in errors} == {"/components/0/prorate", "/billing_interval"}
    unknown_metric = {"components": [], "allowances": [{"metric": "fax_pages", "quantity": "5"}]}
    refused = call(client, brand, path, token, "PUT", json=unknown_metric)
    problem = assert_problem(refused, 409)
    assert problem["code"] == "catalog.unknown_metric"
    assert 'metric "fax_pages" does not exist' in problem["detail"]


def test_publishing_archives_the_previous_version_and_its_subscribers_stay_on_it(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    from saas.subscriptions.models import Subscription

    seed = brand.seed_plan
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, seed.version_id)
    draft = api_post(client, brand, f"/plans/{seed.id}/versions", token)
    assert draft.status_code == 201
    assert draft.headers["Location"].endswith(f"/api/v1/plan-versions/{draft.get_json()['id']}")
    assert draft.get_json()["number"] == 2
    assert Decimal(draft.get_json()["components"][0]["amount"]) == 10
    path = f"/plan-versions/{draft.get_json()['id']}"
    call(
        client, brand, path, token, "PUT", json={"components": recurring("15.00"), "allowances": []}
    )
    assert api_post(client, brand, f"{path}/publish", token).status_code == 200
    plan = call(client, brand, f"/plans/{seed.id}", token).get_json()
    assert [v["status"] for v in plan["versions"]] == ["archived", "published"]
    assert plan["published_version_id"] == draft.get_json()["id"]
    with in_brand(app, brand.id) as session:
        assert session.get(Subscription, sub.id).plan_version_id == seed.version_id


def test_a_second_draft_is_refused_and_a_draft_can_be_discarded(
    client: Any, brand: Any, token: str
) -> None:
    seed = brand.seed_plan
    draft = api_post(client, brand, f"/plans/{seed.id}/versions", token).get_json()
    again = api_post(client, brand, f"/plans/{seed.id}/versions", token)
    assert "is a draft already" in assert_problem(again, 409)["detail"]
    assert call(client, brand, f"/plan-versions/{draft['id']}", token, "DELETE").status_code == 204
    assert_problem(call(client, brand, f"/plan-versions/{draft['id']}", token), 404)
    only = call(client, brand, f"/plan-versions/{seed.version_id}", token, "DELETE")
    assert "is published" in assert_problem(only, 409)["detail"]


def test_archiving_stops_the_sale_once(client: Any, brand: Any, token: str) -> None:
    path = f"/plan-versions/{brand.seed_plan.version_id}/archive"
    assert api_post(client, brand, path, token).get_json()["status"] == "archived"
    assert "is archived" in assert_problem(api_post(client, brand, path, token), 409)["detail"]


def test_changing_the_catalogue_needs_the_write_scope(app: Any, client: Any, brand: Any) -> None:
    token = issue_key(app, brand, ("catalog.read",))[0]
    assert call(client, brand, "/plans", token).status_code == 200
    response = call(client, brand, "/plans", token, "POST", json=new_plan("nope"))
    assert "catalog.write" in assert_problem(response, 403)["detail"]


# Promotions


def test_promotions_are_added_listed_and_switched_off(client: Any, brand: Any, token: str) -> None:
    body = {
        "code": "spring",
        "name": "Spring",
        "kind": "percent",
        "value": "20",
        "duration": "repeating",
        "cycles": 3,
        "promo_code": "spring26",
        "plan": brand.seed_plan.code,
    }
    created = api_post(client, brand, "/promotions", token, body)
    assert created.status_code == 201
    promotion = created.get_json()
    assert_documented(promotion, "Promotion")
    assert (promotion["promo_code"], promotion["value"], promotion["plan"]) == (
        "SPRING26",
        "20",
        brand.seed_plan.code,
    )
    page = call(client, brand, "/promotions", token).get_json()
    assert_documented(page, "PromotionPage")
    assert [p["code"] for p in page["data"]] == ["spring"]
    path = f"/promotions/{promotion['id']}"
    off = call(client, brand, path, token, "PATCH", json={"active": False})
    assert off.get_json()["active"] is False
    bad = call(client, brand, path, token, "PATCH", json={"active": "no"})
    assert assert_problem(bad, 422)["errors"][0]["pointer"] == "/active"


def test_a_bad_promotion_names_the_member(client: Any, brand: Any, token: str) -> None:
    body = {"code": "x", "name": "X", "kind": "percent", "value": "20", "valid_from": "tomorrow"}
    errors = assert_problem(api_post(client, brand, "/promotions", token, body), 422)["errors"]
    assert [e["pointer"] for e in errors] == ["/valid_from"]
    body = {"code": "x", "name": "X", "kind": "percent", "value": 20.5}
    assert (
        assert_problem(api_post(client, brand, "/promotions", token, body), 422)["errors"][0][
            "pointer"
        ]
        == "/value"
    )


@pytest.mark.parametrize(
    "extra, pointer",
    [({"currency": "EURO"}, "/currency"), ({"component": "x" * 65}, "/component")],
)
def test_a_promotion_member_its_column_cannot_hold_is_named(
    client: Any, brand: Any, token: str, extra: dict[str, Any], pointer: str
) -> None:
    body = {"code": "long", "name": "Long", "kind": "fixed", "value": "1", "currency": "eur"}
    errors = assert_problem(api_post(client, brand, "/promotions", token, body | extra), 422)[
        "errors"
    ]
    assert [e["pointer"] for e in errors] == [pointer]
    assert api_post(client, brand, "/promotions", token, body).status_code == 201


# Migrations


def _second_version(client: Any, brand: Any, token: str, amount: str) -> int:
    draft = api_post(client, brand, f"/plans/{brand.seed_plan.id}/versions", token).get_json()
    path = f"/plan-versions/{draft['id']}"
    call(
        client, brand, path, token, "PUT", json={"components": recurring(amount), "allowances": []}
    )
    api_post(client, brand, f"{path}/publish", token)
    return int(draft["id"])


def test_a_migration_is_previewed_without_writing_then_scheduled_audited_and_cancelled(
    app: Any, client: Any, make: Any, brand: Any, token: str
) -> None:
    from saas.identity import audit
    from saas.subscriptions.models import SubscriptionEvent

    seed = brand.seed_plan
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, seed.version_id, datetime(2026, 3, 10, 9, tzinfo=UTC))
    newer = _second_version(client, brand, token, "12.00")
    body = {"from_version_id": seed.version_id, "to_version_id": newer}
    preview = api_post(client, brand, "/plan-migrations/preview", token, body)
    assert preview.status_code == 200
    assert_documented(preview.get_json(), "MigrationPreview")
    (row,) = preview.get_json()["subscriptions"]
    assert (row["subscription_id"], row["subscriber_id"]) == (sub.id, person.id)
    assert [Decimal(row[k]) for k in ("current_per_period", "new_per_period")] == [10, 12]
    listed = call(client, brand, f"/plans/{seed.id}/migrations", token).get_json()
    assert listed == {"data": []}
    scheduled = api_post(client, brand, "/plan-migrations", token, body)
    assert scheduled.status_code == 201
    migration = scheduled.get_json()
    assert_documented(migration, "PlanMigration")
    assert (migration["affected"], migration["status"]) == (1, "scheduled")
    listed = call(client, brand, f"/plans/{seed.id}/migrations", token).get_json()
    assert_documented(listed, "PlanMigrationList")
    assert [m["id"] for m in listed["data"]] == [migration["id"]]
    cancelled = api_post(client, brand, f"/plan-migrations/{migration['id']}/cancel", token)
    assert cancelled.get_json()["status"] == "cancelled"
    again = api_post(client, brand, f"/plan-migrations/{migration['id']}/cancel", token)
    problem = assert_problem(again, 409)
    assert problem["code"] == "subscription.migration_cancelled"
    assert problem["detail"] == f"migration {migration['id']}: was cancelled"
    with in_brand(app, brand.id) as session:
        actions = [e.action for e in audit.recent(session, object_type="plan")]
        assert {"plan.migration.schedule", "plan.migration.cancel"} <= set(actions)
        moves = session.query(SubscriptionEvent).filter_by(kind="migrated").all()
        assert [m.state for m in moves] == ["revoked"]


def test_a_migration_onto_a_draft_is_refused(client: Any, brand: Any, token: str) -> None:
    draft = api_post(client, brand, f"/plans/{brand.seed_plan.id}/versions", token).get_json()
    body = {"from_version_id": brand.seed_plan.version_id, "to_version_id": draft["id"]}
    assert (
        "is not published"
        in assert_problem(api_post(client, brand, "/plan-migrations", token, body), 409)["detail"]
    )
    errors = assert_problem(
        api_post(client, brand, "/plan-migrations", token, {"from_version_id": "1"}), 422
    )["errors"]
    assert {e["pointer"] for e in errors} == {"/from_version_id", "/to_version_id"}


# Another brand's ids


def foreign_ids(app: Any, other: Any) -> dict[str, int]:
    """A draft version, a promotion and a migration of the other brand, by kind."""
    from saas.catalog import models as M
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec
    from saas.subscriptions import migrations

    with in_brand(app, other.id) as session:
        plan = session.get(M.Plan, other.plan.id)
        draft = catalog.new_draft(session, plan)
        spec = PromotionSpec.parse(
            {"code": "theirs", "name": "Theirs", "kind": "percent", "value": "5"}
        )
        promotion = catalog.create_promotion(session, spec)
        catalog.publish(session, draft)
        move = migrations.schedule(
            session, session.get(M.PlanVersion, other.plan.version_id), draft
        )
        newer = catalog.new_draft(session, plan)
        return {
            "plan": plan.id,
            "version": other.plan.version_id,
            "draft": newer.id,
            "promotion": promotion.id,
            "migration": move.id,
        }


def test_another_brands_catalogue_ids_are_not_found(
    app: Any, client: Any, brand: Any, token: str, other: Any
) -> None:
    ids = foreign_ids(app, other)
    contents = {"components": recurring("1.00"), "allowances": []}
    requests = [
        ("GET", f"/plans/{ids['plan']}", None),
        ("PATCH", f"/plans/{ids['plan']}", {"name": "Mine now"}),
        ("POST", f"/plans/{ids['plan']}/versions", None),
        ("GET", f"/plans/{ids['plan']}/migrations", None),
        ("GET", f"/plan-versions/{ids['draft']}", None),
        ("PUT", f"/plan-versions/{ids['draft']}", contents),
        ("POST", f"/plan-versions/{ids['draft']}/publish", None),
        ("POST", f"/plan-versions/{ids['version']}/archive", None),
        ("DELETE", f"/plan-versions/{ids['draft']}", None),
        ("PATCH", f"/promotions/{ids['promotion']}", {"active": False}),
        ("POST", f"/plan-migrations/{ids['migration']}/cancel", None),
        (
            "POST",
            "/plan-migrations/preview",
            {"from_version_id": ids["version"], "to_version_id": brand.seed_plan.version_id},
        ),
        (
            "POST",
            "/plan-migrations",
            {"from_version_id": brand.seed_plan.version_id, "to_version_id": ids["draft"]},
        ),
    ]
    for method, path, body in requests:
        response = call(client, brand, path, token, method, **({"json": body} if body else {}))
        assert_problem(response, 404)
    for kind in ("plans", "promotions"):
        listed = call(client, brand, f"/{kind}", token).get_data(as_text=True)
        assert "Theirs" not in listed and "theirs" not in listed


def test_fees_read_back_with_the_currencys_decimals_and_sub_cent_prices_in_full(
    client: Any, brand: Any, token: str
) -> None:
    usage = {
        "code": "roaming",
        "kind": "usage",
        "metric": "data_mb",
        "charge": {"charge_model": "standard", "properties": {"amount": "0.0049"}},
    }
    fee = {"code": "sim", "kind": "one_time", "fee_type": "sim", "amount": "5"}
    body = new_plan("decimals", components=[*recurring("10.00"), fee, usage])
    version = create(client, brand, token, body)["versions"][0]
    shown = {c["code"]: c.get("amount") for c in version["components"]}
    assert shown == {"base": "10.00", "sim": "5.00", "roaming": None}
    assert version["recurring_total"] == "10.00"
    charge = next(c for c in version["components"] if c["code"] == "roaming")["charge"]
    assert charge["properties"]["amount"] == "0.0049"
