"""Charging on screen and in the API: allowances left, prepaid balances, wholesale agreements."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from saas.db import utcnow
from saas.platform_setup import DEMO_OPERATOR
from saas.subscriptions.models import Subscription
from saas.usage import balances, wholesale
from saas.usage.wholesale import RateSpec
from tests.conftest import api_post, call, get, in_brand, issue_key, logged_in, login, post, text
from tests.support.charging import charge, line_for, plan, record, subscriber

MB = 1024 * 1024
PLATFORM = "http://localhost"
ALLOWANCES = [
    {"metric": "voice_minutes", "quantity": "500"},
    {"metric": "data_mb", "quantity": "10240"},
    {"metric": "sms", "quantity": "unlimited"},
]


def _used(app: Any, make: Any, locale: str = "de", payment: str = "postpaid") -> Any:
    brand = make.brand(default_locale=locale, locales=[locale], timezone="Europe/Berlin")
    made = plan(make, brand, ALLOWANCES, payment=payment)
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    now = utcnow() - timedelta(hours=1)
    rows = [
        record(line, usage=188 * 60, started_at=now),
        record(line, service="data", usage=int(Decimal("6.8") * 1024 * MB), started_at=now),
        record(line, service="sms", usage=1, started_at=now),
    ]
    charge(app, brand, rows)
    with in_brand(app, brand.id) as session:
        account_id = session.get(Subscription, sub.id).account_id
    return brand, sub, account_id


def _portal(app: Any, brand: Any, person: Any) -> Any:
    client = app.test_client()
    assert login(client, brand.host, person.email).status_code == 302
    client.brand = brand
    return client


def test_the_portal_says_what_is_left_of_each_allowance_in_the_locales_words(
    app: Any, make: Any
) -> None:
    brand, sub, _ = _used(app, make, "de")
    client = _portal(app, brand, sub.person)
    assert f'href="/plan/{sub.id}/allowances"' in text(get(client, "/plan"))
    shown = text(get(client, f"/plan/{sub.id}/allowances"))
    assert "312 von 500 Minuten übrig" in shown
    assert "3,2 GB von 10 GB übrig" in shown
    assert "Unbegrenzt: 1 SMS verbraucht" in shown
    assert 'data-testid="my-balance"' not in shown  # postpaid: no balance


def test_the_polish_portal_counts_in_polish(app: Any, make: Any) -> None:
    brand, sub, _ = _used(app, make, "pl")
    shown = text(get(_portal(app, brand, sub.person), f"/plan/{sub.id}/allowances"))
    assert "Zostało 312 z 500 minut" in shown and "Zostało 3,2 GB z 10 GB" in shown


def test_a_prepaid_subscriber_sees_the_balance_and_its_top_ups(app: Any, make: Any) -> None:
    brand, sub, account_id = _used(app, make, "de", payment="prepaid")
    with in_brand(app, brand.id) as session:
        balances.top_up(session, account_id, Decimal("15.00"), "Willkommen")
    shown = text(get(_portal(app, brand, sub.person), f"/plan/{sub.id}/allowances"))
    assert 'data-testid="my-balance"' in shown
    assert "15,00\xa0€" in shown and "Aufladung" in shown


def test_another_persons_line_has_no_usage_page(app: Any, make: Any) -> None:
    brand, sub, _ = _used(app, make, "de")
    stranger = make.user(brand, "subscriber", full_name="Otto Fremd")
    assert get(_portal(app, brand, stranger), f"/plan/{sub.id}/allowances").status_code == 404


def test_staff_top_up_in_the_console_with_errors_beside_the_fields(app: Any, make: Any) -> None:
    brand, sub, account_id = _used(app, make, "de", payment="prepaid")
    staff = logged_in(app, make, brand, ("agent",))
    page = text(get(staff, f"/admin/subscriptions/{sub.id}/allowances"))
    assert "312 von 500 Minuten übrig" in page and "Prepaid-Guthaben" in page
    refused = post(staff, f"/admin/subscriptions/{sub.id}/top-up", {"amount": "0", "reason": ""})
    assert refused.status_code == 422
    said = text(refused)
    assert said.count("has-error") >= 2 and "Fill this in." not in said
    done = post(
        staff, f"/admin/subscriptions/{sub.id}/top-up", {"amount": "12,50", "reason": "Bar"}
    )
    assert done.status_code == 302
    page = text(get(staff, f"/admin/subscriptions/{sub.id}/allowances"))
    assert "12,50\xa0€" in page and "Bar" in page
    with in_brand(app, brand.id) as session:
        assert balances.balance(session, account_id).balance == Decimal("12.50")


def test_read_only_staff_see_the_balance_but_cannot_top_up(app: Any, make: Any) -> None:
    brand, sub, _ = _used(app, make, "de", payment="prepaid")
    staff = logged_in(app, make, brand, ("read_only",))
    page = text(get(staff, f"/admin/subscriptions/{sub.id}/allowances"))
    assert 'data-testid="top-up-form"' not in page
    answer = post(staff, f"/admin/subscriptions/{sub.id}/top-up", {"amount": "5", "reason": "x"})
    assert answer.status_code == 403


@pytest.fixture(scope="module")
def operator(app: Any) -> Any:
    client = app.test_client()
    email, password = DEMO_OPERATOR
    assert login(client, "localhost", email, password).status_code == 302
    return client


def test_the_operator_keeps_a_brands_wholesale_agreement_in_versions(
    app: Any, make: Any, operator: Any
) -> None:
    brand = make.brand(timezone="Europe/Berlin")
    where = f"/platform/brands/{brand.slug}/wholesale"
    empty = operator.get(where, base_url=PLATFORM)
    assert empty.status_code == 200 and 'data-testid="wholesale-none"' in text(empty)
    form = {
        "name": "Host MNO 2027",
        "valid_from": "2027-01-01",
        "line_fee": "0.50",
        "groups-0-code": "de_mobile",
        "groups-0-name": "German mobiles",
        "groups-0-prefixes": "4915 4916 +4917",
        "rates-0-service": "voice",
        "rates-0-price": "0.01",
        "rates-1-service": "voice",
        "rates-1-group": "de_mobile",
        "rates-1-price": "0.02",
        "rates-2-service": "data",
        "rates-2-from_volume": "1000000",
        "rates-2-price": "0.0005",
    }
    refused = operator.post(
        f"{where}/new", data={**form, "rates-3-service": "sms"}, base_url=PLATFORM
    )
    assert refused.status_code == 422  # a rate without a price
    saved = operator.post(f"{where}/new", data=form, base_url=PLATFORM)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{where}/1")
    shown = text(operator.get(f"{where}/1", base_url=PLATFORM))
    assert "Host MNO 2027" in shown and "4915, 4916, 4917" in shown
    assert shown.count('data-testid="wholesale-rate"') == 3
    again = operator.post(f"{where}/new", data=form, base_url=PLATFORM)
    assert again.status_code == 422 and "must be later than the start" in text(again)
    with in_brand(app, brand.id) as session:
        (version,) = wholesale.versions(session)
        assert version.valid_from.isoformat() == "2026-12-31T23:00:00+00:00"
        prices = sorted((r.service, r.price) for r in version.rates)
        assert prices == [
            ("data", Decimal("0.0005")),
            ("voice", Decimal("0.01")),
            ("voice", Decimal("0.02")),
        ]


def test_the_operator_sees_records_no_agreement_priced(app: Any, make: Any, operator: Any) -> None:
    brand = make.brand()
    made = plan(make, brand, [])
    sub = subscriber(make, brand, made.version_id)
    line = line_for(app, brand, sub.id)
    charge(app, brand, [record(line, started_at=utcnow() - timedelta(minutes=5))] * 1)
    with in_brand(app, brand.id) as session:
        wholesale.create_version(
            session,
            name="Later",
            currency="EUR",
            valid_from=utcnow() + timedelta(days=1),
            line_fee=Decimal(0),
            groups=[],
            rates=[RateSpec("voice", Decimal("0.01"))],
        )
    shown = text(operator.get(f"/platform/brands/{brand.slug}/wholesale", base_url=PLATFORM))
    assert 'data-testid="wholesale-gaps" data-count="1"' in shown
    figures = text(operator.get(f"/platform/brands/{brand.slug}", base_url=PLATFORM))
    assert 'data-testid="figure-unpriced">1<' in figures


KEYS = ("usage.read", "prepaid.write")


def test_the_api_answers_allowances_and_balances_and_tops_up(
    app: Any, make: Any, client: Any
) -> None:
    brand, sub, account_id = _used(app, make, "de", payment="prepaid")
    token = issue_key(app, brand, KEYS)[0]
    answer = call(client, brand, f"/subscriptions/{sub.id}/allowances", token)
    assert answer.status_code == 200
    by_metric = {a["metric"]: a for a in answer.get_json()["data"]}
    assert (by_metric["voice_minutes"]["left"], by_metric["voice_minutes"]["total"]) == (
        "312",
        "500",
    )
    assert by_metric["sms"]["total"] is None and by_metric["sms"]["used"] == "1"
    refused = api_post(
        client, brand, f"/accounts/{account_id}/top-ups", token, {"amount": 5.5, "reason": "x"}
    )
    assert refused.status_code == 422  # a float is refused: decimals travel as text
    negative = api_post(
        client, brand, f"/accounts/{account_id}/top-ups", token, {"amount": "-1", "reason": "x"}
    )
    assert negative.status_code == 422
    assert negative.get_json()["errors"][0]["code"] == "prepaid.amount_not_positive"
    done = api_post(
        client,
        brand,
        f"/accounts/{account_id}/top-ups",
        token,
        {"amount": "20.00", "reason": "Shop"},
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["balance"] == "20" and body["entries"][0]["kind"] == "top_up"
    assert call(client, brand, f"/accounts/{account_id}/balance", token).get_json() == body


def test_the_api_does_not_show_another_brands_records_nor_without_its_scope(
    app: Any, make: Any, client: Any
) -> None:
    brand, sub, account_id = _used(app, make, "de", payment="prepaid")
    other = make.brand()
    foreign = issue_key(app, other, KEYS)[0]
    assert call(client, other, f"/subscriptions/{sub.id}/allowances", foreign).status_code == 404
    assert call(client, other, f"/accounts/{account_id}/balance", foreign).status_code == 404
    top_up = {"amount": "5", "reason": "x"}
    assert (
        api_post(client, other, f"/accounts/{account_id}/top-ups", foreign, top_up).status_code
        == 404
    )
    reader = issue_key(app, brand, ("usage.read",))[0]
    assert (
        api_post(client, brand, f"/accounts/{account_id}/top-ups", reader, top_up).status_code
        == 403
    )


def test_the_designer_keeps_the_zones_an_allowance_is_drawn_on_in_too(
    app: Any, make: Any, staff_client: Any
) -> None:
    from saas.catalog.models import PlanVersion

    brand = staff_client.brand
    made = make.plan(brand, publish=False)
    form = {
        "components-0-kind": "recurring",
        "components-0-code": "base",
        "components-0-name": "Fee",
        "components-0-amount": "10",
        "allowances-0-metric": "data_mb",
        "allowances-0-quantity": "1024",
        "allowances-0-zones": "eu, ch",
        "interval": "monthly",
    }
    saved = post(staff_client, f"/admin/catalog/versions/{made.version_id}/contents", form)
    assert saved.status_code == 302, text(saved)
    with in_brand(app, brand.id) as session:
        (allowance,) = session.get(PlanVersion, made.version_id).allowances
        assert allowance.zones == ["eu", "ch"]
    shown = text(get(staff_client, f"/admin/catalog/plans/{made.id}"))
    assert 'value="eu ch"' in shown
    metric = post(
        staff_client,
        "/admin/catalog/metrics",
        {
            "metric_code": "eu_mb",
            "metric_name": "EU data",
            "metric_unit": "MB",
            "metric_zone": "eu",
        },
    )
    assert metric.status_code == 302
    with in_brand(app, brand.id) as session:
        from sqlalchemy import select

        from saas.catalog.models import Metric

        found = session.scalar(select(Metric).filter_by(code="eu_mb"))
        assert (found.service, found.zone) == (None, "eu")
