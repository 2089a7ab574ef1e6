"""Log-out, password changes and idle time end sessions and tokens; tokens come in a header."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from tests.conftest import DEFAULT_PASSWORD, login

TOKEN_HEADER = "Authentication-Token"


def _base(brand: Any) -> str:
    return f"http://{brand.host}"


def _logged_in(app: Any, make: Any, kind: str = "staff") -> Any:
    brand = make.brand()
    user = make.user(brand, kind)
    client = app.test_client()
    assert login(client, brand.host, user.email).status_code == 302
    client.brand, client.user = brand, user
    return client


def _home(kind: str) -> str:
    return "/admin/" if kind == "staff" else "/profile"


def _lets_in(client: Any, kind: str = "staff", **kwargs: Any) -> bool:
    """Whether a page only this kind of person may see answers 200 (not a redirect to log-in)."""
    response = client.get(_home(kind), base_url=_base(client.brand), **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def _replay(app: Any, client: Any, name: str, value: str) -> Any:
    """A new client that carries nothing but one cookie copied from another."""
    thief = app.test_client()
    thief.set_cookie(name, value, domain=client.brand.host)
    thief.brand = client.brand
    return thief


def _session_cookie(client: Any) -> str:
    return client.get_cookie("session", domain=client.brand.host).value


def _log_out(client: Any) -> None:
    response = client.post("/account/logout", base_url=_base(client.brand))
    assert response.status_code == 302


def _token(app: Any, make: Any) -> tuple[Any, str]:
    brand = make.brand()
    user = make.user(brand, "staff")
    client = app.test_client()
    response = client.post(
        "/account/login?include_auth_token",
        json={"email": user.email, "password": DEFAULT_PASSWORD},
        base_url=f"http://{brand.host}",
    )
    assert response.status_code == 200, response.data
    client.brand = brand
    return client, response.get_json()["response"]["user"]["authentication_token"]


def _with_token(app: Any, client: Any, token: str) -> Any:
    """A new client that sends the token in the header and holds no cookie."""
    bearer = app.test_client()
    bearer.brand = client.brand
    bearer.environ_base = {f"HTTP_{TOKEN_HEADER.upper().replace('-', '_')}": token}
    return bearer


def _move_clock(monkeypatch: Any, seconds: float) -> None:
    """Move the clock on by `seconds` from where it stands (moves add up within a test)."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def test_a_session_cookie_copied_before_log_out_answers_as_a_stranger_after_it(app, make) -> None:  # type: ignore[no-untyped-def]
    client = _logged_in(app, make)
    copied = _session_cookie(client)
    assert _lets_in(_replay(app, client, "session", copied))
    _log_out(client)
    assert not _lets_in(_replay(app, client, "session", copied))
    assert not _lets_in(client)


def test_log_out_ends_every_session_of_that_person(app, make) -> None:  # type: ignore[no-untyped-def]
    laptop = _logged_in(app, make, "subscriber")
    phone = app.test_client()
    phone.brand = laptop.brand
    assert login(phone, laptop.brand.host, laptop.user.email).status_code == 302
    _log_out(laptop)
    assert not _lets_in(phone, "subscriber")


def test_a_password_change_ends_other_sessions_and_keeps_the_one_that_changed_it(app, make) -> None:  # type: ignore[no-untyped-def]
    client = _logged_in(app, make)
    copied = _session_cookie(client)
    response = client.post(
        "/account/change",
        data={
            "password": DEFAULT_PASSWORD,
            "new_password": "a-brand-new-passphrase",
            "new_password_confirm": "a-brand-new-passphrase",
        },
        base_url=_base(client.brand),
    )
    assert response.status_code == 302, response.data
    assert not _lets_in(_replay(app, client, "session", copied))
    assert _lets_in(client)


def test_the_log_in_form_sets_no_remember_me_cookie_even_when_asked(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "staff")
    client = app.test_client()
    page = client.get("/account/login", base_url=f"http://{brand.host}")
    assert b'name="remember"' not in page.data
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"},
        base_url=f"http://{brand.host}",
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token", domain=brand.host) is None


def test_an_auth_token_from_json_log_in_stops_working_after_log_out(app, make) -> None:  # type: ignore[no-untyped-def]
    client, token = _token(app, make)
    assert _lets_in(_with_token(app, client, token))
    _log_out(client)
    assert not _lets_in(_with_token(app, client, token))


def test_an_auth_token_is_refused_past_the_configured_maximum_age(app, make, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    five_minutes = replace(app.config["SAAS"], token_max_age_minutes=5)
    for key, value in five_minutes.as_flask_config().items():
        monkeypatch.setitem(app.config, key, value)
    client, token = _token(app, make)
    _move_clock(monkeypatch, 5 * 60 - 30)
    assert _lets_in(_with_token(app, client, token))
    _move_clock(monkeypatch, 31)
    assert not _lets_in(_with_token(app, client, token))


def test_an_auth_token_in_the_query_string_or_the_body_is_refused(app, make) -> None:  # type: ignore[no-untyped-def]
    client, token = _token(app, make)
    stranger = app.test_client()
    stranger.brand = client.brand
    assert not _lets_in(stranger, query_string={"auth_token": token})
    assert not _lets_in(stranger, json={"auth_token": token})
    assert _lets_in(_with_token(app, client, token))


def test_an_idle_staff_session_ends_while_a_subscriber_idle_as_long_stays(
    app, make, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    staff = _logged_in(app, make, "staff")
    subscriber = _logged_in(app, make, "subscriber")
    idle = app.config["SAAS"].staff_idle_minutes * 60 + 1
    assert idle < app.config["SAAS"].subscriber_idle_minutes * 60
    _move_clock(monkeypatch, idle)
    response = staff.get("/admin/subscribers", base_url=_base(staff.brand))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert not _lets_in(staff)
    assert _lets_in(subscriber, "subscriber")


def test_activity_keeps_a_session_alive_past_the_idle_time(app, make, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    staff = _logged_in(app, make, "staff")
    idle = app.config["SAAS"].staff_idle_minutes * 60
    _move_clock(monkeypatch, idle - 60)
    assert _lets_in(staff)
    _move_clock(monkeypatch, idle - 60)
    assert _lets_in(staff)


def test_an_active_session_cookie_is_rewritten_at_most_once_a_minute(
    app, make, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    staff = _logged_in(app, make, "staff")

    def sets_session() -> bool:
        response = staff.get("/admin/", base_url=_base(staff.brand))
        return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))

    # The cookie the log-in set holds everything the pages write: the first page keeps it too.
    assert not sets_session()
    assert not sets_session()
    _move_clock(monkeypatch, 61)
    assert sets_session()
    assert not sets_session()
