"""Each brand looks and speaks like itself in a real browser, and log-ins stay inside one brand."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from saas.platform_setup import DEMO_OPERATOR

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBER = "anna@kunde.example"
CSS_PRIMARY = (
    "getComputedStyle(document.documentElement).getPropertyValue('--color-primary').trim()"
)


def brand_file(slug: str) -> dict[str, Any]:
    """The brand's tenants/<slug>.toml, the source of the demo data."""
    return tomllib.loads((ROOT / "tenants" / f"{slug}.toml").read_text("utf-8"))


def theme_tokens(theme: str) -> dict[str, str]:
    """The design tokens a brand's theme declares."""
    return tomllib.loads((ROOT / "themes" / theme / "theme.toml").read_text("utf-8"))["tokens"]


def owner_of(brand: dict[str, Any]) -> str:
    """E-mail of the brand's demo owner."""
    return next(p["email"] for p in brand["demo"]["staff"] if "owner" in p["roles"])


def log_in(page: Any, url: str, email: str, password: str) -> None:
    """Fill and send the log-in form at url."""
    page.goto(url)
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def html_lang(page: Any) -> str | None:
    return page.locator("html").get_attribute("lang")


def on_login_page(page: Any) -> bool:
    """True when the page is the log-in form, not a signed-in screen."""
    return (
        "/account/login" in page.url
        and page.locator("input[name=password]").count() == 1
        and page.get_by_test_id("logout").count() == 0
    )


BRANDS = ["spreewelle", "wislafon"]


@pytest.mark.browser
@pytest.mark.parametrize("slug", BRANDS)
def test_owner_sees_own_brand_console_in_brand_language_and_can_switch_to_english(
    slug: str, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = brand_file(slug)
    host = f"{slug}.localhost"
    # A browser preferring a language the brand does not offer gets the brand's default.
    page = new_context(locale="fr-FR").new_page()
    log_in(page, urls(host, "/account/login"), owner_of(brand), brand["demo"]["password"])
    page.goto(urls(host, "/admin/"))
    assert page.get_by_test_id("console-title").is_visible()
    assert brand["name"] in page.get_by_test_id("console-title").inner_text()
    assert page.get_by_test_id("brand-name").inner_text().strip() == brand["name"]
    primary = page.evaluate(CSS_PRIMARY)
    assert primary.lower() == theme_tokens(brand["theme"])["color-primary"].lower()
    assert html_lang(page) == brand["default_locale"]
    page.screenshot(path=str(artifacts / f"{slug}-console.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("locale-select").select_option("en")
    assert html_lang(page) == "en"
    assert page.get_by_test_id("console-title").is_visible()
    page.goto(urls(host, "/admin/"))
    assert html_lang(page) == "en"
    another_tab = page.context.new_page()
    another_tab.goto(urls(host, "/admin/"))
    assert html_lang(another_tab) == "en"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("slug", "other"), [("spreewelle", "wislafon"), ("wislafon", "spreewelle")]
)
def test_subscriber_logs_in_with_this_brands_password_but_not_the_other_brands(
    slug: str, other: str, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand, other_brand = brand_file(slug), brand_file(other)
    host = f"{slug}.localhost"
    person = next(p for p in brand["demo"]["subscribers"] if p["email"] == SUBSCRIBER)

    refused = new_context().new_page()
    log_in(refused, urls(host, "/account/login"), SUBSCRIBER, other_brand["demo"]["password"])
    assert on_login_page(refused)
    refused.goto(urls(host, "/"))
    assert refused.get_by_test_id("portal-greeting").count() == 0
    assert refused.get_by_test_id("logout").count() == 0

    page = new_context().new_page()
    log_in(page, urls(host, "/account/login"), SUBSCRIBER, brand["demo"]["password"])
    page.goto(urls(host, "/"))
    greeting = page.get_by_test_id("portal-greeting")
    assert greeting.is_visible()
    assert person["name"].split()[0] in greeting.inner_text()
    assert page.get_by_test_id("brand-name").inner_text().strip() == brand["name"]
    # The browser prefers English, which every brand offers.
    assert html_lang(page) == "en"
    page.screenshot(path=str(artifacts / f"{slug}-portal.png"), full_page=True)


@pytest.mark.browser
def test_a_spreewelle_session_is_refused_at_wislafon_even_with_its_cookie_copied_over(
    new_context: Any, urls: Any
) -> None:
    spree = brand_file("spreewelle")
    context = new_context()
    page = context.new_page()
    log_in(
        page,
        urls("spreewelle.localhost", "/account/login"),
        owner_of(spree),
        spree["demo"]["password"],
    )
    page.goto(urls("spreewelle.localhost", "/admin/"))
    assert page.get_by_test_id("console-title").is_visible()

    page.goto(urls("wislafon.localhost", "/admin/"))
    assert on_login_page(page)
    assert page.get_by_test_id("console-title").count() == 0

    copied = [
        {**c, "domain": "wislafon.localhost"}
        for c in context.cookies()
        if c["domain"] == "spreewelle.localhost"
    ]
    assert copied, "log-in at spreewelle set no cookie"
    context.add_cookies(copied)
    sent = {c["name"] for c in context.cookies(urls("wislafon.localhost", "/"))}
    assert {c["name"] for c in copied} <= sent
    page.goto(urls("wislafon.localhost", "/admin/"))
    assert on_login_page(page)
    assert page.get_by_test_id("console-title").count() == 0
    assert page.get_by_test_id("brand-name").inner_text().strip() == brand_file("wislafon")["name"]

    page.goto(urls("spreewelle.localhost", "/admin/"))
    assert page.get_by_test_id("console-title").is_visible()


@pytest.mark.browser
def test_an_unknown_brand_host_answers_404_without_any_brand_name(page: Any, urls: Any) -> None:
    response = page.goto(urls("nobody.localhost", "/"))
    assert response is not None and response.status == 404
    text = page.content()
    for slug in BRANDS:
        assert brand_file(slug)["name"] not in text
    assert page.get_by_test_id("brand-name").count() == 0 or (
        page.get_by_test_id("brand-name").inner_text().strip()
        not in {brand_file(s)["name"] for s in BRANDS}
    )


@pytest.mark.browser
def test_platform_operator_logs_in_and_sees_both_brands_listed(page: Any, urls: Any) -> None:
    log_in(page, urls("localhost", "/account/login"), *DEMO_OPERATOR)
    assert not on_login_page(page), "the operator's log-in was refused"
    page.goto(urls("localhost", "/platform/"))
    assert "/platform/" in page.url
    listing = page.locator("main").inner_text()
    for slug in BRANDS:
        assert brand_file(slug)["name"] in listing


FONTS = {"spreewelle": "Source Serif 4", "wislafon": "Source Sans 3"}


@pytest.mark.browser
@pytest.mark.parametrize("slug", BRANDS)
def test_each_brand_renders_in_its_own_vendored_font(
    slug: str, new_context: Any, urls: Any, artifacts: Path
) -> None:
    brand = brand_file(slug)
    family = FONTS[slug]
    page = new_context(locale=brand["default_locale"]).new_page()
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(r.url) if r.ok and ".woff2" in r.url else None)
    page.goto(urls(f"{slug}.localhost", "/account/login"))
    page.evaluate("document.fonts.ready")
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith(f'"{family}"'), body_font
    # The faces themselves load from the brand's own theme (no system font stands in, no CDN),
    # the Polish and German letters included.
    faces = page.evaluate(f"document.fonts.load('16px \"{family}\"', 'Zażółć gęślą, Größe')")
    assert len(faces) == 2
    assert page.evaluate(f"document.fonts.check('16px \"{family}\"', 'Zażółć gęślą, Größe')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert f'"{family}"' in loaded or family in loaded, loaded
    assert fetched and all(f"/_theme/{brand['theme']}/fonts/" in url for url in fetched)
    page.screenshot(path=str(artifacts / f"{slug}-font.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("slug", BRANDS)
def test_the_console_menu_is_one_row_and_the_dashboard_cards_line_up(
    slug: str, browser: Any, urls: Any, artifacts: Path
) -> None:
    brand = brand_file(slug)
    context = browser.new_context(
        locale=brand["default_locale"], viewport={"width": 1280, "height": 800}
    )
    try:
        page = context.new_page()
        log_in(
            page,
            urls(f"{slug}.localhost", "/account/login"),
            owner_of(brand),
            brand["demo"]["password"],
        )
        page.goto(urls(f"{slug}.localhost", "/admin/"))
        menu_rows = page.evaluate(
            "new Set([...document.querySelectorAll('.site-nav a')].map(a => a.offsetTop)).size"
        )
        assert menu_rows == 1
        tops = page.evaluate(
            "[...document.querySelectorAll('.cards > .card')]"
            ".map(c => c.getBoundingClientRect().top)"
        )
        assert len(tops) >= 3 and len(set(tops)) == 1, tops
        page.screenshot(path=str(artifacts / f"{slug}-console-1280.png"))
    finally:
        context.close()
