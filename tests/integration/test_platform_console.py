"""The platform console: operators only, on the platform host only, where brands are made."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from saas.identity import audit
from saas.platform_setup import DEMO_OPERATOR
from saas.tenancy.brands import by_slug
from tests.conftest import in_brand, in_platform, login

PLATFORM = "localhost"
BASE = f"http://{PLATFORM}"


@pytest.fixture(scope="module")
def operator(app: Any) -> Any:
    """A client logged in as the demo operator (once per module: log-ins are rate limited)."""
    client = app.test_client()
    email, password = DEMO_OPERATOR
    assert login(client, PLATFORM, email, password).status_code == 302
    return client


def brand_form(slug: str, **overrides: Any) -> dict[str, Any]:
    values = {
        "slug": slug,
        "name": f"Brand {slug}",
        "legal_name": f"{slug} GmbH",
        "domains": f"{slug}.example,\nshop.{slug}.example",
        "default_locale": "de",
        "locales": ["de", "en"],
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "country": "DE",
        "theme": "base",
        "support_email": f"help@{slug}.example",
        "active": "on",
        "owner_email": f"owner@{slug}.example",
        "owner_name": "Olga Owner",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def new_slug() -> str:
    return f"p{uuid.uuid4().hex[:10]}"


def test_the_console_asks_anonymous_visitors_to_log_in(client: Any) -> None:
    response = client.get("/platform/", base_url=BASE)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_the_console_does_not_exist_on_a_brand_host(operator: Any, staff_client: Any) -> None:
    host = f"http://{staff_client.brand.host}"
    assert staff_client.get("/platform/", base_url=host).status_code == 404
    assert operator.get("/platform/", base_url=host).status_code == 404
    assert operator.get("/platform/brands/new", base_url=host).status_code == 404


def test_brand_staff_cannot_log_in_on_the_platform_host(app: Any, make: Any) -> None:
    brand = make.brand()
    owner = make.user(brand, "staff", ("owner",))
    client = app.test_client()
    response = login(client, PLATFORM, owner.email, owner.password)
    assert response.status_code == 200  # the form again, not a redirect into a session
    assert client.get("/platform/", base_url=BASE).status_code == 302


def test_a_subscriber_of_the_platform_realm_is_not_an_operator(app: Any) -> None:
    from saas.identity.services import create_user

    email = f"sub-{uuid.uuid4().hex[:8]}@example.com"
    with in_platform(app) as session:
        create_user(session, kind="subscriber", email=email, password="long-enough-pw")
    client = app.test_client()
    assert login(client, PLATFORM, email, "long-enough-pw").status_code == 302
    assert client.get("/platform/", base_url=BASE).status_code == 403


def test_the_brand_list_shows_status_hosts_and_links(operator: Any, make: Any) -> None:
    brand = make.brand(domains=["listed.example"])
    page = operator.get("/platform/", base_url=BASE).get_data(as_text=True)
    for text in (
        "Spreewelle Mobil",
        "spreewelle.localhost",
        "spreewelle.example",
        brand.name,
        "listed.example",
        f"{brand.slug}.localhost",
        f"/platform/brands/{brand.slug}",
        f"/platform/brands/{brand.slug}/edit",
        'data-testid="brand-active"',
    ):
        assert text in page


def test_an_inactive_brand_is_marked_in_the_list(operator: Any, make: Any) -> None:
    brand = make.brand(active=False)
    page = operator.get("/platform/", base_url=BASE).get_data(as_text=True)
    row = page.split(f'data-testid="brand-row-{brand.slug}"')[1].split("</tr>")[0]
    assert 'data-testid="brand-inactive"' in row


def test_creating_a_brand_with_bad_values_shows_every_problem_and_creates_nothing(
    app: Any, operator: Any
) -> None:
    slug = new_slug()
    response = operator.post(
        "/platform/brands/new",
        base_url=BASE,
        data=brand_form(
            slug, currency="ZZZ", timezone="Mars/Olympus", domains="spreewelle.example"
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="brand-problems"' in page
    for fragment in ("ZZZ", "Mars/Olympus", "spreewelle.example&#34; belongs to another brand"):
        assert fragment in page
    assert f'value="{slug}"' in page  # the form keeps what was typed
    with in_platform(app) as session:
        assert by_slug(session, slug) is None


def test_creating_a_brand_never_overwrites_an_existing_one(
    app: Any, operator: Any, make: Any
) -> None:
    brand = make.brand()
    response = operator.post(
        "/platform/brands/new",
        base_url=BASE,
        data=brand_form(brand.slug, name="Hijacked", domains=""),
    )
    assert response.status_code == 422
    assert "is taken" in response.get_data(as_text=True)
    with in_platform(app) as session:
        assert by_slug(session, brand.slug).name == brand.name


def test_a_theme_that_is_not_installed_is_refused(app: Any, operator: Any) -> None:
    slug = new_slug()
    response = operator.post(
        "/platform/brands/new", base_url=BASE, data=brand_form(slug, theme="../base", domains="")
    )
    assert response.status_code == 422
    with in_platform(app) as session:
        assert by_slug(session, slug) is None


def test_a_created_brand_is_served_on_its_hosts_at_once(app: Any, operator: Any) -> None:
    slug = new_slug()
    response = operator.post(
        "/platform/brands/new", base_url=BASE, data=brand_form(slug, name="Fresh Mobile")
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/platform/brands/{slug}")
    visitor = app.test_client()
    for host in (f"{slug}.localhost", f"{slug}.example", f"shop.{slug}.example"):
        page = visitor.get("/", base_url=f"http://{host}")
        assert page.status_code == 200
        assert "Fresh Mobile" in page.get_data(as_text=True)
    with in_platform(app) as session:
        tenant = by_slug(session, slug)
        assert (tenant.currency, tenant.timezone, tenant.locales) == (
            "EUR",
            "Europe/Berlin",
            ["de", "en"],
        )


def test_the_edit_form_shows_the_current_values(operator: Any, make: Any) -> None:
    brand = make.brand(domains=["edit-me.example"], currency="PLN")
    page = operator.get(f"/platform/brands/{brand.slug}/edit", base_url=BASE).get_data(as_text=True)
    assert brand.name in page and "edit-me.example" in page and 'value="PLN"' in page


def test_editing_a_brand_is_saved_and_audited_in_the_platform_log(
    app: Any, operator: Any, make: Any
) -> None:
    brand = make.brand()
    response = operator.post(
        f"/platform/brands/{brand.slug}/edit",
        base_url=BASE,
        data=brand_form(brand.slug, name="Renamed Mobile", domains="", currency="PLN", active=None),
    )
    assert response.status_code == 302
    with in_platform(app) as session:
        tenant = by_slug(session, brand.slug)
        assert (tenant.name, tenant.currency, tenant.active) == ("Renamed Mobile", "PLN", False)
        events = [
            (e.changes, e.actor_label)
            for e in audit.recent(session, 200, "tenants")
            if e.action == "update" and e.object_id == str(brand.id)
        ]
    assert events, "the change is in the platform realm's audit log"
    changes, actor = events[0]
    assert changes["name"] == [brand.name, "Renamed Mobile"]
    assert actor == DEMO_OPERATOR[0]
    assert app.test_client().get("/", base_url=f"http://{brand.host}").status_code == 404


def test_a_brand_with_plans_keeps_its_currency_and_says_why_beside_the_field(
    app: Any, operator: Any, make: Any
) -> None:
    import re

    brand = make.brand(currency="EUR")
    make.plan(brand)
    response = operator.post(
        f"/platform/brands/{brand.slug}/edit",
        base_url=BASE,
        data=brand_form(brand.slug, currency="PLN", domains=""),
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    said = re.search(r'id="currency-error"[^>]*>([^<]+)<', page)
    assert said is not None, page
    assert "EUR" in said.group(1) and "currency stays" not in said.group(1)
    with in_platform(app) as session:
        assert by_slug(session, brand.slug).currency == "EUR"
    # A brand without plans may still choose its currency.
    empty = make.brand(currency="EUR")
    response = operator.post(
        f"/platform/brands/{empty.slug}/edit",
        base_url=BASE,
        data=brand_form(empty.slug, currency="PLN", domains=""),
    )
    assert response.status_code == 302


def test_editing_with_bad_values_changes_nothing(app: Any, operator: Any, make: Any) -> None:
    brand = make.brand()
    response = operator.post(
        f"/platform/brands/{brand.slug}/edit",
        base_url=BASE,
        data=brand_form(brand.slug, name="", currency="ZZZ", domains=""),
    )
    assert response.status_code == 422
    assert "name is empty" in response.get_data(as_text=True)
    with in_platform(app) as session:
        assert by_slug(session, brand.slug).name == brand.name


def test_an_unknown_brand_answers_404(operator: Any) -> None:
    assert operator.get("/platform/brands/no-such-brand", base_url=BASE).status_code == 404
    assert operator.get("/platform/brands/platform/edit", base_url=BASE).status_code == 404


def test_the_brand_page_counts_inside_the_brand_and_leaves_a_crossing_trace(
    app: Any, operator: Any, make: Any
) -> None:
    brand = make.brand()
    make.user(brand, "staff", ("owner",))
    for _ in range(2):
        make.user(brand, "subscriber")
    response = operator.get(f"/platform/brands/{brand.slug}", base_url=BASE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<p class="stat-value" data-testid="figure-staff">1</p>' in page
    assert '<p class="stat-value" data-testid="figure-subscribers">2</p>' in page
    assert '<p class="stat-value" data-testid="figure-dead-jobs">0</p>' in page
    with in_brand(app, brand.id) as session:
        crossings = [
            (e.tenant_id, e.object_id, e.changes["by"])
            for e in audit.recent(session, 50)
            if e.action == "tenant.cross"
        ]
    assert crossings == [(brand.id, brand.slug, DEMO_OPERATOR[0])]


def test_the_brand_page_counts_dead_letters(app: Any, operator: Any, make: Any) -> None:
    from saas.jobs.services import record_dead_letter

    brand = make.brand()
    with in_brand(app, brand.id) as session:
        record_dead_letter(
            session,
            message_id=uuid.uuid4().hex,
            queue_name="default",
            actor_name="deliver_email",
            args=[],
            kwargs={},
            retries=3,
            error="boom",
            traceback="",
        )
    page = operator.get(f"/platform/brands/{brand.slug}", base_url=BASE).get_data(as_text=True)
    assert '<p class="stat-value" data-testid="figure-dead-jobs">1</p>' in page


def test_operators_are_listed_and_a_new_one_can_log_in(app: Any, operator: Any) -> None:
    page = operator.get("/platform/operators", base_url=BASE).get_data(as_text=True)
    assert DEMO_OPERATOR[0] in page
    email = f"op-{uuid.uuid4().hex[:8]}@platform.example"
    response = operator.post(
        "/platform/operators/new",
        base_url=BASE,
        data={"email": email, "full_name": "New Operator", "password": "a-long-password"},
    )
    assert response.status_code == 302
    assert email in operator.get("/platform/operators", base_url=BASE).get_data(as_text=True)
    newcomer = app.test_client()
    assert login(newcomer, PLATFORM, email, "a-long-password").status_code == 302
    assert newcomer.get("/platform/", base_url=BASE).status_code == 200


def test_an_operator_with_a_short_password_is_refused(app: Any, operator: Any) -> None:
    email = f"op-{uuid.uuid4().hex[:8]}@platform.example"
    response = operator.post(
        "/platform/operators/new",
        base_url=BASE,
        data={"email": email, "full_name": "", "password": "short"},
    )
    assert response.status_code == 422
    assert "at least" in response.get_data(as_text=True)
    with in_platform(app) as session:
        from saas.identity.services import find_by_email

        assert find_by_email(session, email) is None


def test_a_theme_that_is_not_installed_is_refused_beside_its_field_and_the_rest_is_kept(
    operator: Any,
) -> None:
    from tests.support.forms import field_errors, field_values

    slug = new_slug()
    form = brand_form(slug, name="Kept Mobile", theme="../base", domains="")
    response = operator.post("/platform/brands/new", base_url=BASE, data=form)
    assert response.status_code == 422
    assert field_errors(response) == {"theme": ["Choose one of the options offered."]}
    assert field_values(response)["name"] == "Kept Mobile"
