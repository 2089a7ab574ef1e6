"""A plan's name and description per language: the portal, previews and mails speak the reader's."""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from saas.db import utcnow
from tests.conftest import (
    call,
    get,
    in_brand,
    issue_key,
    logged_in,
    page,
    post,
    recurring,
    text,
)
from tests.support.forms import field_errors, field_values

ROOT = Path(__file__).resolve().parents[2]
POLISH = {"name": "Spree Taryfa 10 GB", "description": "Rozmowy bez limitu i 10 GB."}


@pytest.fixture
def shop(make: Any) -> Any:
    """A German brand also in Polish and English; its small plan and data pass have Polish texts."""
    brand = make.brand(
        currency="EUR", timezone="Europe/Berlin", default_locale="de", locales=("de", "pl", "en")
    )
    small = make.plan(
        brand,
        name="Spree 10 GB",
        description="Allnet-Flat und 10 GB.",
        components=recurring("10.00"),
        translations={"pl": POLISH},
    )
    big = make.plan(
        brand, name="Spree 30 GB", description="Allnet und 30 GB.", components=recurring("20.00")
    )
    one_off = {"code": "pass", "name": "Datenpass", "kind": "one_time", "fee_type": "other"}
    data_pass = make.plan(
        brand,
        name="Datenpass 5 GB",
        kind="addon",
        name_pl="Pakiet danych 5 GB",
        components=[one_off | {"amount": "4.99"}],
    )
    return brand, small, big, data_pass


def reader(app: Any, make: Any, brand: Any, locale: str, version_id: int | None = None) -> Any:
    """A subscriber reading one language, holding the version if one is given."""
    c = logged_in(app, make, brand, kind="subscriber", full_name="Jan Nowak", locale=locale)
    if version_id is not None:
        c.sub = make.subscription(brand, c.user, version_id, utcnow() - timedelta(days=9))
    return c


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_polish_reader_of_a_german_brand_sees_the_plan_cards_in_polish(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, _big, _pass = shop
    c = reader(app, make, brand, "pl")
    body = text(get(c, "/plans"))
    assert f'<h2 id="plan-{small.code}">Spree Taryfa 10 GB</h2>' in body
    assert "Rozmowy bez limitu i 10 GB." in body
    assert "Spree 10 GB<" not in body and "Allnet-Flat und 10 GB." not in body
    # Without texts in Polish, the German ones are shown.
    assert "Spree 30 GB" in body and "Allnet und 30 GB." in body


def test_a_polish_reader_sees_their_plan_and_add_on_in_polish(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, _big, data_pass = shop
    c = reader(app, make, brand, "pl", small.version_id)
    from saas.catalog.models import PlanVersion
    from saas.subscriptions import services as subs

    with in_brand(app, brand.id) as session:
        sub = session.get(subs.Subscription, c.sub.id)
        subs.add_addon(session, sub, session.get(PlanVersion, data_pass.version_id), utcnow())
    body = text(get(c, "/plan"))
    assert re.search(r'data-testid="current-plan-name">Spree Taryfa 10 GB<', body)
    assert re.search(r'data-testid="my-addon">Pakiet danych 5 GB', body)
    assert "Spree Taryfa 10 GB" in text(get(c, "/"))


def test_an_english_reader_without_english_texts_sees_the_brands_own(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, _big, _pass = shop
    c = reader(app, make, brand, "en", small.version_id)
    body = text(get(c, "/plan"))
    assert re.search(r'data-testid="current-plan-name">Spree 10 GB<', body)
    assert "Spree Taryfa" not in text(get(c, "/plans"))


def test_a_preview_names_each_lines_plan_in_the_readers_language(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, big, _pass = shop
    c = reader(app, make, brand, "pl", small.version_id)
    body = text(get(c, f"/plan/{c.sub.id}/preview/change", plan=big.code))
    plans = re.findall(r'data-testid="line-plan">([^<]*)<', body)
    # The credit for the plan held, in Polish; the charge for the other, which has no Polish.
    assert set(plans) == {"Spree Taryfa 10 GB", "Spree 30 GB"}
    assert "Twoja obecna taryfa: Spree Taryfa 10 GB" in body


def test_a_preview_to_take_a_plan_names_it_in_polish_and_keeps_the_german_name_stored(
    app: Any, make: Any, shop: Any
) -> None:
    from saas.subscriptions.models import SubscriptionEvent

    brand, small, _big, _pass = shop
    c = reader(app, make, brand, "pl")
    body = text(get(c, "/plans/subscribe", plan=small.code))
    heading = re.search(r'id="preview-heading">(.*?)</h2>', body, re.S)
    assert heading is not None and heading[1].endswith(": Spree Taryfa 10 GB")
    assert "Spree Taryfa 10 GB" in re.findall(r'data-testid="line-plan">([^<]*)<', body)
    confirm = re.search(r'data-testid="confirm-form">(.*?)</form>', body, re.S)
    assert confirm is not None
    form = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', confirm[1]))
    response = post(c, "/plans/subscribe", form)
    assert response.status_code == 302, page(response)
    with in_brand(app, brand.id) as session:
        event = session.scalars(select(SubscriptionEvent)).first()
        assert event is not None
        assert {line.get("plan_name") for line in event.data["charges"]["lines"]} == {"Spree 10 GB"}


def test_the_mail_names_the_plan_in_the_holders_language(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    from saas.notifications.models import OutboundEmail

    brand, small, _big, _pass = shop
    jan = make.user(brand, "subscriber", locale="pl")
    erika = make.user(brand, "subscriber", locale="de")
    make.subscription(brand, jan, small.version_id)
    make.subscription(brand, erika, small.version_id)
    with in_brand(app, brand.id) as session:
        rows = session.scalars(select(OutboundEmail))
        mails = {m.recipient: (m.subject, m.body_text) for m in rows}
    assert "Spree Taryfa 10 GB" in mails[jan.email][0]
    assert "Spree Taryfa 10 GB" in mails[jan.email][1]
    assert "Spree 10 GB" in mails[erika.email][0]


# The console


def test_the_plan_page_edits_the_texts_of_each_other_language_in_german(
    app: Any, make: Any, shop: Any
) -> None:
    brand, small, _big, _pass = shop
    owner = logged_in(app, make, brand, locale="de")
    shown = page(get(owner, f"/admin/catalog/plans/{small.id}"))
    assert [m for m in re.findall(r'data-language="([a-z]+)"', shown)] == ["pl", "en"]
    assert '<label for="texts-0-name">Name (Polski)</label>' in text(
        get(owner, f"/admin/catalog/plans/{small.id}")
    )
    values = field_values(shown)
    assert values["texts-0-name"] == POLISH["name"] and values["texts-1-name"] == ""

    typed = {
        "name": "Spree 10 GB",
        "description": "Allnet-Flat und 10 GB.",
        "tax_category": "standard",
        "texts-0-language": "pl",
        "texts-0-name": "x" * 201,
        "texts-0-description": "",
        "texts-1-language": "en",
        "texts-1-name": "Spree Ten",
        "texts-1-description": "Calls and 10 GB.",
    }
    refused = post(owner, f"/admin/catalog/plans/{small.id}", typed)
    assert refused.status_code == 400
    assert field_errors(refused) == {"texts-0-name": ["Verwenden Sie höchstens 200 Zeichen."]}
    assert field_values(refused)["texts-1-name"] == "Spree Ten"  # kept as typed

    saved = post(owner, f"/admin/catalog/plans/{small.id}", typed | {"texts-0-name": ""})
    assert saved.status_code == 302, page(saved)
    from saas.catalog import models as M
    from saas.identity.audit import AuditEvent

    with in_brand(app, brand.id) as session:
        plan = session.get(M.Plan, small.id)
        # Polish left with no name and no description: it reads as German again.
        assert plan.translations == {"en": {"name": "Spree Ten", "description": "Calls and 10 GB."}}
        change = session.scalars(
            select(AuditEvent).filter_by(object_type="plans", action="update")
        ).one()
        assert change.changes["translations"][1] == plan.translations
    log = text(get(owner, "/admin/audit"))
    assert "Namen in anderen Sprachen" in log


def test_a_language_the_brand_does_not_offer_is_refused_beside_its_row(
    app: Any, make: Any, shop: Any
) -> None:
    brand, small, _big, _pass = shop
    owner = logged_in(app, make, brand, locale="de")
    typed = {"name": "Spree 10 GB", "tax_category": "standard", "texts-0-language": "de"}
    refused = post(owner, f"/admin/catalog/plans/{small.id}", typed | {"texts-0-name": "Doppelt"})
    assert refused.status_code == 400
    assert field_errors(refused) == {
        "texts-0-language": ["Diese Sprache bietet die Marke nicht an."]
    }


# Brand files


def test_a_brand_file_gives_plans_texts_as_keys_or_as_a_table(app: Any, make: Any) -> None:
    from saas.catalog import services as catalog

    brand = make.brand(currency="PLN", default_locale="pl", locales=("pl", "en", "de"))
    plan = {"product": "m", "components": recurring("10.00")}
    data = {
        "products": [{"code": "m", "name": "Komórka"}],
        "plans": [
            plan | {"code": "a", "name": "Taryfa A", "name_en": "Plan A", "description_de": "D"},
            plan
            | {
                "code": "b",
                "name": "Taryfa B",
                "translations": {"en": {"name": "Plan B", "description": "All of B."}},
            },
        ],
    }
    with in_brand(app, brand.id) as session:
        catalog.load_catalog(session, data, "PLN")
        texts = {p.code: p.translations for p in catalog.plans(session)}
    assert texts == {
        "a": {"de": {"description": "D"}, "en": {"name": "Plan A"}},
        "b": {"en": {"description": "All of B.", "name": "Plan B"}},
    }


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"name_pl": "Taryfa"}, "is the brand's own language"),
        ({"name_fr": "Forfait"}, "is not a language the platform speaks"),
        ({"translations": {"en": {"title": "x"}}}, "an object with a name and a description"),
        ({"translations": {"en": {"name": "x" * 201}}}, "name must have at most 200 characters"),
    ],
)
def test_a_brand_files_wrong_texts_are_refused_naming_the_plan_and_language(
    app: Any, make: Any, given: dict[str, Any], says: str
) -> None:
    from saas.catalog import services as catalog
    from saas.catalog.specs import CatalogError

    brand = make.brand(currency="PLN", default_locale="pl", locales=("pl", "en"))
    plan = {"code": "a", "name": "A", "product": "m", "components": recurring("1.00")}
    data = {"products": [{"code": "m", "name": "M"}], "plans": [plan | given]}
    with in_brand(app, brand.id) as session, pytest.raises(CatalogError) as refused:
        catalog.load_catalog(session, data, "PLN")
    assert says in refused.value.english()
    assert 'plan "a"' in refused.value.english()


@pytest.mark.parametrize(
    ("slug", "default", "code", "english"),
    [
        ("spreewelle", "de", "allnet-10", "Spree Allnet 10 GB"),
        ("wislafon", "pl", "abonament-20", "Contract 20 GB"),
    ],
)
def test_the_demo_brands_plans_have_english_texts(
    app: Any, make: Any, slug: str, default: str, code: str, english: str
) -> None:
    from saas.catalog import services as catalog

    with (ROOT / "tenants" / f"{slug}.toml").open("rb") as fh:
        brand_file = tomllib.load(fh)
    assert brand_file["locales"] == [default, "en"]
    brand = make.brand(
        currency=brand_file["currency"], default_locale=default, locales=(default, "en")
    )
    with in_brand(app, brand.id) as session:
        catalog.load_catalog(session, brand_file["catalog"], brand_file["currency"])
        plans = catalog.plans(session)
        assert all(p.translations["en"]["name"] for p in plans)
        assert all(p.translations["en"]["description"] for p in plans)
        assert next(p for p in plans if p.code == code).translations["en"]["name"] == english


# The API


def test_the_api_shows_and_changes_a_plans_texts_per_language(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    brand, small, big, _pass = shop
    token, _, _ = issue_key(app, brand, ("catalog.read", "catalog.write"))
    client = app.test_client()
    shown = call(client, brand, f"/plans/{small.id}", token).get_json()
    assert shown["translations"] == {"pl": POLISH}
    assert "translations" not in call(client, brand, f"/plans/{big.id}", token).get_json()

    english = {"name": "Spree Ten"}
    body = {"translations": {"en": english, "pl": None}}
    changed = call(client, brand, f"/plans/{small.id}", token, "PATCH", json=body)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["translations"] == {"en": english}
    assert changed.get_json()["name"] == "Spree 10 GB"

    german = {"translations": {"de": {"name": "Doppelt"}}}
    refused = call(client, brand, f"/plans/{small.id}", token, "PATCH", json=german)
    assert refused.status_code == 422
    [error] = refused.get_json()["errors"]
    assert (error["pointer"], error["code"]) == ("/translations/de", "catalog.default_language")

    too_long = {"translations": {"en": {"name": "x" * 201}}}
    refused = call(client, brand, f"/plans/{small.id}", token, "PATCH", json=too_long)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["pointer"] == "/translations/en/name"


def test_texts_in_another_language_cost_no_query_more(app, make, shop) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import counted

    brand, small, _big, _pass = shop
    polish, german = (reader(app, make, brand, loc, small.version_id) for loc in ("pl", "de"))
    for path in ("/plans", "/plan"):
        seen = []
        for c in (polish, german):
            get(c, path)  # once to warm what a first visit reads
            with counted() as statements:
                assert get(c, path).status_code == 200
            seen.append(len(statements))
        assert seen[0] == seen[1], path
