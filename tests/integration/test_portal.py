"""The subscriber portal: a front page, the subscriber's home and profile, one brand at a time."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from saas.db import get_scoped
from saas.identity.models import User
from tests.conftest import brand_url, in_brand, logged_in


@pytest.fixture
def subscriber(app: Any, make: Any) -> Any:
    """A client logged in as a subscriber of a fresh German/English brand."""
    brand = make.brand(
        default_locale="en",
        locales=["en", "de"],
        timezone="Europe/Berlin",
        support_email="help@example.com",
    )
    client = logged_in(app, make, brand, kind="subscriber", full_name="Erika Muster")
    client.base = brand_url(brand)
    return client


class Labels(HTMLParser):
    """Collect form field ids and the ids labels point at."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: set[str] = set()
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.fields.add(a.get("id") or f"<{tag} name={a.get('name')} without id>")
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"] or "")


def test_a_visitor_sees_the_brand_front_page_with_a_log_in_link(client: Any, make: Any) -> None:
    brand = make.brand(name="Sunny Mobile")
    page = client.get("/", base_url=f"http://{brand.host}").get_data(as_text=True)
    assert 'data-testid="welcome-title"' in page and "Welcome to Sunny Mobile" in page
    assert 'href="/account/login"' in page


def test_a_subscriber_logs_in_at_the_brand_host_and_sees_their_home(subscriber: Any) -> None:
    response = subscriber.get("/", base_url=subscriber.base)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hello, Erika Muster" in page
    assert subscriber.user.email in page
    since = re.search(r'data-testid="account-since">([^<]+)<', page)
    assert since and re.search(r"\d{4}", since.group(1))
    assert re.search(r'data-testid="account-language">English<', page)
    assert 'href="/account/change"' in page


def test_the_log_in_redirect_leads_a_subscriber_home(subscriber: Any) -> None:
    response = subscriber.get("/after-login", base_url=subscriber.base, follow_redirects=True)
    assert "Hello, Erika Muster" in response.get_data(as_text=True)


def test_a_subscriber_saves_name_and_preferred_language(app: Any, subscriber: Any) -> None:
    response = subscriber.post(
        "/profile", base_url=subscriber.base, data={"full_name": "  Erika Neu  ", "locale": "de"}
    )
    assert response.status_code == 302
    with in_brand(app, subscriber.brand.id) as session:
        user = get_scoped(session, User, subscriber.user.id)
        assert (user.full_name, user.locale) == ("Erika Neu", "de")
    page = subscriber.get("/", base_url=subscriber.base).get_data(as_text=True)
    assert '<html lang="de">' in page
    assert 'data-testid="account-language">Deutsch<' in page


def test_a_language_the_brand_does_not_offer_is_refused(app: Any, subscriber: Any) -> None:
    response = subscriber.post(
        "/profile", base_url=subscriber.base, data={"full_name": "Changed", "locale": "pl"}
    )
    assert response.status_code == 422
    with in_brand(app, subscriber.brand.id) as session:
        user = get_scoped(session, User, subscriber.user.id)
        assert (user.full_name, user.locale) == ("Erika Muster", None)


def test_the_change_password_page_opens_in_the_brand_layout(subscriber: Any) -> None:
    profile = subscriber.get("/profile", base_url=subscriber.base).get_data(as_text=True)
    assert 'href="/account/change"' in profile
    page = subscriber.get("/account/change", base_url=subscriber.base)
    assert page.status_code == 200
    assert subscriber.brand.name in page.get_data(as_text=True)


def test_every_field_of_the_profile_form_has_a_label(subscriber: Any) -> None:
    parser = Labels()
    parser.feed(subscriber.get("/profile", base_url=subscriber.base).get_data(as_text=True))
    assert {"full_name", "locale"} <= parser.fields
    assert parser.fields <= parser.labelled


def test_the_portal_pages_are_responsive_and_skippable(subscriber: Any) -> None:
    page = subscriber.get("/", base_url=subscriber.base).get_data(as_text=True)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert 'aria-current="page"' in page


def test_visitors_are_asked_to_log_in_for_the_profile(client: Any, make: Any) -> None:
    brand = make.brand()
    response = client.get("/profile", base_url=f"http://{brand.host}")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_staff_visiting_the_portal_go_to_the_console(staff_client: Any) -> None:
    base = f"http://{staff_client.brand.host}"
    for path in ("/", "/profile"):
        response = staff_client.get(path, base_url=base)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/admin/")


def test_the_profile_does_not_exist_on_the_platform_host(client: Any) -> None:
    assert client.get("/profile", base_url="http://localhost").status_code == 404


def test_a_session_from_one_brand_opens_nothing_at_another(
    app: Any, subscriber: Any, make: Any
) -> None:
    other = make.brand()
    cookie = subscriber.get_cookie("session", domain=subscriber.brand.host)
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=subscriber.brand.host)
    home = thief.get("/", base_url=subscriber.base).get_data(as_text=True)
    assert "Hello, Erika Muster" in home  # the copied cookie is a working session at home
    thief.set_cookie("session", cookie.value, domain=other.host)
    response = thief.get("/profile", base_url=f"http://{other.host}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    front = thief.get("/", base_url=f"http://{other.host}").get_data(as_text=True)
    assert 'data-testid="welcome-title"' in front
    assert "Erika Muster" not in front
