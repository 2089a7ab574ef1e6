"""One spelling per host: links name it in normal form and malformed hosts are refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from saas.notifications.models import OutboundEmail
from tests.conftest import in_brand


def reset_link(app: Any, brand: Any, **request: Any) -> str:
    """Ask for a password reset and return the link the mail carries."""
    user = app.test_client()
    assert user.post("/account/reset", data={"email": brand.email}, **request).status_code == 200
    with in_brand(app, brand.id) as session:
        [mail] = session.scalars(select(OutboundEmail)).all()
        text = mail.body_text
    return next(word for word in text.split() if "/account/reset/" in word)


@pytest.fixture
def person(make: Any) -> Any:
    brand = make.brand()
    brand.email = make.user(brand, "subscriber").email
    return brand


def test_a_reset_link_names_the_brand_host_whatever_case_dot_and_port_the_request_used(
    app, person
) -> None:  # type: ignore[no-untyped-def]
    link = reset_link(app, person, headers={"Host": f"{person.host.upper()}.:1234"})
    assert link.startswith(f"http://{person.host}/account/reset/")


def test_a_reset_link_keeps_the_port_the_server_itself_listens_on(app, person) -> None:  # type: ignore[no-untyped-def]
    link = reset_link(app, person, base_url=f"http://{person.host}:5000")
    assert link.startswith(f"http://{person.host}:5000/account/reset/")


@pytest.mark.parametrize(
    "host",
    [
        "spreewelle.localhost..",
        "spreewelle..localhost",
        ".spreewelle.localhost",
        "spree_welle.localhost",
        "-spreewelle.localhost",
        "spreewelle.localhost:",
        "spreewelle.localhost:port",
        "spreewelle.localhost:99999",
    ],
)
def test_a_malformed_host_answers_a_plain_400(client, host: str) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/account/login", "/api/v1/plans"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, path
        assert b"Spreewelle" not in response.data
