"""Every usage charge model is typed as fields the reader's way, its Lago JSON beside them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.integration.test_locale_forms import charges, console, get, save_draft
from tests.support.forms import field_errors, field_values


def usage(model: str, source: str | None = "fields", **typed: str) -> dict[str, str]:
    """A usage row on data priced by `model`, with its fields (and tiers) as typed."""
    row = {"kind": "usage", "code": "daten", "metric": "data_mb", "charge_model": model}
    if source is not None:
        row["source"] = source
    return row | typed


def tiers(*rows: tuple[str, str, str]) -> dict[str, str]:
    """Tier rows as typed: from, to, per-unit price or rate."""
    typed = {}
    for index, (low, high, price) in enumerate(rows):
        keys = {"from_value": low, "to_value": high, "price": price}
        typed |= {f"tiers-{index}-{key}": value for key, value in keys.items()}
    return typed


PERCENTAGE = {
    "rate": "2.5",
    "fixed_amount": "0.10",
    "free_units_per_events": 3,
    "free_units_per_total_aggregation": "100",
    "per_transaction_min_amount": "0.05",
    "per_transaction_max_amount": "1500.5",
}
# Each model typed in German and in English, what is stored, and what the fields show again.
CASES = [
    ("standard", {"unit_amount": ("0,002", "0.002")}, {"amount": "0.002"}),
    (
        "package",
        {"package_amount": ("1,99", "1.99"), "package_size": ("1024", "1024")}
        | {"free_units": ("100", "100")},
        {"amount": "1.99", "package_size": 1024, "free_units": 100},
    ),
    (
        "percentage",
        {"rate": ("2,5", "2.5"), "fixed_amount": ("0,10", "0.10"), "free_events": ("3", "3")}
        | {"free_amount": ("100", "100"), "min_amount": ("0,05", "0.05")}
        | {"max_amount": ("1.500,5", "1,500.5")},
        PERCENTAGE,
    ),
]
SHOWN_MAX = {"de": "1500,5", "en": "1500.5"}


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize(("model", "typed", "stored"), CASES, ids=[c[0] for c in CASES])
def test_a_charge_typed_as_fields_is_saved_and_shows_again_as_fields_and_as_json(
    app: Any, make: Any, locale: str, model: str, typed: dict[str, Any], stored: dict[str, Any]
) -> None:
    client = console(app, make, locale)
    values = {name: pair[locale == "en"] for name, pair in typed.items()}
    plan, response = save_draft(client, make, **{"components-0": usage(model, **values)})
    assert response.status_code == 302, field_errors(response)
    assert charges(app, client.brand, plan.id)["daten"] == {
        "charge_model": model,
        "properties": stored,
    }
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    for name, value in values.items():
        expected = SHOWN_MAX[locale] if name == "max_amount" else value
        assert shown[f"components-0-{name}"] == expected
    assert json.loads(shown["components-0-properties"]) == stored


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize(
    ("model", "price_key"),
    [
        ("graduated", "per_unit_amount"),
        ("volume", "per_unit_amount"),
        ("graduated_percentage", "rate"),
    ],
)
def test_tiered_models_are_saved_from_the_tier_table(
    app: Any, make: Any, locale: str, model: str, price_key: str
) -> None:
    client = console(app, make, locale)
    low, high = ("0,5", "0,25") if locale == "de" else ("0.5", "0.25")
    row = usage(model, **tiers(("0", "1000", low), ("1001", "", high)))
    plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 302, field_errors(response)
    key = {"graduated": "graduated_ranges", "volume": "volume_ranges"}.get(
        model, "graduated_percentage_ranges"
    )
    stored = charges(app, client.brand, plan.id)["daten"]["properties"][key]
    assert [(r["from_value"], r["to_value"], r[price_key]) for r in stored] == [
        (0, 1000, "0.5"),
        (1001, None, "0.25"),
    ]
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    assert (shown["components-0-tiers-0-price"], shown["components-0-tiers-1-price"]) == (low, high)


@pytest.mark.parametrize(
    ("locale", "model", "typed", "errors"),
    [
        ("en", "standard", {}, {"components-0-unit_amount": ["required"]}),
        (
            "de",
            "percentage",
            {"rate": "2", "min_amount": "5", "max_amount": "1"},
            {"components-0-max_amount": ["darf nicht unter per_transaction_min_amount (5) liegen"]},
        ),
        (
            "de",
            "percentage",
            {"rate": "zwei", "free_events": "2,5"},
            {
                "components-0-rate": ["Geben Sie eine Zahl wie 1234,56 ein."],
                "components-0-free_events": ["Geben Sie eine ganze Zahl wie 12 ein."],
            },
        ),
        (
            "de",
            "package",
            {"package_amount": "1", "package_size": "0"},
            {"components-0-package_size": ["Geben Sie 1 oder mehr ein."]},
        ),
        (
            "de",
            "package",
            {"package_size": "10"},
            {"components-0-package_amount": ["erforderlich"]},
        ),
        (
            "pl",
            "percentage",
            {"rate": "1", "free_events": "0"},
            {"components-0-free_events": ["Wpisz 1 lub więcej."]},
        ),
    ],
)
def test_a_refused_charge_field_is_named_beside_itself_in_the_readers_language(
    app: Any, make: Any, locale: str, model: str, typed: dict[str, str], errors: Any
) -> None:
    client = console(app, make, locale)
    _plan, response = save_draft(client, make, **{"components-0": usage(model, **typed)})
    assert response.status_code == 400
    assert field_errors(response) == errors
    shown = field_values(response)
    assert all(shown[f"components-0-{name}"] == value for name, value in typed.items())


def test_a_charge_typed_as_json_is_saved_from_the_json_and_shows_again_as_fields(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    properties = '{"amount": "2.50", "package_size": 500, "free_units": 0}'
    row = usage("package", "json", properties=properties, package_amount="9", package_size="1")
    plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 302, field_errors(response)
    stored = charges(app, client.brand, plan.id)["daten"]["properties"]
    assert stored == {"amount": "2.50", "package_size": 500, "free_units": 0}
    shown = field_values(get(client, f"/admin/catalog/plans/{plan.id}"))
    assert (shown["components-0-package_amount"], shown["components-0-package_size"]) == (
        "2,50",
        "500",
    )
    assert json.loads(shown["components-0-properties"]) == stored


def test_the_fields_are_saved_when_chosen_and_the_json_beside_them_is_ignored(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    row = usage("standard", "fields", unit_amount="0,01", properties='{"amount": "9", oops')
    plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 302, field_errors(response)
    assert charges(app, client.brand, plan.id)["daten"]["properties"] == {"amount": "0.01"}


def test_json_chosen_is_refused_beside_the_json_even_with_fields_that_would_do(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    row = usage("standard", "json", unit_amount="0,01", properties='{"amount": "1", "x": 1}')
    _plan, response = save_draft(client, make, **{"components-0": row})
    assert response.status_code == 400
    assert list(field_errors(response)) == ["components-0-properties"]
    assert field_errors(response)["components-0-properties"][0].startswith("properties.x:")


def test_the_tier_table_without_tiers_is_refused_above_the_row(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    _plan, response = save_draft(client, make, **{"components-0": usage("graduated")})
    assert response.status_code == 400
    assert field_errors(response) == {"components-0": ["properties.graduated_ranges: erforderlich"]}


def test_a_new_row_chooses_the_fields_and_keeps_the_json_in_an_advanced_view(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    plan = make.plan(client.brand, publish=False)
    body = get(client, f"/admin/catalog/plans/{plan.id}").get_data(as_text=True)
    assert "<summary>Lago-JSON (erweitert)</summary>" in body
    radios = re.findall(r'<input[^>]*name="components-1-source"[^>]*>', body)
    assert [("checked" in radio, 'value="fields"' in radio) for radio in radios] == [
        (True, True),
        (False, False),
    ]


# The live quote, from the fields as typed


def quote(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        "/admin/catalog/quote",
        data=json.dumps(body),
        content_type="application/json",
        base_url=f"http://{client.brand.host}",
    )


def test_the_live_quote_prices_percentage_fields_with_events_and_their_amounts_in_german(
    app: Any, make: Any
) -> None:
    client = console(app, make, "de")
    fields = {"rate": "2", "fixed_amount": "0,10"}
    body = {"charge": {"charge_model": "percentage", "properties": {}}, "fields": fields}
    answer = quote(client, body | {"units": "", "events": "2", "transactions": ["10", "20,5"]})
    assert answer.status_code == 200, answer.get_json()
    # 2 % of 30,5 and 0,10 for each of the two events
    assert answer.get_json()["amount"] == "0.81"
    assert answer.get_json()["display"]["lines"] == [
        "Satz: 2 % von 30,5 = 0,61",
        "Gebühr je Vorgang: 2 zu 0,1 = 0,2",
    ]


def test_the_live_quote_takes_the_number_of_events_alone(app: Any, make: Any) -> None:
    client = console(app, make, "en")
    fields = {"rate": "1", "fixed_amount": "0.25"}
    body = {"charge": {"charge_model": "percentage", "properties": {}}, "fields": fields}
    answer = quote(client, body | {"units": "100", "events": "4"}).get_json()
    assert answer["amount"] == "2"  # 1 % of 100 and 4 events at 0.25


def test_the_live_quote_names_a_wrong_field_by_its_label(app: Any, make: Any) -> None:
    client = console(app, make, "de")
    body = {"charge": {"charge_model": "percentage", "properties": {}}, "units": "5"}
    response = quote(client, body | {"fields": {"rate": "zwei"}})
    assert response.status_code == 422
    assert response.get_json() == {"error": "Satz (%): Geben Sie eine Zahl wie 1234,56 ein."}
    response = quote(client, body | {"fields": {"rate": "2"}, "events": "2,5"})
    assert response.get_json() == {"error": "events: muss eine ganze Zahl sein, erhalten: 2,5"}
