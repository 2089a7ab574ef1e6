"""Log-in, second factor and reset are throttled per brand and client, and per account."""

from __future__ import annotations

from typing import Any

from saas.identity.models import User
from tests.conftest import DEFAULT_PASSWORD, in_brand

LIMIT = 20  # login_rate_limit and account_rate_limit in the test settings, per minute


def spellings(host: str) -> list[str]:
    """Other ways a client can write a brand's host: port, case, trailing dot."""
    return [f"{host}:1234", host.upper(), f"{host}.", f"{host.upper()}.:8080"]


def post(client: Any, path: str, host: str, data: dict[str, str], ip: str = "127.0.0.1") -> Any:
    return client.post(path, data=data, headers={"Host": host}, environ_base={"REMOTE_ADDR": ip})


def log_in(client: Any, host: str, email: str, password: str, ip: str = "127.0.0.1") -> Any:
    return post(client, "/account/login", host, {"email": email, "password": password}, ip)


def send_code(client: Any, host: str, code: str, ip: str = "127.0.0.1") -> Any:
    return post(client, "/account/tf-validate", host, {"code": code}, ip)


def with_authenticator(app: Any, brand: Any, user: Any) -> str:
    """Give a person an authenticator app as second factor; return its secret."""
    from saas.web.auth import security

    secret = security._totp_factory.generate_totp_secret()
    with in_brand(app, brand.id) as session:
        person = session.get(User, user.id)
        person.tf_primary_method, person.tf_totp_secret = "authenticator", secret
    return str(secret)


def current_code(app: Any, secret: str) -> str:
    from saas.web.auth import security

    with app.app_context():
        return str(security._totp_factory.generate_totp_password(secret))


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def awaiting_second_factor(app: Any, brand: Any, user: Any) -> Any:
    client = app.test_client()
    response = log_in(client, brand.host, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302 and "/tf-validate" in response.headers["Location"]
    return client


def test_a_log_in_throttled_on_the_brand_host_is_throttled_on_every_spelling_of_it(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    client = app.test_client()
    codes = [log_in(client, brand.host, user.email, "wrong").status_code for _ in range(LIMIT)]
    assert codes == [200] * LIMIT
    assert log_in(client, brand.host, user.email, DEFAULT_PASSWORD).status_code == 429
    for host in spellings(brand.host):
        assert log_in(client, host, user.email, DEFAULT_PASSWORD).status_code == 429, host


def test_a_second_factor_throttled_on_the_brand_host_is_throttled_on_every_spelling_of_it(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "staff")
    secret = with_authenticator(app, brand, user)
    client = awaiting_second_factor(app, brand, user)
    wrong = wrong_code(current_code(app, secret))
    codes = [send_code(client, brand.host, wrong).status_code for _ in range(LIMIT)]
    assert codes == [200] * LIMIT
    assert send_code(client, brand.host, current_code(app, secret)).status_code == 429
    for host in spellings(brand.host):
        assert send_code(client, host, current_code(app, secret)).status_code == 429, host


def test_wrong_passwords_for_one_account_are_throttled_whichever_address_sends_them(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user, other = make.user(brand, "subscriber"), make.user(brand, "subscriber")
    client = app.test_client()
    for i in range(LIMIT):
        assert log_in(client, brand.host, user.email, "wrong", ip=f"10.0.1.{i}").status_code == 200
    right = log_in(client, brand.host, user.email.upper(), DEFAULT_PASSWORD, ip="10.0.2.1")
    assert right.status_code == 429
    assert (
        log_in(client, brand.host, other.email, DEFAULT_PASSWORD, ip="10.0.2.2").status_code == 302
    )


def test_wrong_second_factor_codes_for_one_account_are_throttled_whichever_address_sends_them(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "staff")
    secret = with_authenticator(app, brand, user)
    first, second = (
        awaiting_second_factor(app, brand, user),
        awaiting_second_factor(app, brand, user),
    )
    wrong = wrong_code(current_code(app, secret))
    for i in range(LIMIT):
        client = first if i % 2 else second
        assert send_code(client, brand.host, wrong, ip=f"10.0.3.{i}").status_code == 200
    right = send_code(first, brand.host, current_code(app, secret), ip="10.0.4.1")
    assert right.status_code == 429


def test_password_reset_requests_for_one_account_are_throttled_whichever_address_sends_them(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    client = app.test_client()
    for i in range(LIMIT):
        response = post(client, "/account/reset", brand.host, {"email": user.email}, f"10.0.5.{i}")
        assert response.status_code == 200
    response = post(client, "/account/reset", f"{brand.host}.", {"email": user.email}, "10.0.6.1")
    assert response.status_code == 429


def test_another_app_built_in_the_same_process_does_not_count_attempts_twice(
    app, make, another_app
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    client = app.test_client()
    for i in range(LIMIT):
        assert log_in(client, brand.host, user.email, "wrong", ip=f"10.0.7.{i}").status_code == 200


def test_the_throttled_page_says_why_in_the_brands_language_not_the_limiters_words(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand(default_locale="de", locales=["de"])
    user = make.user(brand, "subscriber")
    client = app.test_client()
    for i in range(LIMIT):
        log_in(client, brand.host, user.email, "wrong", ip=f"10.0.9.{i}")
    response = log_in(client, brand.host, user.email, "wrong", ip="10.0.9.250")
    words = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Zu viele Versuche in kurzer Zeit" in words and "per 1 minute" not in words


def test_guessing_the_signed_in_accounts_password_is_throttled_on_verify_and_change(
    app, make
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import login

    brand = make.brand()
    user = make.user(brand, "subscriber")
    client = app.test_client()
    assert login(client, brand.host, user.email).status_code == 302
    wrong = {"password": "not-the-password"}
    for i in range(LIMIT):
        verify = post(client, "/account/verify", brand.host, wrong, f"10.0.7.{i}")
        assert verify.status_code == 200, verify.status_code
    right = post(client, "/account/verify", brand.host, {"password": DEFAULT_PASSWORD}, "10.0.8.1")
    assert right.status_code == 429
    # The same account's change form counts its own guesses, from any address.
    change = {
        "password": "wrong",
        "new_password": "a-new-passphrase",
        "new_password_confirm": "a-new-passphrase",
    }
    for i in range(LIMIT):
        assert post(client, "/account/change", brand.host, change, f"10.0.9.{i}").status_code == 200
    assert post(client, "/account/change", brand.host, change, "10.0.10.1").status_code == 429


def test_trying_reset_links_is_throttled_per_client(app, make) -> None:  # type: ignore[no-untyped-def]
    brand = make.brand()
    client = app.test_client()
    form = {"password": "a-new-passphrase", "password_confirm": "a-new-passphrase"}
    codes = [
        post(client, f"/account/reset/not-a-token-{i}", brand.host, form).status_code
        for i in range(LIMIT)
    ]
    assert 429 not in codes
    assert post(client, "/account/reset/one-more", brand.host, form).status_code == 429
