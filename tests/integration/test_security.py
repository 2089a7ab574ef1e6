"""Log-in hardening: hashed passwords, throttling, CSRF, cookie flags, two-factor for staff."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from saas import create_app
from saas.identity.models import User
from tests.conftest import DEFAULT_PASSWORD, in_brand, login, page


def test_passwords_are_stored_as_argon2_hashes(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        stored = session.scalar(select(User.password).where(User.id == user.id))
    assert stored.startswith("$argon2") and DEFAULT_PASSWORD not in stored


def test_the_shipped_configuration_hashes_at_full_cost_and_only_the_tests_hash_cheaply(
    app: Any, settings: Any, monkeypatch: Any
) -> None:
    from flask_security.utils import hash_password

    from saas.web.auth import security

    with app.app_context():
        assert hash_password(DEFAULT_PASSWORD).startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert security.hashing_context.default_scheme() == "hex_md5"
    # Flask-Security keeps its hashing contexts on its one instance: the test app gets its own back.
    monkeypatch.setattr(security, "pwd_context", security.pwd_context)
    monkeypatch.setattr(security, "hashing_context", security.hashing_context)
    shipped = create_app({"SAAS": settings})
    with shipped.app_context():
        assert hash_password(DEFAULT_PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert security.hashing_context.default_scheme() == "sha256_crypt"


def test_repeated_failed_logins_are_throttled_per_brand(app, make) -> None:  # type: ignore[no-untyped-def]
    brand, other = make.brand(), make.brand()
    user = make.user(brand, "staff")
    client = app.test_client()
    codes = [login(client, brand.host, user.email, "wrong-password").status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert login(client, other.host, "x@example.com", "wrong-password").status_code == 200


def _csrf_token(client: Any, path: str, base: str) -> str:
    found = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page(client.get(path, base_url=base))
    )
    assert found is not None, f"no CSRF token on {path}"
    return found.group(1)


def test_forms_without_a_csrf_token_are_refused(another_app) -> None:  # type: ignore[no-untyped-def]
    strict = another_app
    base, client = "http://spreewelle.localhost", strict.test_client()
    form = {"email": "a@example.com", "password": "x" * 12}
    assert client.post("/account/login", data=form, base_url=base).status_code == 400
    assert client.post("/locale", data={"locale": "en"}, base_url=base).status_code == 400
    # The same posts with the page's token get through: the token was the reason.
    token = _csrf_token(client, "/account/login", base)
    tried = client.post("/account/login", data=form | {"csrf_token": token}, base_url=base)
    assert tried.status_code == 200 and 'name="email"' in page(tried)  # wrong password: form again
    switched = client.post("/locale", data={"locale": "en", "csrf_token": token}, base_url=base)
    assert switched.status_code == 302


def test_session_cookies_are_http_only_and_same_site(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "staff")
    response = login(app.test_client(), brand.host, user.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Domain=" not in cookie  # host-only: never shared with another brand's host


def test_staff_can_open_two_factor_set_up(staff_client) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.get("/account/tf-setup", base_url=f"http://{staff_client.brand.host}")
    assert response.status_code == 200
    assert b"authenticator" in response.data.lower()


def test_a_deactivated_person_cannot_log_in(app, make) -> None:  # type: ignore[no-untyped-def]
    from saas.identity.services import deactivate, get_user

    brand = make.brand()
    user = make.user(brand, "subscriber")
    assert login(app.test_client(), brand.host, user.email).status_code == 302
    with in_brand(app, brand.id) as session:
        deactivate(session, get_user(session, user.id), by=None)
    client = app.test_client()
    refused = login(client, brand.host, user.email)
    assert refused.status_code == 200 and 'name="email"' in page(refused)  # the form again
    after = client.get("/profile", base_url=f"http://{brand.host}")
    assert after.status_code == 302 and "/account/login" in after.headers["Location"]


def test_the_language_switch_only_redirects_within_the_host(client) -> None:  # type: ignore[no-untyped-def]
    base = "http://spreewelle.localhost"
    for target, expected in [
        ("/admin/", "/admin/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("", "/"),
    ]:
        response = client.post("/locale", data={"locale": "en", "next": target}, base_url=base)
        assert response.status_code == 302
        assert response.headers["Location"] == expected, target


@pytest.mark.parametrize(
    "target",
    ["/plans\r\nSet-Cookie: evil=1", "/plans\nX: y", "/plans\t", "/plans\x7f"],
    ids=["a header split", "a line feed", "a tab", "a DEL"],
)
def test_the_language_switch_ignores_a_next_with_control_characters(client, target) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/locale", data={"locale": "en", "next": target}, base_url="http://spreewelle.localhost"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_changed_password_shorter_than_the_policy_is_refused(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    client = app.test_client()
    assert login(client, brand.host, user.email).status_code == 302
    short = "nine-char"
    response = client.post(
        "/account/change",
        data={"password": DEFAULT_PASSWORD, "new_password": short, "new_password_confirm": short},
        base_url=f"http://{brand.host}",
    )
    assert response.status_code == 200
    assert login(app.test_client(), brand.host, user.email, short).status_code == 200
    assert login(app.test_client(), brand.host, user.email).status_code == 302
