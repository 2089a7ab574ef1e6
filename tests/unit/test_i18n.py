"""Language per brand and visitor, complete German and Polish catalogs, local formats."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import render_template_string

from saas.money import format_money

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "saas" / "translations"
SPREEWELLE = "http://spreewelle.localhost"
WISLAFON = "http://wislafon.localhost"
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
LANG_ATTR = re.compile(r'<html lang="([^"]+)"')


def page_language(response: Any) -> str:
    """Return the language the page declares on its <html> element."""
    assert response.status_code == 200
    match = LANG_ATTR.search(response.get_data(as_text=True))
    assert match, "page has no <html lang>"
    return match.group(1)


def catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def template_ids() -> set[str]:
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        return {msgid(m) for m in read_po(fh) if m.id}


def source_ids() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = list(extract_from_dir(ROOT / "saas", [("**.py", "python")], keywords=keywords))
    found += extract_from_dir(
        ROOT / "themes", [("**/templates/**.html", "jinja2")], keywords=keywords
    )
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def msgid(message: Any) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def same_placeholders(english: str | tuple[str, ...], index: int, text: str) -> bool:
    """A translation fills what the English does; a plural's form for one may omit the count."""
    found = placeholders(text)
    if isinstance(english, str):
        return found == placeholders(english)
    plural = placeholders(english[1])
    return found == plural or (index == 0 and set(found) <= set(plural))


def test_the_brand_default_language_serves_a_visitor_without_preferences(client: Any) -> None:
    assert page_language(client.get("/", base_url=SPREEWELLE)) == "de"
    assert page_language(client.get("/", base_url=WISLAFON)) == "pl"


def test_the_browser_may_pick_a_language_the_brand_offers(client: Any) -> None:
    response = client.get("/", base_url=SPREEWELLE, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page_language(response) == "en"
    assert "Log in to your account" in response.get_data(as_text=True)


def test_a_language_the_brand_does_not_offer_falls_back_to_the_brand_default(client: Any) -> None:
    response = client.get("/", base_url=SPREEWELLE, headers={"Accept-Language": "pl"})
    assert page_language(response) == "de"


def test_a_chosen_language_beats_the_browser_and_stays_in_the_session(client: Any) -> None:
    chosen = client.post("/locale", data={"locale": "en", "next": "/"}, base_url=SPREEWELLE)
    assert chosen.status_code == 302
    with client.session_transaction(base_url=SPREEWELLE) as session:
        assert session["locale"] == "en"
    for _ in range(2):
        response = client.get("/", base_url=SPREEWELLE, headers={"Accept-Language": "de"})
        assert page_language(response) == "en"


@pytest.mark.parametrize("locale", ["pl", "fr", ""])
def test_choosing_a_language_the_brand_does_not_offer_is_refused(client: Any, locale: str) -> None:
    response = client.post("/locale", data={"locale": locale}, base_url=SPREEWELLE)
    assert response.status_code == 400
    with client.session_transaction(base_url=SPREEWELLE) as session:
        assert "locale" not in session


def test_the_welcome_page_speaks_german_at_spreewelle(client: Any) -> None:
    html = client.get("/", base_url=SPREEWELLE).get_data(as_text=True)
    assert "Willkommen bei Spreewelle Mobil" in html
    assert "Bei Ihrem Konto anmelden" in html
    assert "Verwalten Sie Tarif, Verbrauch und Rechnungen an einem Ort." in html
    assert "Log in to your account" not in html


def test_the_welcome_page_speaks_polish_at_wislafon(client: Any) -> None:
    html = client.get("/", base_url=WISLAFON).get_data(as_text=True)
    assert "Witamy w Wiślafon" in html
    assert "Zaloguj się do swojego konta" in html
    assert "Zarządzaj taryfą, zużyciem i fakturami" in html
    assert "Log in to your account" not in html


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        (Decimal("1234.5"), "EUR", "de", "1.234,50\xa0€"),
        (Decimal("1234.5"), "PLN", "pl", "1\xa0234,50\xa0zł"),
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
        (Decimal("1234.5"), "EUR", "pl", "1\xa0234,50\xa0€"),
        (123450, "EUR", "de", "123.450,00\xa0€"),
    ],
)
def test_money_is_written_the_local_way(
    amount: Decimal, currency: str, locale: str, shown: str
) -> None:
    assert format_money(amount, currency, locale) == shown


def test_the_same_amount_reads_differently_per_locale() -> None:
    shown = {loc: format_money(Decimal("1234.5"), "EUR", loc) for loc in ("de", "pl", "en")}
    assert len(set(shown.values())) == 3


def test_minor_units_are_formatted_as_the_whole_amount() -> None:
    assert format_money(123450, "EUR", "de", minor=True) == "1.234,50\xa0€"


@pytest.mark.parametrize(
    ("base_url", "money", "when"),
    [
        (SPREEWELLE, "1.234,50\xa0€", "05.03.2026, 15:07"),
        (WISLAFON, "1\xa0234,50\xa0zł", "5 mar 2026, 15:07"),
    ],
)
def test_templates_show_money_and_times_in_the_brand_locale_zone_and_currency(
    app: Any, base_url: str, money: str, when: str
) -> None:
    moment = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    with app.test_request_context("/", base_url=base_url):
        app.preprocess_request()
        shown = render_template_string(
            "{{ amount|money }}|{{ moment|when }}", amount=Decimal("1234.5"), moment=moment
        )
    assert shown == f"{money}|{when}"


def test_times_are_shown_to_the_minute_in_the_brands_zone_in_summer_too(app: Any) -> None:
    summer = datetime(2026, 7, 31, 22, 30, 59, tzinfo=UTC)  # already 1 August in Berlin
    with app.test_request_context("/", base_url=SPREEWELLE):
        app.preprocess_request()
        shown = render_template_string("{{ moment|when }}|{{ moment|when('long') }}", moment=summer)
    assert shown.split("|")[0] == "01.08.2026, 00:30"
    assert shown.split("|")[1].startswith("1. August 2026")


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_every_catalog_entry_is_translated_with_its_placeholders(lang: str) -> None:
    problems = []
    for message in catalog(lang):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid(message)!r}")
        for index, text in enumerate(forms(message.string)):
            if not text.strip():
                problems.append(f"empty: {msgid(message)!r}")
            elif not same_placeholders(message.id, index, text):
                problems.append(f"placeholders differ: {msgid(message)!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_each_catalog_holds_every_message_of_the_template(lang: str) -> None:
    assert template_ids() - {msgid(m) for m in catalog(lang) if m.id} == set()


def test_the_template_holds_every_message_in_code_and_templates() -> None:
    assert source_ids() - template_ids() == set()


def test_polish_uses_its_three_plural_forms() -> None:
    pl = catalog("pl")
    assert pl.num_plurals == 3
    assert pl.plural_expr.replace(" ", "") == (
        "(n==1?0:n%10>=2&&n%10<=4&&(n%100<10||n%100>=20)?1:2)"
    )


def _entries(lang: str) -> list[tuple[str, str]]:
    return [
        (" ".join(forms(message.id)), text)
        for message in catalog(lang)
        if message.id
        for text in forms(message.string)
    ]


def test_polish_says_taryfa_for_a_plan_and_na_karte_for_prepaid() -> None:
    plan_word = re.compile(r"\bplan(u|y|ów|em|ie|ach|om|ami)?\b", re.IGNORECASE)
    wrong = [
        (english, polish)
        for english, polish in _entries("pl")
        if plan_word.search(PLACEHOLDER.sub("", polish).replace('{"plan"', ""))
        or "Prepaid" in polish
    ]
    assert wrong == []


def test_german_keeps_aktion_for_promotions() -> None:
    wrong = [
        (english, german)
        for english, german in _entries("de")
        if "Aktion" in german and not re.search(r"promo", english, re.IGNORECASE)
    ]
    assert wrong == []
