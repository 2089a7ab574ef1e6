"""Console forms read numbers as the reader's language writes them and keep what was typed."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import in_brand, login
from tests.support.forms import field_errors, field_values


def console(app: Any, make: Any, locale: str, currency: str = "EUR") -> Any:
    """A client logged in as the owner of a fresh brand that speaks only `locale`."""
    brand = make.brand(default_locale=locale, locales=[locale], currency=currency)
    owner = make.user(brand, "staff", ("owner",))
    client = app.test_client()
    assert login(client, brand.host, owner.email).status_code == 302
    client.brand = brand
    return client


def post(client: Any, path: str, data: dict[str, str]) -> Any:
    return client.post(path, data=data, base_url=f"http://{client.brand.host}")


def get(client: Any, path: str) -> Any:
    return client.get(path, base_url=f"http://{client.brand.host}")


def save_draft(client: Any, make: Any, **rows: dict[str, str]) -> tuple[Any, Any]:
    plan = make.plan(client.brand, publish=False)
    form = {f"{row}-{key}": value for row, fields in rows.items() for key, value in fields.items()}
    return plan, post(client, f"/admin/catalog/versions/{plan.version_id}/contents", form)


def amounts(app: Any, brand: Any, plan_id: int) -> dict[str, Decimal | None]:
    from saas.catalog import models as M

    with in_brand(app, brand.id) as session:
        version = session.get(M.Plan, plan_id).versions[0]
        return {c.code: c.amount for c in version.components}


def fee(code: str, amount: str) -> dict[str, str]:
    return {"kind": "recurring", "code": code, "name": code.title(), "amount": amount}


@pytest.mark.parametrize(
    ("locale", "typed", "stored", "shown"),
    [
        ("de", "1.234,56", "1234.56", "1234,56"),
        ("de", "19,99", "19.99", "19,99"),
        ("pl", "19,99", "19.99", "19,99"),
        ("pl", "1 234,56", "1234.56", "1234,56"),
        ("en", "19.99", "19.99", "19.99"),
        ("en", "1,234.56", "1234.56", "1234.56"),
    ],
)
def test_a_price_is_read_in_the_readers_locale_and_shown_back_the_same_way(
    app: Any, make: Any, locale: str, typed: str, stored: str, shown: str
) -> None:
    client = console(app, make, locale)
    plan, response = save_draft(client, make, **{"components-0": fee("base", typed)})
    assert response.status_code == 302
    assert amounts(app, client.brand, plan.id) == {"base": Decimal(stored)}
    editor = get(client, f"/admin/catalog/plans/{plan.id}")
    assert field_values(editor)["components-0-amount"] == shown


def test_every_refused_price_is_named_beside_its_field_in_german_and_the_rest_is_kept(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    plan, response = save_draft(
        client,
        make,
        **{
            "components-0": fee("grund", "19,99"),
            "components-1": fee("extra", "abc"),
            "components-2": fee("option", "1,2,3"),
            "components-3": fee("englisch", "19.99"),
        },
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-1-amount": ["Geben Sie eine Zahl wie 1234,56 ein."],
        "components-2-amount": ["Geben Sie eine Zahl wie 1234,56 ein."],
        "components-3-amount": [
            "19.99 kann verschiedene Zahlen bedeuten: schreiben Sie sie wie 1234,56."
        ],
    }
    typed = field_values(response)
    assert [typed[f"components-{i}-amount"] for i in range(4)] == ["19,99", "abc", "1,2,3", "19.99"]
    assert [typed[f"components-{i}-code"] for i in range(4)] == [
        "grund",
        "extra",
        "option",
        "englisch",
    ]
    assert amounts(app, client.brand, plan.id) == {"base": Decimal("10.00")}  # nothing saved


@pytest.mark.parametrize(
    ("locale", "typed", "error"),
    [
        ("en", "19,99", "19,99 could mean more than one number: write it like 1234.56."),
        ("en", "abc", "Enter a number like 1234.56."),
        ("pl", "abc", "Wpisz liczbę, np. 1234,56."),
        ("pl", "1,2,3", "Wpisz liczbę, np. 1234,56."),
    ],
)
def test_a_price_that_is_no_number_in_the_locale_is_refused_beside_its_field(
    app: Any, make: Any, locale: str, typed: str, error: str
) -> None:
    client = console(app, make, locale)
    _plan, response = save_draft(client, make, **{"components-0": fee("base", typed)})
    assert response.status_code == 400
    assert field_errors(response) == {"components-0-amount": [error]}


def test_a_german_promotion_takes_its_value_and_counts_the_german_way(app: Any, make: Any) -> None:
    from sqlalchemy import select

    from saas.catalog.models import Promotion

    client = console(app, make, "de")
    data = {"code": "herbst", "name": "Herbst", "kind": "fixed", "value": "2,50"}
    data |= {"currency": "EUR", "duration": "repeating", "cycles": "3"}
    assert post(client, "/admin/catalog/promotions", data).status_code == 302
    with in_brand(app, client.brand.id) as session:
        promotion = session.scalars(select(Promotion).filter_by(code="herbst")).one()
        assert (promotion.value, promotion.cycles) == (Decimal("2.50"), 3)


def test_a_german_promotion_names_each_bad_field_at_once(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    data = {"code": "Herbst 20", "name": "", "kind": "percent", "value": "zwanzig"}
    data |= {"duration": "repeating", "cycles": "2,5", "valid_from": "morgen"}
    response = post(client, "/admin/catalog/promotions", data)
    assert response.status_code == 400
    assert field_errors(response) == {
        "code": [
            "Verwenden Sie 1-64 Kleinbuchstaben, Ziffern, Punkt, Bindestrich oder Unterstrich."
        ],
        "name": ["Bitte füllen Sie dieses Feld aus."],
        "value": ["Geben Sie eine Zahl wie 1234,56 ein."],
        "cycles": ["Geben Sie eine ganze Zahl wie 12 ein."],
        "valid_from": ["Geben Sie Datum und Uhrzeit wie 2026-01-31 14:00 ein."],
    }
    assert field_values(response)["value"] == "zwanzig"


def test_german_brand_settings_name_each_refused_field_in_german_and_keep_the_rest(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    data = {"name": "", "legal_name": "Neu GmbH", "support_email": "keine-adresse"}
    response = post(client, "/admin/settings", data)
    assert response.status_code == 400
    assert field_errors(response) == {
        "name": ["Bitte füllen Sie dieses Feld aus."],
        "support_email": [
            "Geben Sie eine Adresse wie hilfe@example.com ein oder lassen Sie das Feld leer."
        ],
    }
    assert field_values(response)["legal_name"] == "Neu GmbH"


def test_a_polish_staff_form_names_the_domains_refusals_beside_their_fields(
    app: Any, make: Any
) -> None:
    client = console(app, make, "pl")
    data = {"email": "zly-adres", "password": "krotkie", "full_name": "Jan"}
    response = post(client, "/admin/staff/new", data)
    assert response.status_code == 400
    assert field_errors(response) == {
        "email": ["Wpisz adres w postaci name@example.com."],
        "password": ["Wymagana liczba znaków to co najmniej 10."],
        "roles": ["Wybierz co najmniej jedną rolę."],
    }
    assert field_values(response)["full_name"] == "Jan"


GRADUATED = {
    "graduated_ranges": [
        {"from_value": 0, "to_value": 1024, "per_unit_amount": "0.002", "flat_amount": "0"},
        {"from_value": 1025, "to_value": None, "per_unit_amount": "0.001", "flat_amount": "0"},
    ]
}


def data_charge(**tiers: dict[str, str]) -> dict[str, str]:
    """A usage row on data with a graduated charge whose ranges are typed as tier rows."""
    row = {"kind": "usage", "code": "daten", "metric": "data_mb", "charge_model": "graduated"}
    row["properties"] = "{}"
    for index, fields in tiers.items():
        row |= {f"tiers-{index}-{key}": value for key, value in fields.items()}
    return row


def charges(app: Any, brand: Any, plan_id: int) -> dict[str, Any]:
    from saas.catalog import models as M

    with in_brand(app, brand.id) as session:
        version = session.get(M.Plan, plan_id).versions[0]
        return {c.code: c.charge for c in version.components}


def test_tiers_typed_the_german_way_become_the_charges_ranges_and_show_again_as_rows(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    first = {"from_value": "0", "to_value": "1024", "price": "0,002"}
    last = {"from_value": "1025", "to_value": "", "price": "0,001"}
    row = data_charge(**{"0": first, "1": last, "2": {}})
    plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 302
    stored = charges(app, client.brand, plan.id)["daten"]
    assert stored == {"charge_model": "graduated", "properties": GRADUATED}
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    assert [shown[f"components-0-tiers-{i}-price"] for i in range(3)] == ["0,002", "0,001", ""]
    assert shown["components-0-tiers-1-to_value"] == ""
    assert json.loads(shown["components-0-properties"]) == GRADUATED  # the same charge as JSON


def test_a_wrong_tier_is_refused_beside_its_own_field(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    first = {"from_value": "1", "to_value": "1024", "price": "0,002"}
    last = {"from_value": "1025", "to_value": "", "price": "null komma eins"}
    _plan, response = save_draft(client, make, **{"components-0": data_charge(**{"0": first})})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["components-0-tiers-0-from_value"]
    _plan, response = save_draft(
        client,
        make,
        **{"components-0": data_charge(**{"0": first | {"from_value": "0"}, "1": last})},
    )
    assert field_errors(response) == {
        "components-0-tiers-1-price": ["Geben Sie eine Zahl wie 1234,56 ein."]
    }
    assert field_values(response)["components-0-tiers-1-price"] == "null komma eins"


def test_decimal_tier_bounds_typed_the_german_way_are_kept_exactly(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    first = {"from_value": "0", "to_value": "0,1", "price": "0", "flat_amount": "2"}
    last = {"from_value": "0,1", "to_value": "", "price": "0,001"}
    plan, response = save_draft(
        client, make, **{"components-0": data_charge(**{"0": first, "1": last})}
    )
    assert response.status_code == 302
    ranges = charges(app, client.brand, plan.id)["daten"]["properties"]["graduated_ranges"]
    assert [(r["from_value"], r["to_value"], r["flat_amount"]) for r in ranges] == [
        (0, "0.1", "2"),
        ("0.1", None, "0"),
    ]
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    assert (shown["components-0-tiers-0-to_value"], shown["components-0-tiers-1-from_value"]) == (
        "0,1",
        "0,1",
    )


def test_a_decimal_tier_that_does_not_join_the_previous_one_is_refused_beside_it(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    first = {"from_value": "0", "to_value": "0,5", "price": "1"}
    last = {"from_value": "1,5", "to_value": "", "price": "1"}
    _plan, response = save_draft(
        client, make, **{"components-0": data_charge(**{"0": first, "1": last})}
    )
    assert response.status_code == 400
    errors = field_errors(response)
    assert list(errors) == ["components-0-tiers-1-from_value"]
    assert errors["components-0-tiers-1-from_value"] == [
        "muss dem vorigen to_value (0.5) entsprechen"
    ]


def test_the_live_quote_reads_typed_tiers_and_units_the_german_way(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    tiers = [
        {"from_value": "0", "to_value": "1024", "price": "0,002", "flat_amount": ""},
        {"from_value": "1025", "to_value": "", "price": "0,001", "flat_amount": ""},
    ]
    body = {"units": "1500", "charge": {"charge_model": "graduated", "properties": {}}}
    response = client.post(
        "/admin/catalog/quote",
        data=json.dumps(body | {"tiers": tiers}),
        content_type="application/json",
        base_url=f"http://{client.brand.host}",
    )
    answer = response.get_json()
    assert response.status_code == 200, answer
    assert (answer["amount"], answer["display"]["amount"]) == ("2.524", "2,52\xa0€")
    assert answer["display"]["lines"][0] == "0-1024: 1024 zu 0,002 = 2,048"


def test_an_allowance_is_unlimited_in_the_readers_words(app: Any, make: Any) -> None:
    from saas.catalog import models as M

    client = console(app, make, "de")
    rows = {
        "components-0": fee("grund", "9,99"),
        "allowances-0": {"metric": "sms", "quantity": "unbegrenzt"},
        "allowances-1": {"metric": "data_mb", "quantity": "51200"},
    }
    plan, response = save_draft(client, make, **rows)
    assert response.status_code == 302
    with in_brand(app, client.brand.id) as session:
        version = session.get(M.Plan, plan.id).versions[0]
        assert {a.metric_code: a.quantity for a in version.allowances} == {
            "sms": None,
            "data_mb": Decimal("51200"),
        }
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    assert (shown["allowances-0-quantity"], shown["allowances-2-quantity"]) == ("unbegrenzt", "")


def test_letters_in_tiers_of_a_model_without_ranges_leave_the_properties_checked(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    row = data_charge(**{"0": {"from_value": "abc", "price": "abc"}})
    row |= {"charge_model": "standard", "properties": "abc"}
    _plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 400
    assert field_errors(response) == {
        "components-0-properties": [
            "Das ist kein gültiges JSON: sehen Sie sich Zeile 1, Spalte 1 an."
        ]
    }
