"""A promotion's page in the console: its facts in words, who took it, editing and ending it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import counted, get, in_brand, logged_in, page, post
from tests.support.forms import field_errors, field_values

PERCENT = {"code": "spring", "name": "Spring", "kind": "percent", "value": "10"}


def add(client: Any, **fields: str) -> Any:
    """Create a promotion through the console form; return the response."""
    return post(client, "/admin/catalog/promotions", PERCENT | fields)


def stored(app: Any, brand: Any, code: str = "spring") -> Any:
    from saas.catalog.models import Promotion

    with in_brand(app, brand.id) as session:
        row = session.scalars(select(Promotion).filter_by(code=code)).one()
        session.expunge(row)
        return row


def take(app: Any, brand: Any, person: Any, version_id: int, promo_code: str) -> int:
    """Subscribe a person with a promo code; return the subscription's id."""
    from saas.catalog.models import PlanVersion
    from saas.identity.models import User
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        version = session.get(PlanVersion, version_id)
        sub = subs.subscribe(session, session.get(User, person.id), version, promo_code=promo_code)
        return int(sub.id)


@pytest.fixture
def shop(app: Any, make: Any) -> Any:
    """An English-speaking EUR brand in Berlin's zone, its owner's client and a monthly plan."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    client = logged_in(app, make, brand)
    client.plan = make.plan(brand, name="Allnet")
    return client


# Refused when it does not fit the brand or the plan


def test_a_fixed_promotion_in_another_currency_than_the_brands_is_refused_beside_it(
    shop: Any,
) -> None:
    response = add(shop, kind="fixed", value="2", currency="USD")
    assert response.status_code == 400
    assert field_errors(response) == {
        "currency": ['promotion "spring": is in USD, but the brand sells in EUR']
    }


def test_a_plan_promotion_in_another_currency_than_the_plans_is_refused(
    make: Any, shop: Any
) -> None:
    zloty = make.plan(shop.brand, currency="PLN")
    response = add(shop, kind="fixed", value="2", currency="EUR", plan=zloty.code)
    assert field_errors(response) == {
        "currency": ['promotion "spring": is in EUR, but the plan is sold in PLN']
    }
    assert add(shop, kind="fixed", value="2", currency="PLN", plan=zloty.code).status_code == 302


def test_a_component_the_plans_current_version_does_not_have_is_refused(shop: Any) -> None:
    response = add(shop, plan=shop.plan.code, component="data")
    assert field_errors(response) == {
        "component": ['promotion "spring": the plan has no recurring component "data" in version 1']
    }
    assert add(shop, plan=shop.plan.code, component="base").status_code == 302


def test_a_draft_only_plan_is_judged_by_its_newest_version(make: Any, shop: Any) -> None:
    draft = make.plan(shop.brand, publish=False, components=[])
    response = add(shop, plan=draft.code, component="base")
    assert "no recurring component" in field_errors(response)["component"][0]


# Its page in words, with who took it


def test_the_page_says_the_discount_in_words_and_lists_who_took_it(
    app: Any, make: Any, shop: Any
) -> None:
    add(shop, plan=shop.plan.code, duration="repeating", cycles="3", promo_code="ten")
    promotion = stored(app, shop.brand)
    person = make.user(shop.brand, "subscriber", full_name="Erika Muster")
    take(app, shop.brand, person, shop.plan.version_id, "TEN")
    response = get(shop, f"/admin/catalog/promotions/{promotion.id}")
    body = page(response)
    assert response.status_code == 200
    assert "10 % off for 3 months" in body
    assert "Erika Muster" in body and person.email in body
    assert f'href="/admin/subscribers/{person.id}"' in body
    assert "Allnet v1" in body and "active" in body
    assert 'data-testid="promotion-edit"' not in body  # redeemed: no more editing
    listing = page(get(shop, "/admin/catalog/promotions"))
    assert f'href="/admin/catalog/promotions/{promotion.id}"' in listing


def test_a_fixed_promotion_reads_in_german_with_times_in_the_brands_zone(
    app: Any, make: Any
) -> None:
    brand = make.brand(
        currency="EUR", timezone="Europe/Berlin", default_locale="de", locales=["de"]
    )
    client = logged_in(app, make, brand)
    fields = {"kind": "fixed", "value": "2", "currency": "EUR"}
    assert add(client, **fields, valid_until="2027-07-01T00:00").status_code == 302
    body = page(get(client, f"/admin/catalog/promotions/{stored(app, brand).id}"))
    assert "2,00\xa0€ Rabatt, einmalig" in body
    assert "bis 01.07.2027, 00:00" in body
    assert "Diese Aktion hat noch niemand eingelöst." in body


def test_the_page_costs_the_same_statements_for_one_holder_as_for_four(
    app: Any, make: Any, shop: Any
) -> None:
    add(shop, promo_code="ten")
    path = f"/admin/catalog/promotions/{stored(app, shop.brand).id}"

    def cost() -> int:
        with counted() as statements:
            assert get(shop, path).status_code == 200
        return len(statements)

    for i in range(4):
        take(app, shop.brand, make.user(shop.brand, "subscriber"), shop.plan.version_id, "TEN")
        if i == 0:
            one = cost()
    assert cost() == one


# Editing while nobody has redeemed it


def test_staff_edit_a_promotion_the_german_way_beside_its_fields(app: Any, make: Any) -> None:
    brand = make.brand(
        currency="EUR", timezone="Europe/Berlin", default_locale="de", locales=["de"]
    )
    client = logged_in(app, make, brand)
    assert add(client, kind="fixed", value="2,5", currency="EUR").status_code == 302
    path = f"/admin/catalog/promotions/{stored(app, brand).id}/edit"
    shown = field_values(get(client, path))
    assert (shown["name"], shown["value"], shown["currency"]) == ("Spring", "2,50", "EUR")
    change = {
        "name": "Frühling",
        "value": "19,99",
        "currency": "eur",
        "duration": "repeating",
        "cycles": "abc",
        "promo_code": "fruehling",
    }
    refused = post(client, path, change)
    assert refused.status_code == 400
    assert field_errors(refused) == {"cycles": ["Geben Sie eine Zahl wie 1234,56 ein."]}
    assert field_values(refused)["value"] == "19,99"
    assert post(client, path, change | {"cycles": "3"}).status_code == 302
    row = stored(app, brand)
    assert (row.name, row.value, row.cycles, row.promo_code) == (
        "Frühling",
        Decimal("19.99"),
        3,
        "FRUEHLING",
    )
    assert (row.code, row.kind, row.currency) == ("spring", "fixed", "EUR")
    too_many = post(client, path, change | {"cycles": "3", "currency": "USD"})
    assert field_errors(too_many) == {
        "currency": ["Aktion „spring“: ist in USD, die Marke verkauft aber in EUR"]
    }


def test_a_redeemed_promotion_can_no_longer_be_edited(app: Any, make: Any, shop: Any) -> None:
    add(shop, promo_code="ten")
    promotion = stored(app, shop.brand)
    take(app, shop.brand, make.user(shop.brand, "subscriber"), shop.plan.version_id, "TEN")
    path = f"/admin/catalog/promotions/{promotion.id}/edit"
    opened = get(shop, path)
    assert opened.status_code == 302
    said = "has been redeemed already and can no longer be changed"
    assert said in page(get(shop, f"/admin/catalog/promotions/{promotion.id}"))
    refused = post(shop, path, {"name": "Changed", "value": "20", "duration": "once"})
    assert refused.status_code == 400 and said in page(refused)
    assert stored(app, shop.brand).name == "Spring"


# Ending it


def test_ending_a_promotion_stops_redemptions_and_its_holders_keep_their_discount(
    app: Any, make: Any, shop: Any
) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.models import PlanVersion
    from saas.catalog.specs import CatalogError
    from saas.identity.audit import AuditEvent
    from saas.subscriptions import charges as C
    from saas.subscriptions.models import Subscription

    add(shop, promo_code="ten", duration="forever")
    promotion = stored(app, shop.brand)
    sub_id = take(app, shop.brand, make.user(shop.brand, "subscriber"), shop.plan.version_id, "TEN")
    before = datetime.now(UTC)
    response = post(shop, f"/admin/catalog/promotions/{promotion.id}/end")
    assert response.status_code == 302
    ended = stored(app, shop.brand).valid_until
    assert before <= ended <= datetime.now(UTC)
    body = page(get(shop, f"/admin/catalog/promotions/{promotion.id}"))
    assert 'data-testid="promotion-end"' not in body and "Ended" in body
    assert 'data-testid="promotion-ended"' in page(get(shop, "/admin/catalog/promotions"))
    with in_brand(app, shop.brand.id) as session:
        version = session.get(PlanVersion, shop.plan.version_id)
        with pytest.raises(CatalogError) as refused:
            catalog.redeemable(session, "TEN", version, datetime.now(UTC))
        assert refused.value.code == "catalog.promo_expired"
        sub = session.get(Subscription, sub_id)
        assert C.per_period(version, sub.promotion, "EUR") == Decimal("9.00")
        audited = session.scalars(select(AuditEvent).filter_by(action="promotion.end")).one()
        assert audited.object_id == str(promotion.id)
    post(shop, f"/admin/catalog/promotions/{promotion.id}/end")
    assert stored(app, shop.brand).valid_until == ended  # an earlier end stays


def test_ending_keeps_an_end_that_passed_already(app: Any, shop: Any) -> None:
    add(shop, valid_until="2020-01-01T00:00")
    promotion = stored(app, shop.brand)
    post(shop, f"/admin/catalog/promotions/{promotion.id}/end")
    assert stored(app, shop.brand).valid_until == datetime(2019, 12, 31, 23, tzinfo=UTC)


def test_a_promotion_not_started_yet_ends_before_it_starts(app: Any, shop: Any) -> None:
    start = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    add(shop, valid_from=start)
    promotion = stored(app, shop.brand)
    post(shop, f"/admin/catalog/promotions/{promotion.id}/end")
    row = stored(app, shop.brand)
    assert row.valid_from == row.valid_until <= datetime.now(UTC)


# Who may, and whose


def test_staff_who_may_only_read_see_the_page_but_cannot_edit_or_end(
    app: Any, make: Any, shop: Any
) -> None:
    add(shop)
    promotion = stored(app, shop.brand)
    reader = logged_in(app, make, shop.brand, ("read_only",))
    body = page(get(reader, f"/admin/catalog/promotions/{promotion.id}"))
    assert 'data-testid="promotion-end"' not in body and 'data-testid="promotion-edit"' not in body
    assert get(reader, f"/admin/catalog/promotions/{promotion.id}/edit").status_code == 403
    for path in ("edit", "end"):
        assert post(reader, f"/admin/catalog/promotions/{promotion.id}/{path}").status_code == 403


def test_another_brands_promotion_answers_404(app: Any, make: Any, shop: Any) -> None:
    other = make.brand()
    theirs = logged_in(app, make, other)
    add(theirs)
    ident = stored(app, other).id
    assert get(shop, f"/admin/catalog/promotions/{ident}").status_code == 404
    assert get(shop, f"/admin/catalog/promotions/{ident}/edit").status_code == 404
    for path in ("edit", "end"):
        assert post(shop, f"/admin/catalog/promotions/{ident}/{path}").status_code == 404
    assert stored(app, other).valid_until is None
