"""Refusals carry a code and parameters; each code reads in German and Polish, numbers locally."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel

import saas
from saas.catalog.pricing import ChargeError, parse_charge
from saas.catalog.specs import CatalogError, ComponentSpec, PromotionSpec
from saas.errors import MESSAGES, Refusal, Term, register, within
from saas.web.refusals import say

TRANSLATIONS = Path(saas.__file__).parent / "translations"


# The WSGI entry point builds an app from the environment when imported: its limits would join
# the process's limiter beside the test apps'.
ENTRY_POINTS = {"saas.wsgi"}


def every_module_loaded() -> None:
    # Each area registers its codes when imported; load them all, as the app does.
    for module in pkgutil.walk_packages(saas.__path__, "saas."):
        if module.name not in ENTRY_POINTS:
            importlib.import_module(module.name)


def translations(lang: str) -> dict[str, str]:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale=lang) if isinstance(m.id, str)}


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    Babel(
        app,
        locale_selector=lambda: app.config["READER"],
        default_translation_directories=str(TRANSLATIONS),
    )
    return app


def said(app: Flask, lang: str, refusal: Refusal | Term, record: bool = True) -> str:
    app.config["READER"] = lang
    with app.test_request_context():
        return say(refusal, record=record)


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_every_registered_code_has_a_translation(lang: str) -> None:
    every_module_loaded()
    catalog = translations(lang)
    missing = sorted(code for code, template in MESSAGES.items() if not catalog.get(template))
    assert missing == []


def test_the_areas_register_their_codes() -> None:
    every_module_loaded()
    areas = {code.split(".")[0] for code in MESSAGES}
    assert {"catalog", "charge", "subscription", "customer", "brand", "lago", "job"} <= areas
    assert {"record", "field", "apikey", "json"} <= areas


def test_a_code_cannot_be_registered_twice_with_other_words() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register({"catalog.exists": "is there already"})


def test_a_refusal_says_its_record_then_its_reason_in_english() -> None:
    with pytest.raises(CatalogError) as refused:
        ComponentSpec.parse({"code": "base", "kind": "recurring", "amount": "ten"})
    assert str(refused.value) == 'component "base": amount "ten" is not a number'
    assert (refused.value.code, refused.value.field) == ("catalog.not_a_number", "amount")
    assert refused.value.reason == 'amount "ten" is not a number'


def test_a_german_reader_reads_the_refusal_in_german(app: Flask) -> None:
    with pytest.raises(CatalogError) as refused:
        ComponentSpec.parse({"code": "base", "kind": "recurring", "amount": "ten"})
    assert said(app, "de", refused.value) == "Bestandteil „base“: Betrag „ten“ ist keine Zahl"
    assert said(app, "pl", refused.value) == "składnik „base”: pole „kwota”: „ten” nie jest liczbą"


def test_decimals_are_written_the_readers_way_with_every_place_kept(app: Flask) -> None:
    refusal = ChargeError("charge.negative", "properties.amount", value=Decimal("-1234.5678901"))
    assert said(app, "de", refusal).endswith("erhalten: -1.234,5678901")
    assert said(app, "pl", refusal).endswith("podano -1\xa0234,5678901")
    assert said(app, "en", refusal) == "properties.amount: must not be negative, got -1,234.5678901"


def test_dates_are_written_the_readers_way(app: Flask) -> None:
    register({"test.on_day": "not before %(day)s"})
    try:
        refusal = Refusal("test.on_day", day=date(2026, 3, 5))
        assert refusal.english() == "not before 2026-03-05"
        assert said(app, "de", refusal) == "not before 05.03.2026"
    finally:
        del MESSAGES["test.on_day"]  # a code of this test only, with no translation


def test_a_refusal_inside_another_is_said_in_the_same_language(app: Flask) -> None:
    charge = {"charge_model": "standard", "properties": {"amount": "-1"}}
    with pytest.raises(CatalogError) as refused:
        ComponentSpec.parse({"code": "sms", "kind": "usage", "metric": "sms", "charge": charge})
    assert said(app, "de", refused.value) == (
        "Bestandteil „sms“: Nutzungspreis: properties.amount: darf nicht negativ sein, erhalten: -1"
    )


def test_a_record_inside_another_is_named_in_the_readers_words(app: Flask) -> None:
    record = within(Term("record.plan", code="spree"), Term("record.component", code="fee"))
    assert record.english() == 'plan "spree", component "fee"'
    assert said(app, "pl", record) == "taryfa „spree”, składnik „fee”"


def test_a_label_parameter_stays_as_it_is(app: Flask) -> None:
    refusal = CatalogError(
        "catalog.promo_other_plan", Term("record.promo_code", code="HALF"), plan="Spree 10 GB"
    )
    assert said(app, "de", refusal) == "Aktionscode HALF: gilt nicht für Spree 10 GB"


def test_a_promotion_refused_for_a_field_names_the_field(app: Flask) -> None:
    with pytest.raises(CatalogError) as refused:
        PromotionSpec.parse({"code": "p", "name": "P", "kind": "percent", "value": "150"})
    assert refused.value.field == "value"
    assert said(app, "de", refused.value) == (
        "Aktion „p“: ein Prozentnachlass muss über 0 und höchstens 100 sein"
    )


def test_the_reason_alone_is_said_without_the_record(app: Flask) -> None:
    with pytest.raises(ChargeError) as refused:
        parse_charge({"charge_model": "standard", "properties": {"amount": "x"}})
    assert said(app, "de", refused.value, record=False) == "keine Dezimalzahl: „x“"
    assert said(app, "de", refused.value).startswith("properties.amount: ")


def test_other_errors_are_shown_by_their_own_text(app: Flask) -> None:
    error: Any = ValueError("gone")
    assert said(app, "de", error) == "gone"


RAISED = re.compile(r"""(?:Error|Term|problem|Refusal)\(\s*["']([a-z_]+\.[a-z_]+)["']""")
MAPPED = re.compile(r""":\s*["']((?:catalog|subscription|job)\.[a-z_]+)["']""")


def test_every_code_a_refusal_is_raised_with_is_registered() -> None:
    every_module_loaded()
    used = set()
    for path in Path(saas.__file__).parent.rglob("*.py"):
        source = path.read_text("utf-8")
        used |= set(RAISED.findall(source)) | set(MAPPED.findall(source))
    assert len(used) > 100
    assert sorted(used - set(MESSAGES)) == []
