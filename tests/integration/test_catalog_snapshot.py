"""The portal prices from a catalogue kept in memory, read again once the catalogue changed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from saas.catalog.models import catalog_version
from tests.conftest import counted, get, recurring
from tests.conftest import text as page_text
from tests.integration.test_admin_subscriptions import republish
from tests.integration.test_portal_subscriptions import subscriber

CATALOGUE_TABLES = ("FROM plans", "FROM plan_versions", "FROM price_components", "FROM metrics")


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(catalog_version.c.version)).scalar_one())


@pytest.fixture
def shop(make: Any) -> Any:
    brand = make.brand(currency="EUR", timezone="Europe/Berlin", default_locale="en")
    plan = make.plan(brand, name="Basis", components=recurring("10.00"))
    addon = make.plan(brand, name="Roaming", kind="addon", components=recurring("5.00"))
    return brand, plan, addon


def test_my_plan_sends_six_statements_and_reads_no_catalogue_table_once_it_is_kept(
    app: Any, make: Any, shop: Any
) -> None:
    brand, plan, _addon = shop
    c = subscriber(app, make, brand, plan.version_id)
    get(c, "/plan")
    with counted() as statements:
        body = page_text(get(c, "/plan"))
    assert "€10.00" in body and "Roaming" in body
    # Tenant, person, lines with their add-ons, the line's history, the catalogue's version, and
    # the line's number and SIM with whether a number is being ported in (none: none read).
    assert len(statements) == 6, "\n".join(statements)
    assert not [s for s in statements if any(t in s for t in CATALOGUE_TABLES)]


def test_a_catalogue_change_is_on_the_portal_at_the_next_view(
    app: Any, make: Any, shop: Any
) -> None:
    brand, plan, _addon = shop
    c = subscriber(app, make, brand, plan.version_id)
    assert "Data Boost" not in page_text(get(c, "/plan"))
    make.plan(brand, name="Data Boost", kind="addon", components=recurring("2.00"))
    republish(app, brand, plan.code, "12.00")
    body = page_text(get(c, "/plan"))
    assert "Data Boost" in body
    kept = re.search(r'data-testid="kept-price">(.*?)</p>', body, re.S)
    assert kept is not None and "€12.00" in kept.group(1)
    assert re.search(r'data-testid="current-plan-price"><strong>€10.00<', body)


@pytest.mark.postgres
def test_a_catalogue_write_moves_the_version_which_the_runtime_role_cannot_change(
    app: Any, make: Any, shop: Any, runtime_engine: Engine
) -> None:
    from sqlalchemy.exc import DBAPIError

    brand, plan, _addon = shop
    before = _version(runtime_engine)
    republish(app, brand, plan.code, "11.00")
    assert _version(runtime_engine) > before
    with pytest.raises(DBAPIError, match="permission denied"), runtime_engine.begin() as conn:
        conn.execute(text("UPDATE catalog_version SET version = 0"))


def test_a_snapshot_holds_only_what_is_committed(app: Any, make: Any, shop: Any) -> None:
    from saas.catalog import snapshot
    from saas.catalog.models import Plan
    from saas.db import db
    from saas.tenancy.context import tenant_scope

    brand, plan, _addon = shop
    with app.app_context(), tenant_scope(brand.id):
        renamed = db.session.get(Plan, plan.id)
        renamed.name = "Not yet"
        db.session.flush()  # written in this transaction, which may still roll back
        kept = snapshot.load(db.session)
        db.session.rollback()
        db.session.remove()
    names = {v.plan.name for v in kept.versions.values()}
    assert "Basis" in names and "Not yet" not in names
