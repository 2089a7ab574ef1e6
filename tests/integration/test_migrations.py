"""Migrations run down and up again on the kind of database the suite uses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from saas.db.migrate import alembic_config
from tests.support import backends


@pytest.fixture
def scratch_url(database, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if database.kind != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"saas_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(backends.ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(backends.ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_schema_downgrades_to_nothing_and_upgrades_again(scratch_url: str) -> None:
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    assert _tables(scratch_url) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert {"tenants", "users", "audit_events", "api_keys"} <= _tables(scratch_url)


def _guards(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
            return set(rows.scalars())
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_an_installation_upgraded_from_0002_gets_the_registry_guards_and_loses_them_going_back(
    scratch_url: str,
) -> None:
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "0002")
    assert _guards(scratch_url) == set()
    command.upgrade(cfg, "head")
    assert {"tenants_platform_columns", "tenant_domains_platform_only"} <= _guards(scratch_url)
    command.downgrade(cfg, "0002")
    assert _guards(scratch_url) == set()


def _plan_columns(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("plans")}
    finally:
        engine.dispose()


def test_plans_gain_their_texts_per_language_and_lose_them_going_back(scratch_url: str) -> None:
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "0004")
    assert "translations" not in _plan_columns(scratch_url)
    command.upgrade(cfg, "0005")
    assert "translations" in _plan_columns(scratch_url)
    command.downgrade(cfg, "0004")
    assert "translations" not in _plan_columns(scratch_url)
