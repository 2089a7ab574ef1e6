"""One spelling per host: links name it in normal form, malformed hosts are refused, and no
brand can claim the platform's hosts or another brand's own host."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from saas.notifications.models import OutboundEmail
from saas.platform_setup import DEMO_OPERATOR
from saas.tenancy.brands import BrandError, BrandSpec, save, sync
from saas.tenancy.models import TenantDomain
from tests.conftest import in_brand, in_platform, login


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


def test_a_brand_cannot_take_another_brands_own_host_as_its_domain(app, make) -> None:  # type: ignore[no-untyped-def]
    other = make.brand()
    spec = BrandSpec(slug=f"t{uuid.uuid4().hex[:10]}", name="Taker", domains=[other.host])
    with in_platform(app) as session, pytest.raises(BrandError, match="reserved"):
        save(session, spec, app.config["SAAS"])


def test_a_brand_file_cannot_take_another_brands_own_host_either(app, make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = make.brand()
    slug = f"t{uuid.uuid4().hex[:10]}"
    (tmp_path / f"{slug}.toml").write_text(
        f'slug = "{slug}"\nname = "Taker"\ndomains = ["{other.host.upper()}"]\n'
    )
    with in_platform(app) as session, pytest.raises(BrandError, match=other.slug):
        sync(session, tmp_path, app.config["SAAS"])


def test_the_platform_console_refuses_another_brands_own_host_as_a_domain(app, make) -> None:  # type: ignore[no-untyped-def]
    other = make.brand()
    operator = app.test_client()
    assert login(operator, "localhost", *DEMO_OPERATOR).status_code == 302
    slug = f"p{uuid.uuid4().hex[:10]}"
    form = {"slug": slug, "name": "Taker", "domains": other.host, "default_locale": "en"}
    form |= {"locales": ["en"], "currency": "EUR", "timezone": "UTC", "theme": "base"}
    form |= {"owner_email": f"owner@{slug}.example"}
    response = operator.post("/platform/brands/new", data=form, base_url="http://localhost")
    assert response.status_code == 422
    assert "reserved" in response.get_data(as_text=True)


def test_a_brand_cannot_take_a_platform_host_as_its_domain(app) -> None:  # type: ignore[no-untyped-def]
    settings = replace(app.config["SAAS"], platform_hosts=["ops.example.net"])
    spec = BrandSpec(slug=f"t{uuid.uuid4().hex[:10]}", name="Taker", domains=["ops.example.net"])
    with in_platform(app) as session, pytest.raises(BrandError, match="platform"):
        save(session, spec, settings)


def test_a_brand_answers_on_its_own_host_even_where_another_brand_lists_it(app, make) -> None:  # type: ignore[no-untyped-def]
    owner, squatter = make.brand(name="Rightful"), make.brand(name="Squatter")
    with in_platform(app) as session:
        # A row written before brands were validated against each other's hosts.
        session.add(TenantDomain(tenant_id=squatter.id, host=owner.host))
    page = app.test_client().get("/", base_url=f"http://{owner.host}").get_data(as_text=True)
    assert "Rightful" in page and "Squatter" not in page


def test_a_new_brand_whose_own_host_another_brand_lists_is_refused(app, make) -> None:  # type: ignore[no-untyped-def]
    squatter = make.brand()
    slug = f"t{uuid.uuid4().hex[:10]}"
    with in_platform(app) as session:
        session.add(TenantDomain(tenant_id=squatter.id, host=f"{slug}.localhost"))
    with in_platform(app) as session, pytest.raises(BrandError, match="own host"):
        save(session, BrandSpec(slug=slug, name="Late"), app.config["SAAS"])
