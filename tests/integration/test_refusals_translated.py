"""A refusal reaches the reader in their language: portal, console and API say it by its code."""

from __future__ import annotations

import html
from typing import Any

from tests.conftest import login
from tests.integration.test_api import assert_problem, call, issue_key
from tests.support.forms import field_errors


def page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_german_subscriber_with_a_wrong_promo_code_reads_why_in_german(
    app: Any, make: Any
) -> None:
    brand = make.brand(default_locale="de", locales=["de"])
    plan = make.plan(brand, name="Spree 10 GB")
    person = make.user(brand, "subscriber")
    client = app.test_client()
    assert login(client, brand.host, person.email).status_code == 302
    response = client.get(
        "/plans/subscribe",
        query_string={"plan": plan.code, "promo_code": "falsch"},
        base_url=f"http://{brand.host}",
        follow_redirects=True,
    )
    shown = page(response)
    # Beside the promo code field of the plan's price, which is shown without it.
    assert field_errors(response) == {"promo_code": ["Aktionscode FALSCH: ist ungültig"]}
    assert "is not valid" not in shown


def test_an_expired_promo_code_names_its_end_in_the_brands_time_and_the_readers_format(
    app: Any, make: Any
) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec
    from tests.conftest import in_brand

    brand = make.brand(default_locale="de", locales=["de"], timezone="Europe/Berlin")
    plan = make.plan(brand, name="Spree 10 GB")
    spec = {"code": "alt", "name": "Alt", "kind": "percent", "value": "10", "promo_code": "ALT"}
    with in_brand(app, brand.id) as session:
        ended = {"valid_until": "2020-01-01T00:00:00+00:00"}
        catalog.create_promotion(session, PromotionSpec.parse(spec | ended))
    person = make.user(brand, "subscriber")
    client = app.test_client()
    assert login(client, brand.host, person.email).status_code == 302
    response = client.get(
        "/plans/subscribe",
        query_string={"plan": plan.code, "promo_code": "alt"},
        base_url=f"http://{brand.host}",
        follow_redirects=True,
    )
    assert field_errors(response) == {
        "promo_code": ["Aktionscode ALT: ist am 01.01.2020, 01:00:00 abgelaufen"]
    }


def test_a_polish_owner_reads_a_catalogue_refusal_in_polish(app: Any, make: Any) -> None:
    brand = make.brand(default_locale="pl", locales=["pl"])
    make.plan(brand, code="mini")  # of the product "mobile"
    owner = make.user(brand, "staff", ("owner",))
    client = app.test_client()
    assert login(client, brand.host, owner.email).status_code == 302
    form = {"code": "mini", "name": "Mini", "product": "mobile"}
    response = client.post("/admin/catalog/plans/new", data=form, base_url=f"http://{brand.host}")
    assert response.status_code == 400
    # The catalogue's refusal names the code, so it is shown beside the code field.
    assert field_errors(response) == {"code": ["taryfa „mini”: taryfa o tym kodzie już istnieje"]}


def test_the_api_answers_a_refusal_with_its_code_and_a_polish_detail(
    app: Any, make: Any, client: Any
) -> None:
    brand = make.brand(default_locale="en", locales=["en", "pl"])
    token = issue_key(app, brand, ("catalog.read", "catalog.write"))[0]
    body = {"code": "mini", "name": "Mini", "product": "brak"}
    refused = call(
        client, brand, "/plans", token, "POST", json=body, headers={"Accept-Language": "pl"}
    )
    problem = assert_problem(refused, 409)
    assert problem["code"] == "catalog.missing"
    assert problem["detail"] == "produkt „brak”: nie istnieje"
    english = assert_problem(call(client, brand, "/plans", token, "POST", json=body), 409)
    assert (english["code"], english["detail"]) == (
        "catalog.missing",
        'product "brak": does not exist',
    )
