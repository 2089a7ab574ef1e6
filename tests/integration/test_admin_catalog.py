"""The offer designer: plans, drafts, publishing, grandfathering migrations, promotions, quotes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import brand_url, counted, get, in_brand, logged_in, page, post, post_json
from tests.support.forms import field_errors, field_values

GRADUATED = {
    "graduated_ranges": [
        {"from_value": 0, "to_value": 1024, "per_unit_amount": "0.002", "flat_amount": "0"},
        {"from_value": 1025, "to_value": None, "per_unit_amount": "0.001", "flat_amount": "0"},
    ]
}


def plan_row(app: Any, brand: Any, plan_id: int) -> Any:
    """The plan's versions as plain data: number, status, components and allowances."""
    from saas.catalog import models as M

    with in_brand(app, brand.id) as session:
        plan = session.get(M.Plan, plan_id)
        return {
            "name": plan.name,
            "tax_category": plan.tax_category,
            "versions": [
                {
                    "id": v.id,
                    "number": v.number,
                    "status": v.status,
                    "interval": v.billing_interval,
                    "components": [
                        (c.code, c.kind, c.amount, c.fee_type, c.timing, c.prorate, c.charge)
                        for c in v.components
                    ],
                    "allowances": [
                        (a.metric_code, a.quantity, a.rollover, a.shared) for a in v.allowances
                    ],
                }
                for v in plan.versions
            ],
        }


def draft_plan(make: Any, brand: Any) -> Any:
    """A plan whose only version is a draft with one recurring component."""
    return make.plan(brand, publish=False)


def component(index: int, **fields: str) -> dict[str, str]:
    return {f"components-{index}-{key}": value for key, value in fields.items()}


def allowance(index: int, **fields: str) -> dict[str, str]:
    return {f"allowances-{index}-{key}": value for key, value in fields.items()}


EVERY_KIND = (
    component(0, kind="one_time", code="sim", name="SIM card", fee_type="sim", amount="9.95")
    | component(1, kind="recurring", code="base", name="Base fee", amount="14.99")
    | component(1, timing="arrears")
    | component(
        2,
        kind="usage",
        code="data",
        name="Data beyond the bundle",
        metric="data_mb",
        charge_model="graduated",
        properties=json.dumps(GRADUATED),
    )
    | allowance(0, metric="data_mb", quantity="10240", rollover="1")
    | allowance(1, metric="sms", quantity="unlimited", shared="1")
    | {"interval": "quarterly"}
)


# Catalogue home, products and metrics


def test_catalogue_home_lists_plans_by_product_with_price_draft_and_holders(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    plan = make.plan(brand, name="Allnet Home")
    make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    response = get(staff_client, "/admin/catalog")
    body = page(response)
    assert response.status_code == 200
    assert "Mobile" in body and "Allnet Home" in body
    assert "v1: €10.00 / month" in body
    assert "v1: 1" in body
    assert 'data-testid="new-plan"' in body
    assert 'data-testid="nav-catalog"' in body


def test_staff_add_a_product_and_a_metric(staff_client: Any) -> None:
    product = post(
        staff_client,
        "/admin/catalog/products",
        {"product_code": "iot", "product_name": "IoT lines", "product_description": "Machines"},
    )
    metric = post(
        staff_client,
        "/admin/catalog/metrics",
        {"metric_code": "api_calls", "metric_name": "API calls", "metric_unit": "call"},
    )
    assert product.status_code == metric.status_code == 302
    body = page(get(staff_client, "/admin/catalog"))
    assert "IoT lines" in body and "api_calls" in body


def test_a_product_code_in_use_is_refused_naming_the_product(staff_client: Any) -> None:
    data = {"product_code": "iot", "product_name": "IoT lines"}
    post(staff_client, "/admin/catalog/products", data)
    again = post(staff_client, "/admin/catalog/products", data)
    assert again.status_code == 400
    assert field_errors(again) == {"product_code": ['product "iot": exists already']}


# New plan


def test_creating_a_plan_makes_an_empty_draft_version_one(
    app: Any, make: Any, staff_client: Any
) -> None:
    make.plan(staff_client.brand)  # the brand's "mobile" product
    form = page(get(staff_client, "/admin/catalog/plans/new"))
    assert 'data-testid="plan-form"' in form and 'value="mobile"' in form
    response = post(
        staff_client,
        "/admin/catalog/plans/new",
        {
            "code": "flex-5",
            "name": "Flex 5 GB",
            "product": "mobile",
            "kind": "plan",
            "payment": "prepaid",
            "tax_category": "standard",
            "billing_interval": "monthly",
            "description": "Five gigabytes",
        },
    )
    assert response.status_code == 302
    plan_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    plan = plan_row(app, staff_client.brand, plan_id)
    assert plan["name"] == "Flex 5 GB"
    assert [(v["number"], v["status"], v["components"]) for v in plan["versions"]] == [
        (1, "draft", [])
    ]
    body = page(get(staff_client, response.headers["Location"]))
    assert 'data-testid="draft-form"' in body
    assert body.count('data-testid="component-row"') == 2  # one blank row, one in the template


def test_a_bad_plan_is_refused_naming_it_and_keeping_what_was_typed(
    make: Any, staff_client: Any
) -> None:
    make.plan(staff_client.brand)
    response = post(
        staff_client,
        "/admin/catalog/plans/new",
        {"code": "Flex 5", "name": "Flex typed", "product": "mobile", "kind": "plan"},
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "code": ["Use 1-64 lowercase letters, digits, dot, dash or underscore."]
    }
    assert field_values(response)["code"] == "Flex 5"
    assert field_values(response)["name"] == "Flex typed"


def test_staff_change_a_plans_name_and_tax_category(app: Any, make: Any, staff_client: Any) -> None:
    plan = make.plan(staff_client.brand)
    response = post(
        staff_client,
        f"/admin/catalog/plans/{plan.id}",
        {"name": "Renamed", "description": "New words", "tax_category": "reduced"},
    )
    assert response.status_code == 302
    row = plan_row(app, staff_client.brand, plan.id)
    assert (row["name"], row["tax_category"]) == ("Renamed", "reduced")


def test_an_unknown_tax_category_is_refused(make: Any, staff_client: Any) -> None:
    plan = make.plan(staff_client.brand)
    data = {"name": "Same", "tax_category": "luxury"}
    response = post(staff_client, f"/admin/catalog/plans/{plan.id}", data)
    assert response.status_code == 400
    assert field_errors(response) == {"tax_category": ["Choose one of the options offered."]}


# Draft editor


def test_saving_a_draft_stores_every_component_kind_and_allowance(
    app: Any, make: Any, staff_client: Any
) -> None:
    plan = draft_plan(make, staff_client.brand)
    version_id = plan.version_id
    response = post(staff_client, f"/admin/catalog/versions/{version_id}/contents", EVERY_KIND)
    assert response.status_code == 302
    (version,) = plan_row(app, staff_client.brand, plan.id)["versions"]
    assert version["interval"] == "quarterly"
    assert version["components"] == [
        ("sim", "one_time", Decimal("9.95"), "sim", "advance", True, None),
        ("base", "recurring", Decimal("14.99"), None, "arrears", False, None),
        (
            "data",
            "usage",
            None,
            None,
            "advance",
            True,
            {"charge_model": "graduated", "properties": GRADUATED},
        ),
    ]
    assert version["allowances"] == [
        ("data_mb", Decimal("10240"), True, False),
        ("sms", None, False, True),
    ]


def test_the_saved_draft_shows_again_in_the_editor(make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", EVERY_KIND)
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    assert body.count('data-testid="component-row"') == 5  # three saved, one blank, template
    assert body.count('data-testid="allowance-row"') == 4
    assert 'name="components-2-properties"' in body and "0.002" in body
    assert 'data-testid="quote-units"' in body


def test_bad_rows_are_all_named_at_once_and_nothing_is_saved(
    app: Any, make: Any, staff_client: Any
) -> None:
    plan = draft_plan(make, staff_client.brand)
    bad_ranges = {"graduated_ranges": [{"from_value": 1, "to_value": None, "per_unit_amount": "1"}]}
    form = (
        component(0, kind="usage", code="daten", metric="data_mb", charge_model="graduated")
        | component(0, properties=json.dumps(bad_ranges))
        | component(1, kind="recurring", code="base", amount="ten")
        | allowance(0, metric="sms", quantity="unlimited", rollover="1")
    )
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", form)
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-0-properties": ["properties.graduated_ranges[0].from_value: must be 0"],
        "components-1-amount": ["Enter a number like 1234.56."],
        "allowances-0-quantity": ['allowance for "sms": an unlimited allowance cannot roll over'],
    }
    assert field_values(response)["components-1-amount"] == "ten"  # what was typed stays
    (version,) = plan_row(app, staff_client.brand, plan.id)["versions"]
    assert [c[0] for c in version["components"]] == ["base"]
    assert version["components"][0][2] == Decimal("10.00")


def test_properties_that_are_not_json_are_named(make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    form = component(
        0, kind="usage", code="sms", metric="sms", charge_model="standard", properties="{amount"
    )
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", form)
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-0-properties": ["This is not valid JSON: look at line 1, column 2."]
    }


def test_an_unknown_metric_is_refused_by_the_catalogue(make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    form = component(0, kind="usage", code="x", metric="nope", charge_model="standard")
    form |= component(0, properties='{"amount": "1"}')
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", form)
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-0-metric": ["Choose the metric this charge prices."]
    }


def test_rows_without_a_code_or_metric_are_left_out(app: Any, make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    form = (
        component(0, kind="recurring", code="base", amount="5")
        | component(1, kind="recurring", code="", amount="99")
        | allowance(0, metric="", quantity="100")
    )
    post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", form)
    (version,) = plan_row(app, staff_client.brand, plan.id)["versions"]
    assert [c[0] for c in version["components"]] == ["base"]
    assert version["allowances"] == []


def test_a_published_version_cannot_be_edited(make: Any, staff_client: Any) -> None:
    plan = make.plan(staff_client.brand)
    form = component(0, kind="recurring", code="base", amount="1")
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/contents", form)
    assert response.status_code == 400
    assert "is published: prices change in a new draft version" in page(response)


# Versions


def test_publishing_archives_the_previous_version_and_subscribers_stay_on_it(
    app: Any, make: Any, staff_client: Any
) -> None:
    from saas.subscriptions.models import Subscription

    brand = staff_client.brand
    plan = make.plan(brand)
    sub = make.subscription(brand, make.user(brand, "subscriber"), plan.version_id)
    assert post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts").status_code == 302
    draft = plan_row(app, brand, plan.id)["versions"][-1]
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    assert "Existing subscribers stay on their version unless" in body
    assert post(staff_client, f"/admin/catalog/versions/{draft['id']}/publish").status_code == 302
    statuses = [(v["number"], v["status"]) for v in plan_row(app, brand, plan.id)["versions"]]
    assert statuses == [(1, "archived"), (2, "published")]
    with in_brand(app, brand.id) as session:
        assert session.get(Subscription, sub.id).plan_version_id == plan.version_id


def test_an_empty_draft_is_not_published(app: Any, make: Any, staff_client: Any) -> None:
    plan = make.plan(staff_client.brand, publish=False, components=[])
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/publish")
    assert response.status_code == 400
    assert "version 1: has no prices and no allowances" in page(response)
    assert plan_row(app, staff_client.brand, plan.id)["versions"][0]["status"] == "draft"


def test_the_only_version_of_a_plan_cannot_be_discarded(make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    response = post(staff_client, f"/admin/catalog/versions/{plan.version_id}/discard")
    assert response.status_code == 400
    assert "its only version cannot be discarded" in page(response)


def test_a_new_draft_copies_the_newest_version(app: Any, make: Any, staff_client: Any) -> None:
    plan = make.plan(
        staff_client.brand,
        components=[
            {"code": "base", "kind": "recurring", "amount": "12.00"},
            {
                "code": "data",
                "kind": "usage",
                "metric": "data_mb",
                "charge": {"charge_model": "graduated", "properties": GRADUATED},
            },
        ],
        allowances=[{"metric": "sms", "quantity": "100"}],
    )
    post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts")
    first, second = plan_row(app, staff_client.brand, plan.id)["versions"]
    assert (second["number"], second["status"]) == (2, "draft")
    assert second["components"] == first["components"]
    assert second["allowances"] == first["allowances"]


def test_a_second_draft_is_refused(make: Any, staff_client: Any) -> None:
    plan = draft_plan(make, staff_client.brand)
    response = post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts")
    assert response.status_code == 400
    assert "version 1 is a draft already" in page(response)


def test_a_draft_can_be_discarded_and_a_published_version_archived(
    app: Any, make: Any, staff_client: Any
) -> None:
    plan = make.plan(staff_client.brand)
    post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts")
    draft = plan_row(app, staff_client.brand, plan.id)["versions"][-1]
    assert post(staff_client, f"/admin/catalog/versions/{draft['id']}/discard").status_code == 302
    assert (
        post(staff_client, f"/admin/catalog/versions/{plan.version_id}/archive").status_code == 302
    )
    versions = plan_row(app, staff_client.brand, plan.id)["versions"]
    assert [(v["number"], v["status"]) for v in versions] == [(1, "archived")]


def test_a_plans_page_loads_its_versions_prices_without_a_query_per_version(
    make: Any, staff_client: Any
) -> None:
    plan = make.plan(staff_client.brand)

    def cost() -> int:
        with counted() as statements:
            assert get(staff_client, f"/admin/catalog/plans/{plan.id}").status_code == 200
        return len(statements)

    before = cost()
    for _ in range(3):
        post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts")
        draft = plan_row(staff_client.application, staff_client.brand, plan.id)["versions"][-1]
        post(staff_client, f"/admin/catalog/versions/{draft['id']}/publish")
    assert len(plan_row(staff_client.application, staff_client.brand, plan.id)["versions"]) == 4
    assert cost() <= before


def test_a_published_version_reads_as_a_summary(make: Any, staff_client: Any) -> None:
    plan = make.plan(
        staff_client.brand,
        components=[
            {
                "code": "data",
                "kind": "usage",
                "metric": "data_mb",
                "charge": {"charge_model": "graduated", "properties": GRADUATED},
            }
        ],
        allowances=[{"metric": "voice_minutes", "quantity": "unlimited"}],
    )
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    assert "graduated tiers: 0\u20131,024 at €0.002; 1,025 and more at €0.001" in body
    assert "unlimited" in body
    assert 'data-testid="draft-form"' not in body


# Grandfathering migrations


@pytest.fixture
def grandfathered(app: Any, make: Any, staff_client: Any) -> Any:
    """Two subscribers on v1 at 10.00 when v2 at 12.00 is published through the console."""
    brand = staff_client.brand
    plan = make.plan(brand)
    people = [make.user(brand, "subscriber") for _ in range(2)]
    for person in people:
        make.subscription(brand, person, plan.version_id)
    post(staff_client, f"/admin/catalog/plans/{plan.id}/drafts")
    v2 = plan_row(app, brand, plan.id)["versions"][-1]
    form = component(0, kind="recurring", code="base", name="Base", amount="12.00")
    post(staff_client, f"/admin/catalog/versions/{v2['id']}/contents", form)
    post(staff_client, f"/admin/catalog/versions/{v2['id']}/publish")
    return plan, v2["id"], people


def test_migration_preview_lists_the_holders_with_old_and_new_price(
    staff_client: Any, grandfathered: Any
) -> None:
    plan, v2_id, people = grandfathered
    form = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    assert 'data-testid="migration-form"' in form
    query = {"from": plan.version_id, "to": v2_id}
    response = get(staff_client, f"/admin/catalog/plans/{plan.id}/migrations/preview", **query)
    body = page(response)
    assert response.status_code == 200
    assert 'data-testid="migration-preview"' in body
    assert all(person.email in body for person in people)
    assert body.count("€10.00") == 2 and body.count("€12.00") == 2
    assert 'data-testid="schedule-migration"' in body


def test_scheduling_a_migration_writes_it_with_an_audit_event_and_it_can_be_cancelled(
    app: Any, staff_client: Any, grandfathered: Any
) -> None:
    from saas.catalog.models import PlanMigration
    from saas.identity.audit import AuditEvent

    plan, v2_id, _ = grandfathered
    brand = staff_client.brand
    data = {"from": str(plan.version_id), "to": str(v2_id)}
    response = post(staff_client, f"/admin/catalog/plans/{plan.id}/migrations", data)
    assert response.status_code == 302
    with in_brand(app, brand.id) as session:
        migration = session.scalars(select(PlanMigration)).one()
        migration_id, affected = migration.id, migration.affected
        actions = list(session.scalars(select(AuditEvent.action)))
    assert affected == 2
    assert "plan.migration.schedule" in actions
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    assert 'data-testid="migration-row"' in body and 'data-testid="cancel-migration"' in body
    assert post(staff_client, f"/admin/catalog/migrations/{migration_id}/cancel").status_code == 302
    with in_brand(app, brand.id) as session:
        assert session.get(PlanMigration, migration_id).status == "cancelled"


def test_a_migration_to_a_version_that_is_not_published_is_refused(
    app: Any, make: Any, staff_client: Any, grandfathered: Any
) -> None:
    plan, v2_id, _ = grandfathered
    data = {"from": str(v2_id), "to": str(plan.version_id)}
    response = post(staff_client, f"/admin/catalog/plans/{plan.id}/migrations", data)
    assert response.status_code == 400
    assert "version 1 is not published" in page(response)


def test_a_migration_between_versions_of_another_plan_answers_404(
    make: Any, staff_client: Any, grandfathered: Any
) -> None:
    plan, v2_id, _ = grandfathered
    other = make.plan(staff_client.brand)
    data = {"from": str(plan.version_id), "to": str(v2_id)}
    assert (
        post(staff_client, f"/admin/catalog/plans/{other.id}/migrations", data).status_code == 404
    )


def test_a_migration_preview_from_a_version_of_another_plan_is_refused_beside_its_select(
    app: Any, make: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"], currency="EUR")
    c = logged_in(app, make, brand)
    plan, other = make.plan(brand), make.plan(brand)
    query = {"from": str(other.version_id), "to": str(plan.version_id)}
    response = get(c, f"/admin/catalog/plans/{plan.id}/migrations/preview", **query)
    assert response.status_code == 400
    assert field_errors(response) == {"from": ["Wählen Sie eine der angebotenen Möglichkeiten."]}
    body = page(response)
    assert 'data-testid="migration-form"' in body and 'data-testid="migration-preview"' not in body
    assert f'<option selected value="{plan.version_id}">Version 1 (veröffentlicht)</option>' in body


def test_the_migration_form_offers_the_plans_versions_by_number_and_status(
    staff_client: Any, grandfathered: Any
) -> None:
    plan, v2_id, _ = grandfathered
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    form = body[body.index('data-testid="migration-form"') :]
    held = "Version 1 (archived), subscriptions: 2"
    assert f'<option selected value="{plan.version_id}">{held}</option>' in form
    assert f'<option selected value="{v2_id}">Version 2 (published)</option>' in form


# Promotions


def test_staff_create_a_promotion_with_local_validity_and_switch_it_off_and_on(
    app: Any, make: Any
) -> None:
    from saas.catalog.models import Promotion

    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    client = logged_in(app, make, brand, ("owner",))
    plan = make.plan(brand)
    response = post(
        client,
        "/admin/catalog/promotions",
        {
            "code": "spring-20",
            "name": "Spring 20 %",
            "kind": "percent",
            "value": "20",
            "currency": "EUR",
            "plan": plan.code,
            "duration": "repeating",
            "cycles": "3",
            "promo_code": "spring20",
            "max_redemptions": "100",
            "valid_from": "2027-03-01T00:00",
            "valid_until": "2027-07-01T00:00",
        },
    )
    assert response.status_code == 302
    with in_brand(app, brand.id) as session:
        promotion = session.scalars(select(Promotion).filter_by(code="spring-20")).one()
        stored = (promotion.id, promotion.promo_code, promotion.currency, promotion.cycles)
        times = (promotion.valid_from, promotion.valid_until)
    assert stored[1:] == ("SPRING20", None, 3)
    assert times == (datetime(2027, 2, 28, 23, tzinfo=UTC), datetime(2027, 6, 30, 22, tzinfo=UTC))
    body = page(get(client, "/admin/catalog/promotions"))
    assert "SPRING20" in body and "0 / 100" in body and 'data-testid="promotion-active"' in body
    post(client, f"/admin/catalog/promotions/{stored[0]}/deactivate")
    assert 'data-testid="promotion-inactive"' in page(get(client, "/admin/catalog/promotions"))
    post(client, f"/admin/catalog/promotions/{stored[0]}/activate")
    assert 'data-testid="promotion-active"' in page(get(client, "/admin/catalog/promotions"))


def test_the_promotions_page_loads_the_promotions_plans_without_a_query_per_row(
    make: Any, staff_client: Any
) -> None:
    def cost() -> int:
        with counted() as statements:
            assert get(staff_client, "/admin/catalog/promotions").status_code == 200
        return len(statements)

    for i in range(4):
        make.plan(staff_client.brand, code=f"p{i}")
        promotion = {"code": f"x{i}", "name": "X", "kind": "percent", "value": "5", "plan": f"p{i}"}
        assert post(staff_client, "/admin/catalog/promotions", promotion).status_code == 302
        if i == 0:
            one = cost()
    assert cost() <= one


def test_a_bad_promotion_is_refused_naming_it(staff_client: Any) -> None:
    response = post(
        staff_client,
        "/admin/catalog/promotions",
        {"code": "big", "name": "Too big", "kind": "percent", "value": "150"},
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "value": ['promotion "big": a percent discount must be above 0 and at most 100']
    }
    assert 'value="Too big"' in page(response)


# Live quote


def test_the_quote_answers_the_pricing_engines_amount_with_a_line_per_tier(
    staff_client: Any,
) -> None:
    from saas.catalog.pricing import parse_charge, quote

    charge = {"charge_model": "graduated", "properties": GRADUATED}
    response = post_json(
        staff_client, "/admin/catalog/quote", {"charge": charge, "units": "1500", "currency": "EUR"}
    )
    answer = response.get_json()
    expected = quote(parse_charge(charge), Decimal("1500")).to_json("EUR")
    assert response.status_code == 200
    assert {k: answer[k] for k in expected} == expected
    assert answer["amount"] == "2.524" and answer["amount_rounded"] == "2.52"
    assert answer["display"]["amount"] == "€2.52"
    assert len(answer["display"]["lines"]) == 2


def test_the_quote_reads_unquoted_numbers_exactly(staff_client: Any) -> None:
    body = '{"units": "3", "charge": {"charge_model": "standard", "properties": {"amount": 0.1}}}'
    response = staff_client.post(
        "/admin/catalog/quote",
        data=body,
        content_type="application/json",
        base_url=brand_url(staff_client.brand),
    )
    assert response.get_json()["amount"] == "0.3"


def test_a_percentage_quote_reads_events_and_transactions(staff_client: Any) -> None:
    charge = {"charge_model": "percentage", "properties": {"rate": "2", "fixed_amount": "0.10"}}
    body = {"charge": charge, "units": "30", "transactions": ["10", "20"]}
    answer = post_json(staff_client, "/admin/catalog/quote", body).get_json()
    assert answer["amount"] == "0.8"  # 2 % of 30 plus 0.10 for each of the two events
    assert answer["display"]["lines"] == ["rate: 2 % of 30 = 0.6", "fee per event: 2 at 0.1 = 0.2"]


def test_a_percentage_quote_without_usage_needs_no_transactions(staff_client: Any) -> None:
    props = {"rate": "2", "fixed_amount": "0.10", "per_transaction_min_amount": "0.50"}
    body = {"charge": {"charge_model": "percentage", "properties": props}, "units": "0"}
    response = post_json(staff_client, "/admin/catalog/quote", body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["amount"] == "0"


def test_the_quote_costs_the_first_tiers_flat_fee_without_usage(staff_client: Any) -> None:
    ranges = [
        {"from_value": 0, "to_value": "0.1", "per_unit_amount": "0", "flat_amount": "2"},
        {"from_value": "0.1", "to_value": None, "per_unit_amount": "10", "flat_amount": "0"},
    ]
    charge = {"charge_model": "graduated", "properties": {"graduated_ranges": ranges}}
    answer = post_json(staff_client, "/admin/catalog/quote", {"charge": charge, "units": "0"})
    assert answer.get_json()["amount"] == "2"


def test_the_quote_takes_the_csrf_token_of_the_draft_editor_in_a_header(
    app: Any, make: Any, staff_client: Any, monkeypatch: Any
) -> None:
    plan = draft_plan(make, staff_client.brand)
    body = page(get(staff_client, f"/admin/catalog/plans/{plan.id}"))
    token = body.split('data-csrf="', 1)[1].split('"', 1)[0]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    asked = {"charge": {"charge_model": "standard", "properties": {"amount": "1"}}, "units": "2"}
    refused = post_json(staff_client, "/admin/catalog/quote", asked)
    accepted = staff_client.post(
        "/admin/catalog/quote",
        data=json.dumps(asked),
        content_type="application/json",
        headers={"X-CSRFToken": token},
        base_url=brand_url(staff_client.brand),
    )
    assert refused.status_code == 400
    assert accepted.status_code == 200 and accepted.get_json()["amount"] == "2"


def test_a_console_form_needs_the_csrf_token_of_its_page_when_csrf_is_on(
    app: Any, staff_client: Any, monkeypatch: Any
) -> None:
    from saas.catalog.models import Promotion

    body = page(get(staff_client, "/admin/catalog/promotions"))
    token = body.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    promotion = {"code": "csrf-1", "name": "Guarded", "kind": "percent", "value": "5"}
    refused = post(staff_client, "/admin/catalog/promotions", promotion)
    assert refused.status_code == 400 and "The CSRF token is missing." in page(refused)
    accepted = post(staff_client, "/admin/catalog/promotions", promotion | {"csrf_token": token})
    assert accepted.status_code == 302
    with in_brand(app, staff_client.brand.id) as session:
        assert session.scalars(select(Promotion).filter_by(code="csrf-1")).one().name == "Guarded"


def test_a_bad_charge_gets_a_422_with_the_engines_message(staff_client: Any) -> None:
    charge = {"charge_model": "graduated", "properties": {"graduated_ranges": []}}
    response = post_json(staff_client, "/admin/catalog/quote", {"charge": charge, "units": "5"})
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "properties.graduated_ranges: must be a list of at least one range"
    }


@pytest.mark.parametrize(
    "raw",
    ['{"units": ' + "1" * 5000 + "}", "[" * 100_000],
    ids=["a 5000-digit integer", "nesting too deep"],
)
def test_json_too_big_for_python_gets_a_422_not_a_crash(staff_client: Any, raw: str) -> None:
    response = staff_client.post(
        "/admin/catalog/quote",
        data=raw,
        content_type="application/json",
        base_url=brand_url(staff_client.brand),
    )
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "body: not valid JSON: number too long or nesting too deep"
    }


def test_a_draft_property_too_big_for_python_is_refused_by_name(
    make: Any, staff_client: Any
) -> None:
    plan = draft_plan(make, staff_client.brand)
    properties = '{"amount": ' + "1" * 5000 + "}"
    response = post(
        staff_client,
        f"/admin/catalog/versions/{plan.version_id}/contents",
        component(0, code="data", kind="usage", metric="data_mb", properties=properties),
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-0-properties": [
            "This JSON holds a number too long or nesting too deep to read."
        ]
    }


# Permissions


@pytest.mark.parametrize("role", ["read_only", "agent"])
def test_staff_who_may_only_read_the_catalogue_see_it_but_cannot_change_it(
    app: Any, make: Any, role: str
) -> None:
    brand = make.brand()
    client = logged_in(app, make, brand, (role,))
    plan = draft_plan(make, brand)
    for path in (
        "/admin/catalog",
        f"/admin/catalog/plans/{plan.id}",
        "/admin/catalog/promotions",
    ):
        response = get(client, path)
        assert response.status_code == 200, path
        assert 'data-testid="draft-form"' not in page(response)
        assert 'data-testid="new-plan"' not in page(response)
    quote = post_json(
        client,
        "/admin/catalog/quote",
        {"charge": {"charge_model": "standard", "properties": {"amount": "1"}}, "units": "2"},
    )
    assert quote.status_code == 200
    for path in (
        "/admin/catalog/plans/new",
        f"/admin/catalog/plans/{plan.id}",
        f"/admin/catalog/versions/{plan.version_id}/contents",
        f"/admin/catalog/versions/{plan.version_id}/publish",
        f"/admin/catalog/versions/{plan.version_id}/archive",
        f"/admin/catalog/versions/{plan.version_id}/discard",
        f"/admin/catalog/plans/{plan.id}/drafts",
        f"/admin/catalog/plans/{plan.id}/migrations",
        "/admin/catalog/migrations/1/cancel",
        "/admin/catalog/promotions",
        "/admin/catalog/promotions/1/activate",
        "/admin/catalog/promotions/1/deactivate",
        "/admin/catalog/products",
        "/admin/catalog/metrics",
    ):
        assert post(client, path).status_code == 403, path
    assert get(client, "/admin/catalog/plans/new").status_code == 403


def test_a_subscriber_cannot_open_the_catalogue(app: Any, make: Any) -> None:
    client = logged_in(app, make, make.brand(), kind="subscriber")
    assert get(client, "/admin/catalog").status_code == 403


# Tenant isolation


@pytest.fixture
def strangers(app: Any, make: Any) -> Any:
    """Another brand's plan, draft, promotion and migration."""
    from saas.catalog import models as M
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec
    from saas.subscriptions import migrations

    other = make.brand()
    plan = make.plan(other)
    make.subscription(other, make.user(other, "subscriber"), plan.version_id)
    with in_brand(app, other.id) as session:
        row = session.get(M.Plan, plan.id)
        v2 = catalog.new_draft(session, row)
        catalog.publish(session, v2)
        migration = migrations.schedule(session, session.get(M.PlanVersion, plan.version_id), v2)
        promotion = catalog.create_promotion(
            session,
            PromotionSpec.parse({"code": "x", "name": "X", "kind": "percent", "value": "5"}),
        )
        session.flush()
        ids = {"v2": v2.id, "migration": migration.id, "promotion": promotion.id}
    return plan, ids


def test_another_brands_records_answer_404(staff_client: Any, strangers: Any) -> None:
    plan, ids = strangers
    assert get(staff_client, f"/admin/catalog/plans/{plan.id}").status_code == 404
    preview = f"/admin/catalog/plans/{plan.id}/migrations/preview"
    query = {"from": plan.version_id, "to": ids["v2"]}
    assert get(staff_client, preview, **query).status_code == 404
    for path in (
        f"/admin/catalog/plans/{plan.id}",
        f"/admin/catalog/plans/{plan.id}/drafts",
        f"/admin/catalog/plans/{plan.id}/migrations",
        f"/admin/catalog/versions/{ids['v2']}/contents",
        f"/admin/catalog/versions/{ids['v2']}/publish",
        f"/admin/catalog/versions/{ids['v2']}/archive",
        f"/admin/catalog/versions/{ids['v2']}/discard",
        f"/admin/catalog/migrations/{ids['migration']}/cancel",
        f"/admin/catalog/promotions/{ids['promotion']}/activate",
        f"/admin/catalog/promotions/{ids['promotion']}/deactivate",
    ):
        assert post(staff_client, path).status_code == 404, path


def test_another_brands_version_cannot_be_migrated_from_own_plan(
    app: Any, make: Any, staff_client: Any, strangers: Any
) -> None:
    theirs, ids = strangers
    mine = make.plan(staff_client.brand)
    data = {"from": str(theirs.version_id), "to": str(ids["v2"])}
    response = post(staff_client, f"/admin/catalog/plans/{mine.id}/migrations", data)
    assert response.status_code == 404


@pytest.mark.parametrize("ident", ["\u00b2", "9" * 30, ""])
def test_a_migration_version_that_is_no_plain_id_answers_404(
    make: Any, staff_client: Any, ident: str
) -> None:
    plan = make.plan(staff_client.brand)
    preview = f"/admin/catalog/plans/{plan.id}/migrations/preview"
    query = {"from": ident, "to": str(plan.version_id)}
    assert get(staff_client, preview, **query).status_code == 404
    response = post(staff_client, f"/admin/catalog/plans/{plan.id}/migrations", query)
    assert response.status_code == 404


# Reading a stored charge


@pytest.mark.parametrize(
    ("charge", "summary"),
    [
        (
            {"charge_model": "standard", "properties": {"amount": "0.09"}},
            "standard price: €0.09 per unit",
        ),
        (
            {
                "charge_model": "package",
                "properties": {"amount": "1.99", "package_size": 1024, "free_units": 0},
            },
            "package price: €1.99 per started package of 1,024 units, 0 units free",
        ),
        (
            {"charge_model": "percentage", "properties": {"rate": "2.5", "fixed_amount": "0.10"}},
            "percentage: 2.5 % of the amount plus €0.10 per event",
        ),
        (
            {
                "charge_model": "volume",
                "properties": {
                    "volume_ranges": [
                        {"from_value": 0, "to_value": 100, "per_unit_amount": "0.05"},
                        {"from_value": 101, "to_value": None, "per_unit_amount": "0.03"},
                    ]
                },
            },
            "volume tiers: 0\u2013100 at €0.05; 101 and more at €0.03",
        ),
        (
            {
                "charge_model": "graduated_percentage",
                "properties": {
                    "graduated_percentage_ranges": [
                        {"from_value": 0, "to_value": 10, "rate": "2", "flat_amount": "0.50"},
                        {"from_value": 11, "to_value": None, "rate": "1", "flat_amount": "0"},
                    ]
                },
            },
            "graduated percentage: 0\u201310 at 2 % plus €0.50 flat; 11 and more at 1 %",
        ),
    ],
)
def test_a_stored_charge_reads_as_one_line(app: Any, charge: Any, summary: str) -> None:
    from saas.web.admin.catalog_text import charge_summary

    with app.test_request_context("/"):
        assert charge_summary(charge, "EUR") == summary


def test_a_stored_tier_price_reads_with_the_currency_in_the_readers_locale(app: Any) -> None:
    from flask_babel import force_locale

    from saas.web.admin.catalog_text import charge_summary

    ranges = [
        {"from_value": 0, "to_value": 1024, "per_unit_amount": "0.002", "flat_amount": "1.5"},
        {"from_value": 1024, "to_value": None, "per_unit_amount": "0.0015"},
    ]
    charge = {"charge_model": "graduated", "properties": {"graduated_ranges": ranges}}
    with app.test_request_context("/"), force_locale("de"):
        said = charge_summary(charge, "EUR")
    assert said.endswith(
        "0\u20131.024 zu 0,002\xa0€ plus 1,50\xa0€ pauschal; 1.024 und mehr zu 0,0015\xa0€"
    ), said


def test_a_versions_allowances_and_fees_read_in_words_and_units(app: Any, make: Any) -> None:
    import re

    brand = make.brand(default_locale="de", locales=("de",))
    allowances = [
        {"metric": "voice_minutes", "quantity": "unlimited"},
        {"metric": "data_mb", "quantity": "10240", "rollover": True},
    ]
    fee = {
        "code": "sim",
        "name": "SIM-Karte",
        "kind": "one_time",
        "fee_type": "sim",
        "amount": "9.95",
    }
    plan = make.plan(
        brand,
        components=[{"code": "base", "kind": "recurring", "amount": "10.00"}, fee],
        allowances=allowances,
    )
    owner = logged_in(app, make, brand)
    body = page(get(owner, f"/admin/catalog/plans/{plan.id}"))
    rows = re.findall(r'data-testid="version-allowance"[^>]*>(.*?)</tr>', body, re.S)
    shown = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert any("10 GB" in r for r in shown) and not any("data_mb" in r for r in shown), shown
    assert any("unbegrenzt" in r for r in shown), shown
    assert "fällig mit der SIM-Karte" in body
