"""The audit log reads as sentences, in the reader's language, naming people and records."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import counted, get, in_brand, logged_in, login, post, text

pytestmark = pytest.mark.postgres


def sentences(client: Any, **query: Any) -> list[str]:
    """The sentences of one page of the log, newest first, as a person reads them."""
    body = text(get(client, "/admin/audit", **query))
    found = re.findall(r'data-testid="audit-sentence">(.*?)</span>', body, re.S)
    return [" ".join(s.split()) for s in found]


@contextmanager
def as_person(app: Any, brand: Any, user: Any) -> Any:
    """Work in the brand's services as one of its staff."""
    from saas.identity.actor import Actor, acting_as

    with acting_as(Actor(user.email, user.id)), in_brand(app, brand.id) as session:
        yield session


@pytest.fixture
def german(app: Any, make: Any) -> Any:
    """A client logged in as Greta Inhaber, owner of a German brand, reading German."""
    brand = make.brand(default_locale="de", locales=["de", "en"], timezone="Europe/Berlin")
    return logged_in(app, make, brand, full_name="Greta Inhaber", locale="de")


def _plan(session: Any, code: str, name: str, amount: str) -> Any:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PlanSpec

    catalog.ensure_standard_metrics(session)
    catalog.product(session, "mobil", "Mobilfunk")
    spec = {"code": code, "name": name, "product": "mobil"}
    spec["components"] = [
        {"code": "grund", "name": "Grundgebühr", "kind": "recurring", "amount": amount}
    ]
    return catalog.create_plan(session, PlanSpec.parse(spec, "EUR"))


def _fee(amount: str) -> Any:
    from saas.catalog.specs import ComponentSpec

    return ComponentSpec("grund", "Grundgebühr", "recurring", Decimal(amount))


def test_catalogue_work_reads_as_german_sentences(app: Any, german: Any) -> None:
    from saas.catalog import services as catalog

    owner, brand = german.user, german.brand
    with as_person(app, brand, owner) as session:
        plan = _plan(session, f"flex-{uuid.uuid4().hex[:6]}", "Spree Flex 20 GB", "19.99")
        catalog.set_contents(session, plan.versions[0], [_fee("24.99")], [])
        catalog.publish(session, plan.versions[0])
        draft = catalog.new_draft(session, plan)
        catalog.set_contents(session, draft, [_fee("22.50")], [])
    said = sentences(german)
    assert (
        said[0]
        == "Greta Inhaber hat den Preis von Spree Flex 20 GB von 24,99 € auf 22,50 € gesenkt"
    )
    assert "Greta Inhaber hat Version 2 von Spree Flex 20 GB angelegt" in said
    assert "Greta Inhaber hat Version 1 von Spree Flex 20 GB veröffentlicht" in said
    assert "Greta Inhaber hat den Preis von Spree Flex 20 GB von 19,99 € auf 24,99 € erhöht" in said
    assert "Greta Inhaber hat den Tarif Spree Flex 20 GB angelegt" in said
    # The unchanged copy of a price into the new draft says nothing.
    assert not [s for s in said if "Grundgebühr" in s and "entfernt" in s]


def test_the_same_change_reads_in_english_for_an_english_reader(app: Any, make: Any) -> None:
    from saas.catalog import services as catalog

    client = logged_in(app, make, make.brand(), full_name="Greta Owner")
    with as_person(app, client.brand, client.user) as session:
        plan = _plan(session, f"flex-{uuid.uuid4().hex[:6]}", "Spree Flex 20 GB", "19.99")
        catalog.set_contents(session, plan.versions[0], [_fee("24.99")], [])
    assert (
        sentences(client)[0]
        == "Greta Owner raised the price of Spree Flex 20 GB from €19.99 to €24.99"
    )


def test_customers_subscriptions_promotions_and_keys_read_as_german_sentences(
    app: Any, make: Any, german: Any
) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import PromotionSpec
    from saas.identity.services import create_user
    from saas.subscriptions import services as subs

    owner, brand = german.user, german.brand
    email = f"anna-{uuid.uuid4().hex[:6]}@kunde.example"
    with as_person(app, brand, owner) as session:
        plan = _plan(session, f"allnet-{uuid.uuid4().hex[:6]}", "Spree Allnet 10 GB", "9.99")
        catalog.publish(session, plan.versions[0])
        anna = create_user(
            session, kind="subscriber", email=email, password=None, full_name="Anna Schmidt"
        )
        session.flush()
        subs.subscribe(session, anna, plan.versions[0])
        catalog.create_promotion(
            session,
            PromotionSpec(
                code=f"w{uuid.uuid4().hex[:6]}",
                name="Willkommensrabatt",
                kind="percent",
                value=Decimal("10"),
            ),
        )
    post(german, "/admin/api-keys/new", {"name": "CRM", "scopes": ["audit.read"]})
    key_id = _key_id(app, brand, "CRM")
    post(german, f"/admin/api-keys/{key_id}/revoke")
    said = sentences(german)
    assert "Greta Inhaber hat den API-Schlüssel CRM widerrufen" in said
    assert "Greta Inhaber hat den API-Schlüssel CRM angelegt" in said
    assert "Greta Inhaber hat die Aktion Willkommensrabatt angelegt" in said
    assert "Greta Inhaber hat Anna Schmidt den Tarif Spree Allnet 10 GB gebucht" in said
    assert f"Greta Inhaber hat den Kundenzugang für Anna Schmidt ({email}) angelegt" in said


def _key_id(app: Any, brand: Any, name: str) -> int:
    from sqlalchemy import select

    from saas.identity.api_keys import ApiKey

    with in_brand(app, brand.id) as session:
        return int(session.scalar(select(ApiKey.id).where(ApiKey.name == name)))


def test_log_in_a_wrong_password_roles_and_deactivation_read_as_german_sentences(
    app: Any, make: Any, german: Any
) -> None:
    brand = german.brand
    agent = make.user(brand, "staff", ("agent",), full_name="Karl Agent")
    assert (
        login(app.test_client(), brand.host, agent.email, "wrong-password-here").status_code == 200
    )
    post(german, f"/admin/staff/{agent.id}/roles", {"roles": ["finance"]})
    post(german, f"/admin/staff/{agent.id}/deactivate")
    said = sentences(german)
    assert said[0] == "Greta Inhaber hat Karl Agent deaktiviert"
    assert (
        said[1]
        == "Greta Inhaber hat die Rollen von Karl Agent von Kundenservice auf Finanzen geändert"
    )
    assert said[2] == "Jemand hat versucht, sich mit falschem Passwort als Karl Agent anzumelden"
    assert "Greta Inhaber hat sich angemeldet" in said


def test_the_platform_working_inside_the_brand_says_why_in_words(app: Any, german: Any) -> None:
    from saas.identity import audit

    with in_brand(app, german.brand.id) as session:
        audit.record(
            session, "tenant.cross", "tenants", german.brand.slug, reason="seed demo people"
        )
        audit.record(
            session, "tenant.cross", "tenants", german.brand.slug, reason="a new job's reason"
        )
    said = sentences(german)
    assert said[0] == "Die Plattform hat in der Marke gearbeitet: Plattformarbeit"
    assert said[1] == "Die Plattform hat in der Marke gearbeitet: Demo-Personen anlegen"


def test_no_internal_field_name_or_raw_code_is_on_the_page(app: Any, german: Any) -> None:
    post(german, "/admin/api-keys/new", {"name": "Sync", "scopes": ["audit.read"]})
    body = text(get(german, "/admin/audit")).split('data-testid="audit-events"')[1]
    body = body.split("</table>")[0]
    for word in (
        "tenant_id",
        "fs_uniquifier",
        "email_key",
        "secret_hash",
        "[redacted]",
        "apikey.",
        "users #",
        "{",
    ):
        assert word not in body, word


def test_the_log_pages_fifty_at_a_time_older_and_newer_keeping_the_filter(
    app: Any, staff_client: Any
) -> None:
    from saas.identity import audit

    with in_brand(app, staff_client.brand.id) as session:
        for n in range(105):
            audit.record(session, "apikey.revoke", "api_keys", 10_000 + n, name=f"Key {n}")
    first = sentences(staff_client, type="api_keys")
    assert len(first) == 50 and first[0].endswith("revoked the API key Key 104")
    body = text(get(staff_client, "/admin/audit", type="api_keys"))
    older = re.search(r'href="([^"]+)" data-testid="audit-older"', body).group(1)
    assert "type=api_keys" in older and 'data-testid="audit-newer"' not in body
    second = text(staff_client.get(older, base_url=f"http://{staff_client.brand.host}"))
    assert second.count('data-testid="audit-event"') == 50 and "Key 54" in second
    newer = re.search(r'href="([^"]+)" data-testid="audit-newer"', second).group(1)
    back = text(staff_client.get(newer, base_url=f"http://{staff_client.brand.host}"))
    assert "Key 104" in back and "Key 54<" not in back and 'data-testid="audit-newer"' not in back


def test_a_page_costs_the_same_queries_however_many_rows_it_names(
    app: Any, make: Any, staff_client: Any
) -> None:
    from saas.catalog import services as catalog

    brand = staff_client.brand

    def add(count: int) -> None:
        with as_person(app, brand, staff_client.user) as session:
            for _ in range(count):
                plan = _plan(session, f"p-{uuid.uuid4().hex[:6]}", "Plan", "5.00")
                catalog.set_contents(session, plan.versions[0], [_fee("6.00")], [])
                catalog.publish(session, plan.versions[0])
        make.subscription(brand, make.user(brand, "subscriber"), make.plan(brand).version_id)

    add(1)
    with counted() as few:
        get(staff_client, "/admin/audit")
    add(4)
    with counted() as many:
        get(staff_client, "/admin/audit")
    assert len(many) == len(few)
