"""Previews say what they mean: the plan of each line, the days charged, how long promotions run."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from saas.db import utcnow
from tests.conftest import api_post, get, in_brand, issue_key, logged_in, recurring, text

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def shop(app: Any, make: Any) -> Any:
    """A German brand selling a small and a big plan, a one-time data pass and a promotion."""
    brand = make.brand(
        currency="EUR", timezone="Europe/Berlin", default_locale="de", locales=("de", "en")
    )
    small = make.plan(brand, name="Spree 10 GB", components=recurring("10.00"))
    big = make.plan(brand, name="Spree 30 GB", components=recurring("20.00"))
    one_off = {"code": "pass", "name": "Datenpass", "kind": "one_time", "fee_type": "other"}
    data_pass = make.plan(
        brand, name="Datenpass 5 GB", kind="addon", components=[one_off | {"amount": "4.99"}]
    )
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec

    spec = {"code": "half", "name": "Halber Preis", "kind": "percent", "value": "50"}
    with in_brand(app, brand.id) as session:
        catalog.create_promotion(
            session,
            PromotionSpec.parse(
                spec | {"promo_code": "HALF", "duration": "repeating", "cycles": 3}
            ),
        )
    return brand, small, big, data_pass


def subscriber(app: Any, make: Any, brand: Any, version_id: int | None = None) -> Any:
    c = logged_in(app, make, brand, kind="subscriber", full_name="Erika Muster", locale="de")
    if version_id is not None:
        c.sub = make.subscription(brand, c.user, version_id, utcnow() - timedelta(days=9))
    return c


def _rows(page: str) -> list[str]:
    rows = re.findall(r'<tr data-testid="preview-line".*?</tr>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_an_upgrade_names_the_plan_of_each_line_and_the_days_it_charges(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    from babel.dates import format_interval

    from saas.subscriptions import services as subs

    brand, small, big, _pass = shop
    c = subscriber(app, make, brand, small.version_id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=big.code))
    credit, charge = _rows(page)
    with in_brand(app, brand.id) as session:
        sub = session.get(subs.Subscription, c.sub.id)
        period = subs.current_period(session, sub, utcnow())
    today = utcnow().astimezone(BERLIN).date()
    days, of = (period.end - today).days, period.days
    span = format_interval(today, period.end - timedelta(days=1), "Md", locale="de")
    if today == period.end - timedelta(days=1):
        pytest.skip("the period ends today: a one-day span is written as one day")
    assert credit.startswith("Spree 10 GB Monthly fee Anteilige Gutschrift")
    assert charge.startswith("Spree 30 GB Monthly fee Anteilige Berechnung")
    for row in (credit, charge):
        assert f"{days} von {of} Tagen, {span}" in row, row


def test_a_one_time_add_on_does_not_promise_a_monthly_price(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, _big, data_pass = shop
    c = subscriber(app, make, brand, small.version_id)
    page = text(get(c, f"/plan/{c.sub.id}/preview/addon", addon=data_pass.code))
    assert "Nichts weiter: einmal gekauft." in page
    assert "0,00\xa0€ pro Monat" not in page


def test_taking_a_promotion_says_how_long_it_lasts_and_the_price_after(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, _big, _pass = shop
    c = subscriber(app, make, brand)
    page = text(get(c, "/plans/subscribe", plan=small.code, promo_code="HALF"))
    said = re.search(r'data-testid="preview-promotion">([^<]+)<', page)
    assert said is not None
    assert said.group(1) == "Halber Preis: für die ersten 3 Monate, danach 10,00\xa0€ pro Monat."


def test_the_api_preview_carries_the_plan_of_each_line_and_the_promotions_terms(
    app, client, make, shop
) -> None:  # type: ignore[no-untyped-def]
    brand, small, big, _pass = shop
    token, _, _ = issue_key(app, brand, ["subscriptions.read", "subscriptions.write"])
    person = make.user(brand, "subscriber")
    body = {"subscriber_id": person.id, "plan_version_id": small.version_id, "promo_code": "HALF"}
    taken = api_post(client, brand, "/subscriptions/preview", token, body).json
    assert taken["promotion"] == {
        "code": "half",
        "name": "Halber Preis",
        "duration": "repeating",
        "cycles": 3,
        "then_recurring": "10.00",
    }
    assert [line.get("plan_name") for line in taken["lines"]] == ["Spree 10 GB", None]
    sub = make.subscription(brand, person, small.version_id, utcnow() - timedelta(days=9))
    change = {"plan_version_id": big.version_id}
    priced = api_post(client, brand, f"/subscriptions/{sub.id}/plan-change/preview", token, change)
    assert [line["plan_name"] for line in priced.json["lines"]] == ["Spree 10 GB", "Spree 30 GB"]
    assert "promotion" not in priced.json


def test_a_grandfathered_subscriber_sees_the_price_they_pay_and_the_announced_new_one(
    app, make, shop
) -> None:  # type: ignore[no-untyped-def]
    from saas.catalog import models as M
    from saas.subscriptions import migrations
    from tests.integration.test_admin_subscriptions import republish

    brand, small, _big, _pass = shop
    c = subscriber(app, make, brand, small.version_id)
    new_id = republish(app, brand, small.code, "12.50")
    page = text(get(c, "/plan"))
    assert re.search(r"<strong>10,00\xa0€</strong> pro Monat\s*<span[^>]*>Ihr Preis<", page)
    kept = re.search(r'data-testid="kept-price">([^<]+)<', page)
    assert kept is not None and "12,50\xa0€ pro Monat" in kept.group(1)
    with in_brand(app, brand.id) as session:
        old, new = session.get(M.PlanVersion, small.version_id), session.get(M.PlanVersion, new_id)
        migrations.schedule(session, old, new)
    page = text(get(c, "/plan"))
    announced = re.search(r'data-testid="announced-price">([^<]+)<', page)
    assert announced is not None
    assert re.fullmatch(
        r"Neue Preisliste ab \d{2}\.\d{2}\.\d{4}: 12,50\xa0€ pro Monat \(Spree 10 GB\)",
        announced.group(1),
    ), announced.group(1)
