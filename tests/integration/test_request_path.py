"""What a request costs before its page: the brand from memory, one set_config, no idle queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from saas.db import db
from saas.identity.audit import AuditEvent
from saas.tenancy.brands import BrandSpec, save
from saas.tenancy.models import registry_version
from saas.web.tenancy import CACHE
from tests.conftest import DEFAULT_PASSWORD, api_post, call, in_brand, in_platform, issue_key, login


@contextmanager
def traffic() -> Iterator[dict[str, list[str]]]:
    """Statements, transactions begun and connections taken from a pool inside the block."""
    seen: dict[str, list[str]] = {"statements": [], "begins": [], "checkouts": []}

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen["statements"].append(sql)

    def begin(_conn: Any) -> None:
        seen["begins"].append("BEGIN")

    def checkout(*_args: Any) -> None:
        seen["checkouts"].append("checkout")

    from sqlalchemy.pool import Pool

    listeners = [
        (Engine, "before_cursor_execute", statement),
        (Engine, "begin", begin),
        (Pool, "checkout", checkout),
    ]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


def _warm(client: Any, host: str) -> None:
    client.get("/", base_url=f"http://{host}")


def test_an_unknown_host_answers_404_without_touching_the_database(app: Any, client: Any) -> None:
    _warm(client, "spreewelle.localhost")
    with traffic() as seen:
        for host in ("nobody.localhost", "unknown.example", f"{uuid.uuid4().hex}.example"):
            assert client.get("/", base_url=f"http://{host}").status_code == 404
    assert seen == {"statements": [], "begins": [], "checkouts": []}


def test_a_brand_landing_page_for_a_visitor_reads_nothing(app: Any, client: Any) -> None:
    _warm(client, "spreewelle.localhost")
    with traffic() as seen:
        page = client.get("/", base_url="http://spreewelle.localhost")
        custom = client.get("/", base_url="http://wislafon.example")
    assert (page.status_code, custom.status_code) == (200, 200)
    assert "Wiślafon" in custom.get_data(as_text=True)
    assert seen == {"statements": [], "begins": [], "checkouts": []}


def test_a_request_that_reads_sets_its_brand_once_per_transaction(
    app: Any, make: Any, staff_client: Any
) -> None:
    base = f"http://{staff_client.brand.host}"
    staff_client.get("/admin/", base_url=base)
    with traffic() as seen:
        assert staff_client.get("/admin/", base_url=base).status_code == 200
    set_config = [s for s in seen["statements"] if "set_config" in s]
    assert seen["begins"] and len(set_config) == len(seen["begins"])
    assert not any(s.strip().upper() == "SELECT 1" for s in seen["statements"])  # no pre-ping


@pytest.mark.postgres
def test_the_tenant_a_cached_brand_sets_is_its_own(app: Any, make: Any) -> None:
    a, b = make.brand(), make.brand()
    for brand in (a, b):
        make.user(brand, "subscriber", email=f"only-{brand.slug}@example.com")
    keys = {brand.slug: issue_key(app, brand)[0] for brand in (a, b)}
    client = app.test_client()
    # Alternate between the two brands, every request answered from the registry in memory.
    for _ in range(3):
        for brand, other in ((a, b), (b, a)):
            listing = call(client, brand, "/subscribers?limit=100", keys[brand.slug])
            body = listing.get_data(as_text=True)
            assert listing.status_code == 200
            assert f"only-{brand.slug}@example.com" in body
            assert f"only-{other.slug}@example.com" not in body
    # The database, not only the ORM filter, holds each request to its brand.
    with app.test_request_context("/", base_url=f"http://{a.host}"):
        app.preprocess_request()
        setting = db.session.scalar(text("SELECT current_setting('app.tenant_id', true)"))
        seen = set(db.session.scalars(text("SELECT DISTINCT tenant_id FROM users")))
        db.session.rollback()
    assert setting == str(a.id) and seen == {a.id}


def _move_domain(app: Any, slug: str, domains: list[str]) -> None:
    with in_platform(app) as session:
        save(
            session, BrandSpec(slug=slug, name=f"Brand {slug}", domains=domains), app.config["SAAS"]
        )


def test_after_the_platform_moves_a_brands_domain_the_old_host_stops_resolving(
    app: Any, client: Any, make: Any
) -> None:
    old, new = f"old-{uuid.uuid4().hex[:8]}.example", f"new-{uuid.uuid4().hex[:8]}.example"
    brand = make.brand(domains=[old])
    assert client.get("/", base_url=f"http://{old}").status_code == 200
    _move_domain(app, brand.slug, [new])
    assert client.get("/", base_url=f"http://{old}").status_code == 404
    assert client.get("/", base_url=f"http://{new}").status_code == 200
    assert client.get("/", base_url=f"http://{brand.host}").status_code == 200


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(registry_version.c.version)).scalar_one())


@pytest.mark.postgres
def test_a_change_made_by_another_process_is_seen_once_the_registry_version_is_checked(
    app: Any, client: Any, make: Any, runtime_engine: Engine
) -> None:
    host = f"elsewhere-{uuid.uuid4().hex[:8]}.example"
    brand = make.brand(domains=[host])
    assert client.get("/", base_url=f"http://{host}").status_code == 200
    before = _version(runtime_engine)
    # Another process (a shell running `saas tenants sync`, another worker) drops the domain.
    with runtime_engine.begin() as conn:
        platform = conn.execute(text("SELECT id FROM tenants WHERE slug = 'platform'")).scalar()
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(platform)})
        conn.execute(text("DELETE FROM tenant_domains WHERE host = :h"), {"h": host})
    assert _version(runtime_engine) > before
    cache = app.extensions[CACHE]
    kept = cache.max_age
    try:
        cache.max_age = 3600
        assert client.get("/", base_url=f"http://{host}").status_code == 200  # not asked yet
        cache.max_age = 0
        assert client.get("/", base_url=f"http://{host}").status_code == 404
        assert client.get("/", base_url=f"http://{brand.host}").status_code == 200
    finally:
        cache.max_age = kept


@pytest.mark.postgres
def test_the_runtime_role_reads_the_registry_version_but_cannot_change_it(
    app: Any, runtime_engine: Engine
) -> None:
    from sqlalchemy.exc import DBAPIError

    assert _version(runtime_engine) >= 1
    with pytest.raises(DBAPIError, match="permission denied"), runtime_engine.begin() as conn:
        conn.execute(text("UPDATE registry_version SET version = 0"))


def test_a_brand_renaming_itself_is_shown_at_once(app: Any, make: Any) -> None:
    from tests.conftest import logged_in

    brand = make.brand()
    c = logged_in(app, make, brand)
    base = f"http://{brand.host}"
    form = {"name": "Renamed Itself", "legal_name": "Renamed GmbH", "support_email": ""}
    assert c.post("/admin/settings", data=form, base_url=base).status_code == 302
    assert "Renamed Itself" in c.get("/admin/", base_url=base).get_data(as_text=True)
    with in_brand(app, brand.id) as session:
        from saas.tenancy.models import Tenant

        assert session.get(Tenant, brand.id).name == "Renamed Itself"


@pytest.mark.postgres
def test_a_connection_the_server_closed_is_replaced_without_an_error(
    app: Any, staff_client: Any, owner_engine: Engine, database: Any
) -> None:
    from sqlalchemy.engine import make_url

    base = f"http://{staff_client.brand.host}"
    assert staff_client.get("/admin/", base_url=base).status_code == 200
    url = make_url(database.runtime_url)
    # Only this run's idle pool connections: other runs share the role, never the database.
    with owner_engine.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE usename = :r AND datname = :d AND state = 'idle'"
            ),
            {"r": url.username, "d": url.database},
        ).scalar_one()
        conn.commit()
    assert killed >= 1
    import time

    time.sleep(0.2)
    for _ in range(3):
        assert staff_client.get("/admin/", base_url=base).status_code == 200


def _audited_ip(app: Any, brand: Any, email: str) -> str | None:
    with in_brand(app, brand.id) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "create", AuditEvent.object_type == "users")
            .order_by(AuditEvent.id)
        ).all()
        rows = [e for e in event if email in str(e.changes)]
        return rows[-1].ip if rows else None


def _create_subscriber(client: Any, brand: Any, token: str, email: str, **environ: Any) -> Any:
    return client.post(
        "/api/v1/subscribers",
        json={"email": email},
        base_url=f"http://{brand.host}",
        headers={"Authorization": f"Bearer {token}", **environ.pop("headers", {})},
        environ_base=environ,
    )


def test_the_client_address_comes_from_a_trusted_proxy_only(
    app: Any, client: Any, make: Any
) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand)
    forwarded = {"X-Forwarded-For": "198.51.100.23, 203.0.113.7"}
    cases = [
        # (peer, headers, address the audit log and throttling see)
        ("127.0.0.1", forwarded, "203.0.113.7"),  # the proxy on this host: its last hop
        ("192.0.2.50", forwarded, "192.0.2.50"),  # anyone else: the peer, headers ignored
        ("127.0.0.1", {}, "127.0.0.1"),
    ]
    for peer, headers, expected in cases:
        email = f"p{uuid.uuid4().hex[:8]}@example.com"
        response = _create_subscriber(
            client, brand, token, email, REMOTE_ADDR=peer, headers=headers
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        assert _audited_ip(app, brand, email) == expected


def test_log_in_throttling_counts_the_client_behind_the_proxy(app: Any, make: Any) -> None:
    brand = make.brand()
    client = app.test_client()
    limit = 20  # login_rate_limit in the test settings

    def attempt(address: str) -> int:
        # A new account each time: only the per-client count can run out.
        email = f"n{uuid.uuid4().hex[:8]}@example.com"
        return int(
            client.post(
                "/account/login",
                data={"email": email, "password": "wrong-password"},
                base_url=f"http://{brand.host}",
                headers={"X-Forwarded-For": address},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            ).status_code
        )

    codes = [attempt("203.0.113.50") for _ in range(limit + 1)]
    assert codes[-1] == 429 and 429 not in codes[:-1]
    # Another client behind the same proxy has its own count.
    assert attempt("203.0.113.51") != 429
    # Without the header the proxy's own address counts, not the client it served.
    person = make.user(brand, "subscriber")
    assert login(client, brand.host, person.email, DEFAULT_PASSWORD).status_code == 302


def test_api_key_calls_resolve_from_the_cache_too(app: Any, client: Any, make: Any) -> None:
    brand = make.brand()
    token, _, _ = issue_key(app, brand)
    assert call(client, brand, "/brand", token).get_json()["slug"] == brand.slug
    created = api_post(client, brand, "/subscribers", token, {"email": "cached@example.com"})
    assert created.status_code == 201


def test_log_in_finds_the_person_through_the_e_mail_index_under_row_level_security(
    app: Any, make: Any, owner_engine: Engine
) -> None:
    if owner_engine.dialect.name != "postgresql":
        pytest.skip("row-level security and its index rule are PostgreSQL's")
    from saas.identity.services import find_by_email
    from tests.support.backends import RUNTIME_ROLE

    brand = make.brand()
    person = make.user(brand, "subscriber", email="Mixed.Case@Example.com")
    with in_brand(app, brand.id) as session:
        assert find_by_email(session, " mixed.case@example.COM ").id == person.id
    with owner_engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(brand.id)})
        # A brand of some size with fresh statistics (all rolled back), as the planner sees one.
        conn.execute(
            text(
                "INSERT INTO users (tenant_id, kind, email, email_key, full_name, active,"
                " fs_uniquifier, created_at, notes) SELECT :t, 'subscriber', 'p' || n || '@x.dev',"
                " 'p' || n || '@x.dev', '', true, md5(random()::text || n), now(), ''"
                " FROM generate_series(1, 5000) AS n"
            ),
            {"t": brand.id},
        )
        conn.execute(text("ANALYZE users"))
        conn.execute(text(f"SET LOCAL ROLE {RUNTIME_ROLE}"))
        plan = "\n".join(
            conn.scalars(
                text("EXPLAIN SELECT id FROM users WHERE email_key = :e"),
                {"e": "mixed.case@example.com"},
            )
        )
        conn.rollback()
    assert "ix_users_tenant_id_email_key" in plan, plan
    assert "Filter" not in plan, plan  # the address is an index condition, not a row filter


def test_a_hook_is_asked_whether_it_is_a_coroutine_once_and_a_passing_one_is_let_go(
    app: Any,
) -> None:
    import gc
    import weakref

    def hook() -> None:
        return None

    assert app.ensure_sync(hook) is hook and app.ensure_sync(hook) is hook
    seen = app.__dict__["_plain_functions"]
    assert seen[hook] is True
    made = lambda: None  # noqa: E731 - a function made for one request
    gone = weakref.ref(made)
    assert app.ensure_sync(made) is made
    del made
    gc.collect()
    assert gone() is None
