"""Fixtures: the app on real PostgreSQL (or SQLite outside CI), brands, people, log-in."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from tests.support import backends

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PASSWORD = "correct-horse-battery"


def pytest_report_header(config: Any) -> list[str]:
    return [backends.describe()]


def pytest_sessionstart(session: Any) -> None:
    missing = backends.missing()
    if IN_CI and missing:
        pytest.exit(f"CI=true and not reachable: {', '.join(missing)}", returncode=1)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    checks = {
        "postgres": backends.postgres_available,
        "redis": backends.redis_available,
        "browser": backends.browser_available,
    }
    for item in items:
        for marker, available in checks.items():
            if item.get_closest_marker(marker) and not available():
                item.add_marker(pytest.mark.skip(reason=f"{marker} not available outside CI"))


@pytest.fixture(scope="session")
def database() -> Iterator[backends.Database]:
    """A fresh database for the run: PostgreSQL with owner and runtime roles, or SQLite."""
    with backends.fresh_database() as db:
        yield db


@pytest.fixture(scope="session")
def settings(database: backends.Database, tmp_path_factory: Any) -> Any:
    from saas.config import load_settings

    return load_settings(
        {},
        env="test",
        database_url=database.runtime_url,
        migration_database_url=database.owner_url,
        broker="stub",
        tenants_dir=str(ROOT / "tenants"),
        themes_dir=str(ROOT / "themes"),
        login_rate_limit="20 per minute",
        account_rate_limit="20 per minute",
        mail_server="127.0.0.1",
        mail_port=backends.free_port(),
    )


@pytest.fixture(scope="session")
def app(settings: Any) -> Any:
    from saas import create_app
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands
    from workers.middleware import AppContext

    upgrade(settings)
    seed_reference_data(settings)
    app = create_app({"SAAS": settings, "TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        sync_brands(Path(settings.tenants_dir), settings)
        list(seed_demo(Path(settings.tenants_dir)))
    AppContext.bind(app)
    return app


@pytest.fixture
def another_app(settings: Any) -> Iterator[Any]:
    """A second app on the same settings (e.g. with CSRF on); its connections close afterwards."""
    from saas import create_app
    from saas.db import db

    built = create_app({"SAAS": settings, "TESTING": True})
    yield built
    with built.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def owner_engine(database: backends.Database) -> Iterator[Engine]:
    engine = create_engine(database.owner_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def runtime_engine(database: backends.Database) -> Iterator[Engine]:
    engine = create_engine(database.runtime_url)
    yield engine
    engine.dispose()


@contextmanager
def in_platform(app: Any) -> Iterator[Any]:
    from saas.platform_setup import platform_scope

    with app.app_context(), platform_scope() as session:
        yield session


@contextmanager
def in_brand(app: Any, tenant_id: int) -> Iterator[Any]:
    """Open an app context scoped to one brand, committing at the end."""
    from saas.db import db
    from saas.tenancy.context import tenant_scope

    with app.app_context(), tenant_scope(tenant_id):
        yield db.session
        db.session.commit()
        db.session.remove()


class Factory:
    """Make brands and people for a test, each with unique names."""

    def __init__(self, app: Any):
        self.app = app

    def brand(self, **fields: Any) -> Any:
        from saas.tenancy.brands import BrandSpec, save

        slug = fields.pop("slug", f"t{uuid.uuid4().hex[:10]}")
        spec = BrandSpec(slug=slug, name=fields.pop("name", f"Brand {slug}"), **fields)
        with in_platform(self.app) as session:
            tenant, _ = save(session, spec, self.app.config["SAAS"])
            return Snapshot(
                id=tenant.id,
                slug=tenant.slug,
                name=tenant.name,
                host=f"{tenant.slug}.localhost",
                currency=tenant.currency,
            )

    def user(
        self,
        brand: Any,
        kind: str = "staff",
        roles: tuple[str, ...] = ("owner",),
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        **fields: Any,
    ) -> Any:
        from saas.identity.services import create_user

        email = email or f"{kind}-{uuid.uuid4().hex[:8]}@example.com"
        with in_brand(self.app, brand.id) as session:
            user = create_user(
                session,
                kind=kind,
                email=email,
                password=password,
                roles=roles if kind == "staff" else (),
                **fields,
            )
            session.flush()
            return Snapshot(id=user.id, email=email, password=password, tenant_id=brand.id)

    def plan(self, brand: Any, publish: bool = True, **fields: Any) -> Any:
        """A plan (or, with kind="addon", an add-on) from spec fields; published unless asked."""
        from saas.catalog import services as catalog
        from saas.catalog.specs import PlanSpec

        data = {
            "code": f"plan-{uuid.uuid4().hex[:8]}",
            "name": "Test plan",
            "product": "mobile",
            "components": [{"code": "base", "kind": "recurring", "amount": "10.00"}],
        } | fields
        with in_brand(self.app, brand.id) as session:
            catalog.ensure_standard_metrics(session)
            catalog.product(session, data["product"], "Mobile")
            plan = catalog.create_plan(session, PlanSpec.parse(data, brand.currency))
            version = plan.versions[0]
            if publish:
                catalog.publish(session, version)
            return Snapshot(id=plan.id, code=plan.code, version_id=version.id)

    def subscription(self, brand: Any, subscriber: Any, version_id: int, at: Any = None) -> Any:
        """A subscription of a subscriber to a published version, started at `at` (default now)."""
        from saas.catalog.models import PlanVersion
        from saas.identity.models import User
        from saas.subscriptions import services as subs

        with in_brand(self.app, brand.id) as session:
            version = session.get(PlanVersion, version_id)
            user = session.get(User, subscriber.id)
            sub = subs.subscribe(session, user, version, at)
            return Snapshot(id=sub.id, version_id=version_id)


class Snapshot(dict):  # type: ignore[type-arg]
    """Plain values of a row, usable after its session closed."""

    __getattr__ = dict.__getitem__


@pytest.fixture
def make(app: Any) -> Factory:
    return Factory(app)


def login(client: Any, host: str, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    """Log in through the real form at a brand's host."""
    return client.post(
        "/account/login", data={"email": email, "password": password}, base_url=f"http://{host}"
    )


@pytest.fixture
def staff_client(app: Any, make: Factory) -> Any:
    """A client logged in as the owner of a fresh brand; `.brand` and `.user` are set."""
    brand = make.brand()
    user = make.user(brand, "staff", ("owner",))
    c = app.test_client()
    assert login(c, brand.host, user.email).status_code == 302
    c.brand, c.user = brand, user
    return c


def database_name(url: str) -> str:
    return make_url(url).database or ""


__all__ = ["DEFAULT_PASSWORD", "in_brand", "in_platform", "login", "text"]
