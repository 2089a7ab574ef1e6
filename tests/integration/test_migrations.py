"""Migrations run down and up again on the kind of database the suite uses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, insert, inspect, text
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


def _filler(column: Any) -> Any:
    """A value for a required column the test does not care about."""
    try:
        kind = column.type.python_type
    except NotImplementedError:
        kind = str
    values = {str: "x", int: 1, bool: True, Decimal: Decimal("50"), date: date(2026, 1, 1)}
    if kind is datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)
    return [] if kind in (list, dict, object) else values[kind]


def _row(conn: Any, meta: MetaData, table: str, **values: Any) -> int:
    """Insert a row, filling its other required columns; return its id."""
    columns = meta.tables[table].columns
    for column in columns:
        required = not column.nullable and column.server_default is None
        if required and column.name not in values and column.name != "id":
            values[column.name] = _filler(column)
    return conn.execute(insert(meta.tables[table]).values(**values).returning(columns.id)).scalar()


def _subscription_rows(url: str) -> dict[int, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, promotion_ends_on FROM subscriptions"))
            return {row.id: row.promotion_ends_on for row in rows}
    finally:
        engine.dispose()


def _promoted_subscriptions(url: str) -> dict[str, int]:
    """At 0005: a brand with promoted subscriptions of every duration, one moved to yearly."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            brand = _row(conn, meta, "tenants", slug="shop", kind="brand", currency="EUR")
            own = {"tenant_id": brand}
            product = _row(conn, meta, "products", code="mobile", **own)
            plan = _row(conn, meta, "plans", product_id=product, code="p", currency="EUR", **own)
            monthly = _row(conn, meta, "plan_versions", plan_id=plan, number=1, **own)
            conn.execute(text("UPDATE plan_versions SET billing_interval = 'monthly'"))
            yearly = _row(conn, meta, "plan_versions", plan_id=plan, number=2, **own)
            conn.execute(
                text("UPDATE plan_versions SET billing_interval = 'yearly' WHERE id = :id"),
                {"id": yearly},
            )
            user = _row(conn, meta, "users", email="a@example.com", kind="subscriber", **own)
            account = _row(conn, meta, "accounts", holder_id=user, **own)
            ids: dict[str, int] = {}
            for name, duration, cycles in (
                ("once", "once", None),
                ("three", "repeating", 3),
                ("forever", "forever", None),
            ):
                promo = _row(
                    conn, meta, "promotions", code=name, duration=duration, cycles=cycles, **own
                )
                on = yearly if name == "three" else monthly  # moved on from monthly since
                sub = _row(
                    conn,
                    meta,
                    "subscriptions",
                    account_id=account,
                    subscriber_id=user,
                    plan_version_id=on,
                    promotion_id=promo,
                    anchor_date=date(2026, 1, 31),
                    **own,
                )
                data = {"plan_version_id": monthly, "promotion_id": promo}
                _row(
                    conn,
                    meta,
                    "subscription_events",
                    subscription_id=sub,
                    kind="subscribed",
                    data=data,
                    **own,
                )
                ids[name] = sub
            plain = {"account_id": account, "subscriber_id": user, "plan_version_id": monthly}
            ids["none"] = _row(
                conn, meta, "subscriptions", anchor_date=date(2026, 1, 31), **plain, **own
            )
            return ids
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_subscriptions_gain_the_day_their_promotion_ends_counted_on_the_version_taken(
    scratch_url: str,
) -> None:
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "0005")
    ids = _promoted_subscriptions(scratch_url)
    command.upgrade(cfg, "0006")
    ends = _subscription_rows(scratch_url)
    assert ends[ids["once"]] == date(2026, 2, 28)  # one month from 31 January, clamped
    assert ends[ids["three"]] == date(2026, 4, 30)  # three months of the monthly version taken
    assert ends[ids["forever"]] is None and ends[ids["none"]] is None
    command.downgrade(cfg, "0005")
    engine = create_engine(scratch_url)
    try:
        assert "promotion_ends_on" not in {
            c["name"] for c in inspect(engine).get_columns("subscriptions")
        }
    finally:
        engine.dispose()
