"""Tenant isolation at three depths: the database, the ORM, and HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from saas.db import db, read
from saas.identity.models import User
from saas.tenancy.context import TenantMismatch, tenant_scope
from tests.conftest import in_brand, login

pytestmark = []
REGISTRY_TABLES = {"tenants", "tenant_domains"}
GLOBAL_TABLES = {"roles", "alembic_version"}


def _set_tenant(conn, tenant_id):  # type: ignore[no-untyped-def]
    conn.execute(
        text("SELECT set_config('app.tenant_id', :t, true)"),
        {"t": "" if tenant_id is None else str(tenant_id)},
    )


@pytest.fixture
def two_brands(make):  # type: ignore[no-untyped-def]
    a, b = make.brand(), make.brand()
    return a, b, make.user(a, "subscriber"), make.user(b, "subscriber")


@pytest.mark.postgres
def test_every_table_with_tenant_id_has_rls_enabled_and_forced(app, owner_engine):  # type: ignore[no-untyped-def]
    with owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "EXISTS (SELECT 1 FROM information_schema.columns i WHERE i.table_name = c.relname "
                "AND i.column_name = 'tenant_id' AND i.table_schema = 'public') AS has_tenant "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
        ).all()
    tenant_tables = {r.relname for r in rows if r.has_tenant}
    assert {"users", "audit_events", "api_keys", "failed_jobs"} <= tenant_tables
    for r in rows:
        if r.relname in GLOBAL_TABLES:
            continue
        assert r.relrowsecurity and r.relforcerowsecurity, f"{r.relname} lacks forced RLS"


@pytest.mark.postgres
def test_runtime_role_owns_nothing_and_cannot_bypass_rls(app, runtime_engine):  # type: ignore[no-untyped-def]
    with runtime_engine.connect() as conn:
        role = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                "AND tableowner = current_user"
            )
        ).scalar_one()
    assert (role.rolsuper, role.rolbypassrls, owned) == (False, False, 0)


@pytest.mark.postgres
def test_raw_sql_with_brand_a_set_sees_only_brand_a(app, runtime_engine, two_brands):  # type: ignore[no-untyped-def]
    a, _, user_a, user_b = two_brands
    with runtime_engine.begin() as conn:
        _set_tenant(conn, a.id)
        ids = set(conn.execute(text("SELECT id FROM users")).scalars())
        tenants = set(conn.execute(text("SELECT DISTINCT tenant_id FROM users")).scalars())
    assert user_a.id in ids and user_b.id not in ids
    assert tenants == {a.id}


@pytest.mark.postgres
def test_raw_sql_with_no_brand_set_sees_nothing(app, runtime_engine, two_brands):  # type: ignore[no-untyped-def]
    with runtime_engine.begin() as conn:
        for table in ("users", "audit_events", "api_keys", "user_roles", "failed_jobs"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0


@pytest.mark.postgres
def test_raw_sql_cannot_update_or_delete_another_brands_rows(app, runtime_engine, two_brands):  # type: ignore[no-untyped-def]
    a, b, _, user_b = two_brands
    with runtime_engine.begin() as conn:
        _set_tenant(conn, a.id)
        updated = conn.execute(
            text("UPDATE users SET full_name = 'x' WHERE id = :i"), {"i": user_b.id}
        ).rowcount
        deleted = conn.execute(text("DELETE FROM users WHERE id = :i"), {"i": user_b.id}).rowcount
    assert (updated, deleted) == (0, 0)
    with runtime_engine.begin() as conn:
        _set_tenant(conn, b.id)
        name = conn.execute(
            text("SELECT full_name FROM users WHERE id = :i"), {"i": user_b.id}
        ).scalar_one()
    assert name != "x"


@pytest.mark.postgres
def test_raw_sql_cannot_insert_a_row_for_another_brand(app, runtime_engine, two_brands):  # type: ignore[no-untyped-def]
    a, b, _, _ = two_brands
    with pytest.raises(DBAPIError, match="row-level security"), runtime_engine.begin() as conn:
        _set_tenant(conn, a.id)
        conn.execute(
            text(
                "INSERT INTO audit_events (tenant_id, at, actor_label, action, object_type, "
                "object_id, changes) VALUES (:t, now(), 'x', 'x', 'x', '1', '{}')"
            ),
            {"t": b.id},
        )


@pytest.mark.postgres
def test_a_brand_cannot_rewrite_the_brand_registry(app, runtime_engine, two_brands):  # type: ignore[no-untyped-def]
    a, b, _, _ = two_brands
    with runtime_engine.begin() as conn:
        _set_tenant(conn, a.id)
        other = conn.execute(
            text("UPDATE tenants SET name = 'hijacked' WHERE id = :i"), {"i": b.id}
        ).rowcount
        own = conn.execute(
            text("UPDATE tenants SET legal_name = 'A Ltd' WHERE id = :i"), {"i": a.id}
        ).rowcount
    assert (other, own) == (0, 1)


def _platform_id(conn):  # type: ignore[no-untyped-def]
    return conn.execute(text("SELECT id FROM tenants WHERE slug = 'platform'")).scalar_one()


def _brand_with_a_domain(make):  # type: ignore[no-untyped-def]
    return make.brand(domains=[f"{uuid.uuid4().hex[:10]}.example"])


@pytest.mark.postgres
@pytest.mark.parametrize(
    "change", ["kind = 'platform'", "slug = 'taken-over'", "active = false", "currency = 'USD'"]
)
def test_a_brand_cannot_change_the_platform_columns_of_its_own_row(
    app, runtime_engine, make, change
):  # type: ignore[no-untyped-def]
    brand = make.brand()
    refused = pytest.raises(DBAPIError, match="only the platform may change")
    with refused, runtime_engine.begin() as conn:
        _set_tenant(conn, brand.id)
        conn.execute(text(f"UPDATE tenants SET {change} WHERE id = :i"), {"i": brand.id})
    with runtime_engine.begin() as conn:
        _set_tenant(conn, brand.id)
        row = conn.execute(
            text(
                "SELECT kind, slug, active, currency, app_in_platform() AS platform "
                "FROM tenants WHERE id = :i"
            ),
            {"i": brand.id},
        ).one()
    assert tuple(row) == ("brand", brand.slug, True, brand.currency, False)


@pytest.mark.postgres
def test_a_brand_that_tries_to_become_the_platform_gains_nothing_in_the_same_transaction(
    app, runtime_engine, make
):  # type: ignore[no-untyped-def]
    brand = make.brand()
    refused = pytest.raises(DBAPIError, match="only the platform may change")
    with refused, runtime_engine.begin() as conn:
        _set_tenant(conn, brand.id)
        conn.execute(text("UPDATE tenants SET kind = 'platform' WHERE id = :i"), {"i": brand.id})
        conn.execute(
            text("INSERT INTO tenant_domains (tenant_id, host) VALUES (:i, 'mine.example')"),
            {"i": brand.id},
        )


@pytest.mark.postgres
def test_a_brand_can_still_change_the_columns_its_settings_page_edits(app, runtime_engine, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    with runtime_engine.begin() as conn:
        _set_tenant(conn, brand.id)
        changed = conn.execute(
            text(
                "UPDATE tenants SET name = 'New name', legal_name = 'New GmbH', "
                "support_email = 'help@new.example', updated_at = now() WHERE id = :i"
            ),
            {"i": brand.id},
        ).rowcount
    assert changed == 1


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO tenant_domains (tenant_id, host) VALUES (:i, 'extra.example')",
        "UPDATE tenant_domains SET host = 'moved.example' WHERE tenant_id = :i",
        "DELETE FROM tenant_domains WHERE tenant_id = :i",
    ],
)
def test_a_brand_cannot_add_change_or_remove_its_domains(app, runtime_engine, make, statement):  # type: ignore[no-untyped-def]
    brand = _brand_with_a_domain(make)
    refused = pytest.raises(DBAPIError, match="only the platform may change tenant_domains")
    with refused, runtime_engine.begin() as conn:
        _set_tenant(conn, brand.id)
        conn.execute(text(statement), {"i": brand.id})
    with runtime_engine.begin() as conn:
        hosts = conn.execute(
            text("SELECT host FROM tenant_domains WHERE tenant_id = :i"), {"i": brand.id}
        ).scalars()
        assert len(list(hosts)) == 1


@pytest.mark.postgres
def test_the_platform_realm_still_changes_every_column_and_domain(app, runtime_engine, make):  # type: ignore[no-untyped-def]
    brand = _brand_with_a_domain(make)
    changes = (
        "UPDATE tenants SET slug = slug || '-x', active = false, currency = 'USD', "
        "name = 'Renamed' WHERE id = :i",
        "INSERT INTO tenant_domains (tenant_id, host) VALUES (:i, 'new-' || :i || '.example')",
        "UPDATE tenant_domains SET host = 'moved-' || host WHERE tenant_id = :i",
        "DELETE FROM tenant_domains WHERE tenant_id = :i",
    )
    with runtime_engine.connect() as conn, conn.begin() as tx:
        _set_tenant(conn, _platform_id(conn))
        counts = [conn.execute(text(sql), {"i": brand.id}).rowcount for sql in changes]
        tx.rollback()
    assert counts == [1, 1, 2, 2]


def test_orm_queries_see_only_the_brand_in_scope(app, two_brands):  # type: ignore[no-untyped-def]
    a, _, user_a, user_b = two_brands
    with in_brand(app, a.id) as session:
        ids = set(session.scalars(select(User.id)))
        assert user_a.id in ids and user_b.id not in ids
        assert session.scalar(select(User).where(User.id == user_b.id)) is None


def test_orm_queries_with_no_brand_in_scope_return_nothing(app, two_brands):  # type: ignore[no-untyped-def]
    with app.app_context(), tenant_scope(None):
        assert db.session.scalars(select(User)).all() == []
        db.session.remove()


@pytest.mark.postgres
def test_column_reads_see_only_the_brand_in_scope_without_row_security_too(
    app: Any, make: Any, owner_engine: Any
) -> None:
    a, b = make.brand(), make.brand()
    mine, theirs = (make.user(brand, "subscriber", email="same@example.com") for brand in (a, b))
    twin = aliased(User)
    pairs = select(User.id, twin.id.label("twin")).join(twin, twin.email_key == User.email_key)
    # The table owner here is a superuser, whom row-level security lets through: only the
    # tenant filter written into the statement keeps the other brand's rows out.
    with Session(owner_engine) as session:
        with tenant_scope(a.id):
            seen = read(session, pairs).all()
        with tenant_scope(None):
            nobody = read(session, pairs).all()
    assert [tuple(row) for row in seen] == [(mine.id, mine.id)] and theirs.id != mine.id
    assert nobody == []


def test_orm_refuses_to_write_a_row_of_another_brand(app, two_brands):  # type: ignore[no-untyped-def]
    a, b, _, user_b = two_brands
    with app.app_context():
        with tenant_scope(b.id):
            user = db.session.scalar(select(User).where(User.id == user_b.id))
        with tenant_scope(a.id), pytest.raises(TenantMismatch):
            user.full_name = "moved"
            db.session.flush()
        db.session.rollback()
        db.session.remove()


def test_new_rows_take_the_tenant_in_scope(app, make):  # type: ignore[no-untyped-def]
    brand = make.brand()
    user = make.user(brand, "subscriber")
    with in_brand(app, brand.id) as session:
        row = session.scalar(select(User).where(User.id == user.id))
        assert row.tenant_id == brand.id
        assert inspect(row).mapper.columns["tenant_id"].nullable is False


def test_same_email_is_two_people_in_two_brands(app, client, make):  # type: ignore[no-untyped-def]
    a, b = make.brand(), make.brand()
    make.user(a, "subscriber", email="same@example.com", password="password-for-a")
    make.user(b, "subscriber", email="same@example.com", password="password-for-b")
    assert login(client, a.host, "same@example.com", "password-for-b").status_code == 200
    assert login(client, a.host, "same@example.com", "password-for-a").status_code == 302


def test_a_session_from_brand_a_is_refused_at_brand_b(app, make):  # type: ignore[no-untyped-def]
    a, b = make.brand(), make.brand()
    staff = make.user(a, "staff", ("owner",))
    c = app.test_client()
    assert login(c, a.host, staff.email).status_code == 302
    cookie = c.get_cookie("session", domain=a.host)
    assert cookie is not None
    c.set_cookie("session", cookie.value, domain=b.host)
    at_b = c.get("/admin/", base_url=f"http://{b.host}")
    assert at_b.status_code == 302 and "/account/login" in at_b.headers["Location"]
    assert c.get("/admin/", base_url=f"http://{a.host}").status_code == 200


def test_an_unknown_host_gets_a_plain_404(client):  # type: ignore[no-untyped-def]
    response = client.get("/", base_url="http://nobody-here.localhost")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert b"Spreewelle" not in response.data and b"<html" not in response.data


def test_brands_answer_on_their_custom_domains(client):  # type: ignore[no-untyped-def]
    response = client.get("/", base_url="http://wislafon.example")
    assert response.status_code == 200
    assert "Wiślafon".encode() in response.data
