"""Import from Lago in the console: a pasted Lago plan becomes a draft to check and publish."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import brand_url, get, in_brand, logged_in, login, page
from tests.support.forms import field_errors, field_values
from tests.unit.test_lago_import import LAGO_PLAN as LAGO_DOCS_PLAN

IMPORT = "/admin/catalog/plans/import"

# Lago's documented plan without its display name, so only its tax codes are left behind.
LAGO_PLAN: dict[str, Any] = copy.deepcopy(LAGO_DOCS_PLAN)
del LAGO_PLAN["plan"]["invoice_display_name"]


def lago(**changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(LAGO_PLAN)
    obj["plan"].update(changes)
    return obj


def paste(client: Any, pasted: str, **fields: str) -> Any:
    form = {"product": "mobile", "kind": "plan", "payment": "prepaid", "lago_json": pasted}
    return client.post(IMPORT, data=form | fields, base_url=brand_url(client.brand))


def with_product(make: Any, brand: Any) -> None:
    """Give the brand its "mobile" product (and the standard metrics) through a plan."""
    make.plan(brand)


def imported(app: Any, brand: Any, plan_code: str = "startup") -> Any:
    """The imported plan as plain data, or None when nothing was created."""
    from saas.catalog import models as M

    with in_brand(app, brand.id) as session:
        plan = session.scalar(select(M.Plan).filter_by(code=plan_code))
        if plan is None:
            return None
        return {
            "id": plan.id,
            "kind": plan.kind,
            "payment": plan.payment,
            "currency": plan.currency,
            "versions": [(v.number, v.status) for v in plan.versions],
            "components": [
                (c.code, c.kind, c.amount, c.metric_code, (c.charge or {}).get("charge_model"))
                for c in plan.versions[0].components
            ],
        }


def plan_count(app: Any, brand: Any) -> int:
    from saas.catalog import models as M

    with in_brand(app, brand.id) as session:
        return session.scalar(select(func.count()).select_from(M.Plan)) or 0


def test_the_catalogue_and_the_new_plan_page_link_to_the_import(
    make: Any, staff_client: Any
) -> None:
    with_product(make, staff_client.brand)
    for path in ("/admin/catalog", "/admin/catalog/plans/new"):
        assert f'href="{IMPORT}" data-testid="import-lago"' in page(get(staff_client, path)), path
    form = page(get(staff_client, IMPORT))
    assert 'data-testid="lago-import-form"' in form and 'data-testid="lago-import"' in form
    assert 'value="mobile"' in form and 'name="lago_json"' in form


def test_a_lago_plan_imports_as_a_draft_version_one_with_its_fee_and_usage_charges(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    with_product(make, brand)
    response = paste(staff_client, json.dumps(LAGO_PLAN))
    plan = imported(app, brand)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/catalog/plans/{plan['id']}")
    assert (plan["kind"], plan["payment"], plan["currency"]) == ("plan", "prepaid", "EUR")
    assert plan["versions"] == [(1, "draft")]
    assert plan["components"] == [
        ("subscription_fee", "recurring", Decimal("49.99"), None, None),
        ("data_mb", "usage", None, "data_mb", "package"),
        ("voice_minutes", "usage", None, "voice_minutes", "graduated"),
    ]
    body = page(get(staff_client, response.headers["Location"]))
    assert "Plan Startup imported from Lago as draft version 1" in body
    assert 'data-testid="draft-form"' in body
    assert 'value="subscription_fee"' in body and 'value="49.99"' in body
    assert 'value="data_mb"' in body and 'value="voice_minutes"' in body
    assert "&#34;package_size&#34;: 1024" in body


def test_what_lago_has_and_the_plan_does_not_carry_is_shown_in_one_line(
    app: Any, make: Any, staff_client: Any
) -> None:
    with_product(make, staff_client.brand)
    response = paste(staff_client, json.dumps(lago(invoice_display_name="Startup plan")))
    body = page(get(staff_client, response.headers["Location"]))
    assert "Not carried from Lago: invoice_display_name, tax_codes." in body


def test_a_plan_with_nothing_left_behind_shows_no_warning(
    app: Any, make: Any, staff_client: Any
) -> None:
    with_product(make, staff_client.brand)
    response = paste(staff_client, json.dumps(lago(tax_codes=[])))
    body = page(get(staff_client, response.headers["Location"]))
    assert "imported from Lago" in body and "Not carried" not in body


def test_the_plan_body_alone_imports_too_as_the_kind_and_payment_chosen(
    app: Any, make: Any, staff_client: Any
) -> None:
    with_product(make, staff_client.brand)
    body = lago(code="roaming-eu", amount_cents=500)["plan"]
    response = paste(staff_client, json.dumps(body), kind="addon", payment="postpaid")
    plan = imported(app, staff_client.brand, "roaming-eu")
    assert response.status_code == 302
    assert (plan["kind"], plan["payment"]) == ("addon", "postpaid")
    assert plan["components"][0][:3] == ("subscription_fee", "recurring", Decimal("5.00"))


def test_a_plan_without_a_currency_is_priced_in_the_brand_currency(app: Any, make: Any) -> None:
    brand = make.brand(currency="PLN")
    client = logged_in(app, make, brand)
    with_product(make, brand)
    obj = lago(amount_currency=None)
    assert paste(client, json.dumps(obj)).status_code == 302
    plan = imported(app, brand)
    assert plan["currency"] == "PLN" and plan["components"][0][2] == Decimal("49.99")


def test_json_that_is_not_valid_is_refused_with_its_line_and_column_and_kept(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    with_product(make, brand)
    pasted = '{"plan": {\n  "code": "startup",\n  "amount_cents": 4999,\n}}'
    response = paste(staff_client, pasted)
    body = page(response)
    assert response.status_code == 400
    assert field_errors(body) == {
        "lago_json": ["This is not valid JSON: look at line 4, column 1."]
    }
    assert field_values(body)["lago_json"].strip() == pasted
    assert plan_count(app, brand) == 1  # only the brand's own plan


def test_a_trial_period_is_refused_with_its_reason_and_nothing_is_created(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    with_product(make, brand)
    pasted = json.dumps(lago(trial_period=14))
    response = paste(staff_client, pasted)
    body = page(response)
    assert response.status_code == 400
    assert (
        "Plan not imported: Lago plan &#34;startup&#34;: trial_period: "
        "trial days are not supported yet" in body
    )
    assert str(escape(pasted)) in body
    assert imported(app, brand) is None


def test_a_charge_on_a_metric_the_brand_lacks_is_refused_and_nothing_is_created(
    app: Any, make: Any, staff_client: Any
) -> None:
    brand = staff_client.brand
    with_product(make, brand)
    obj = lago()
    obj["plan"]["charges"][0]["billable_metric_code"] = "api_calls"
    response = paste(staff_client, json.dumps(obj))
    assert response.status_code == 400
    assert "metric &#34;api_calls&#34; does not exist" in page(response)
    assert imported(app, brand) is None


def test_something_other_than_an_object_is_refused(make: Any, staff_client: Any) -> None:
    with_product(make, staff_client.brand)
    response = paste(staff_client, "[1, 2]")
    assert response.status_code == 400
    assert "Plan not imported: Lago plan: expected an object" in page(response)


def test_a_number_too_long_for_python_is_refused_as_json(make: Any, staff_client: Any) -> None:
    with_product(make, staff_client.brand)
    response = paste(staff_client, '{"plan": {"amount_cents": ' + "1" * 5000 + "}}")
    assert response.status_code == 400
    assert field_errors(response) == {
        "lago_json": ["This JSON holds a number too long or nesting too deep to read."]
    }


def test_a_code_in_use_is_refused(app: Any, make: Any, staff_client: Any) -> None:
    make.plan(staff_client.brand, code="startup")
    response = paste(staff_client, json.dumps(LAGO_PLAN))
    assert response.status_code == 400
    assert "a plan with this code exists already" in page(response)


def test_another_brands_product_cannot_take_the_plan(
    app: Any, make: Any, staff_client: Any
) -> None:
    other = make.brand()
    make.plan(other, product="iot")
    with_product(make, staff_client.brand)
    response = paste(staff_client, json.dumps(LAGO_PLAN), product="iot")
    assert response.status_code == 400
    assert field_errors(response) == {"product": ["Choose one of the options offered."]}
    assert imported(app, staff_client.brand) is None and imported(app, other) is None


def test_read_only_staff_cannot_import(app: Any, make: Any) -> None:
    brand = make.brand()
    user = make.user(brand, "staff", ("read_only",))
    client = app.test_client()
    assert login(client, brand.host, user.email).status_code == 302
    client.brand = brand
    with_product(make, brand)
    assert 'data-testid="import-lago"' not in page(get(client, "/admin/catalog"))
    assert get(client, IMPORT).status_code == 403
    assert paste(client, json.dumps(LAGO_PLAN)).status_code == 403
    assert imported(app, brand) is None
