"""Fixtures: the app on real PostgreSQL (or SQLite outside CI), brands, people, log-in."""

from __future__ import annotations

import html
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from tests.support import backends

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PASSWORD = "correct-horse-battery"
MNO_TOKEN = "test-mno-token"
# The cheapest hashing the libraries accept: a test logs people in and asks for reset links, it
# does not resist cracking. Argon2 at its lowest cost for passwords, and plain MD5 for the data in
# Flask-Security's tokens (its default, sha256_crypt at 535,000 rounds in pure Python, costs about
# a second per reset link). Production keeps the libraries' defaults: a test-app override only.
# Every app a test builds takes it: Flask-Security keeps its hashing contexts on its one instance,
# so the app built last sets the cost for every app in the process.
FAST_HASHING = {
    "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS": {
        "argon2__time_cost": 1,
        "argon2__memory_cost": 8,
        "argon2__parallelism": 1,
    },
    "SECURITY_HASHING_SCHEMES": ["hex_md5"],
    "SECURITY_DEPRECATED_HASHING_SCHEMES": [],
}
TEST_APP_CONFIG = {"TESTING": True, "WTF_CSRF_ENABLED": False, **FAST_HASHING}


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
        mno_url=f"http://127.0.0.1:{backends.free_port()}",
        mno_token=MNO_TOKEN,
        mno_timeout_seconds=2,
    )


@pytest.fixture(scope="session")
def app(settings: Any) -> Any:
    from saas import create_app
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands
    from workers.middleware import AppContext

    upgrade(settings)
    seed_reference_data(settings)
    app = create_app({"SAAS": settings, **TEST_APP_CONFIG})
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

    built = create_app({"SAAS": settings, "TESTING": True, **FAST_HASHING})
    yield built
    with built.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def credit_bureau(app: Any) -> Iterator[str]:
    """The credit bureau simulator served for real, the app's checks asking it; yields its URL."""
    from dataclasses import replace

    from saas.customers.credit.simulator import Simulator
    from saas.outside import serve

    settings = app.config["SAAS"]
    with serve(Simulator(slow_seconds=3)) as url:
        app.config["SAAS"] = replace(
            settings, credit_bureau_url=url, credit_bureau_timeout_seconds=1
        )
        try:
            yield url
        finally:
            app.config["SAAS"] = settings


@pytest.fixture(scope="session")
def sanctions_lists(app: Any) -> None:
    """The test sanctions lists loaded for every brand to screen against (once per file)."""
    from saas.customers.kyc import sanctions
    from tests.support.kyc import EU_FILE, OPENSANCTIONS_FILE

    with in_platform(app) as session:
        sanctions.load(session, OPENSANCTIONS_FILE.read_bytes(), "opensanctions", "os.csv")
        sanctions.load(session, EU_FILE.read_bytes(), "eu", "eu.csv")


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


def recurring(amount: str, code: str = "base") -> list[dict[str, Any]]:
    """Price components of a plan: one monthly fee."""
    return [{"code": code, "name": "Monthly fee", "kind": "recurring", "amount": amount}]


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


def logged_in(
    app: Any,
    make: Factory,
    brand: Any,
    roles: tuple[str, ...] = ("owner",),
    kind: str = "staff",
    **fields: Any,
) -> Any:
    """A client logged in as a new person of the brand; `.brand` and `.user` are set."""
    user = make.user(brand, kind, roles, **fields)
    c = app.test_client()
    response = login(c, brand.host, user.email, user.password)
    assert response.status_code == 302, response.get_data(as_text=True)
    c.brand, c.user = brand, user
    return c


def brand_url(brand: Any) -> str:
    """The base URL of a brand's host."""
    return f"http://{brand.host}"


def get(c: Any, path: str, **query: Any) -> Any:
    """GET a path on the host of the client's brand, with `query` (if any) as the query string."""
    # An empty query string would replace one written into the path.
    return c.get(path, query_string=query or None, base_url=brand_url(c.brand))


def post(c: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    """POST a form to a path on the host of the client's brand."""
    return c.post(path, data=data or {}, base_url=brand_url(c.brand))


def post_json(c: Any, path: str, body: Any) -> Any:
    """POST a JSON body to a path on the host of the client's brand."""
    return c.post(
        path, data=json.dumps(body), content_type="application/json", base_url=brand_url(c.brand)
    )


def page(response: Any) -> str:
    """A response's body as sent."""
    return str(response.get_data(as_text=True))


def text(response: Any) -> str:
    """A response's body with HTML entities read, as a person sees the words."""
    return html.unescape(page(response))


@pytest.fixture
def staff_client(app: Any, make: Factory) -> Any:
    """A client logged in as the owner of a fresh brand; `.brand` and `.user` are set."""
    return logged_in(app, make, make.brand())


KEY_SCOPES = ("brand.read", "subscribers.read", "subscribers.write", "audit.read", "jobs.read")


def issue_key(app: Any, brand: Any, scopes: tuple[str, ...] = KEY_SCOPES) -> Any:
    """Issue an API key for a brand; returns (token, prefix, id)."""
    from saas.identity.api_keys import issue

    with in_brand(app, brand.id) as session:
        issued = issue(session, "test key", list(scopes), None)
        return issued.token, issued.key.prefix, issued.key.id


def call(
    client: Any, brand: Any, path: str, token: str | None = None, method: str = "GET", **kwargs: Any
) -> Any:
    """Call the API at a brand's host, with the key as a bearer token when one is given.

    The answer is read and closed, as a server closes it once sent.
    """
    kwargs.setdefault("buffered", True)
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.open(
        f"/api/v1{path}", method=method, base_url=brand_url(brand), headers=headers, **kwargs
    )


def api_post(client: Any, brand: Any, path: str, token: str, body: Any = None) -> Any:
    """POST to the API at a brand's host, with a JSON body when one is given."""
    return call(client, brand, path, token, "POST", **({"json": body} if body is not None else {}))


class Inbox:
    """An SMTP handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def mails(self) -> list[EmailMessage]:
        """What arrived, as parsed messages."""
        return [
            cast(EmailMessage, message_from_bytes(content, policy=policy.default))
            for _, _, content in self.messages
        ]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on the port the app sends to, keeping what it receives."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.mail_port)
    controller.start()
    yield inbox
    controller.stop()


# How long a test waits for the stub broker's queue to empty: a job that keeps failing and is
# retried with back-off fails the test after this instead of holding the run.
JOIN_MS = 60_000


@pytest.fixture
def worker(app: Any) -> Iterator[Any]:
    """A Dramatiq worker on the stub broker, its queues emptied first."""
    from dramatiq import Worker

    from workers.broker import broker

    broker.flush_all()
    w = Worker(broker, worker_timeout=50, worker_threads=1)
    w.start()
    yield w
    w.stop()
    # A stopped worker's hook would still add consumers, for queues declared later, that take
    # messages nobody runs.
    broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not w]
    _fresh_queues(broker)


def _fresh_queues(broker: Any) -> None:
    """Empty every stub queue and forget messages a stopped worker took and never finished.

    A worker stopped while holding a message for a later retry never marks it done, so every
    later `join` on its queue would wait for it until it times out: the count starts over.
    """
    broker.flush_all()
    for queue in broker.queues.values():
        with queue.all_tasks_done:
            queue.unfinished_tasks = 0
            queue.all_tasks_done.notify_all()


@pytest.fixture(scope="session")
def mno_simulator(settings: Any) -> Iterator[Any]:
    """The MNO simulator, served where the test app's SAAS_MNO_URL points, for the whole run."""
    from urllib.parse import urlsplit

    from saas.network.provisioning.simulator import MnoSimulator
    from saas.outside import serve

    simulator = MnoSimulator(settings.mno_token, slow_seconds=settings.mno_timeout_seconds + 1)
    with serve(simulator, port=urlsplit(settings.mno_url).port or 0):
        yield simulator


@pytest.fixture
def mno(mno_simulator: Any, settings: Any) -> Any:
    """The simulator's controls, its network fresh for the test."""
    from tests.support.mno import Controls

    mno_simulator.reset()
    return Controls(settings.mno_url, settings.mno_token)


@contextmanager
def counted() -> Iterator[list[str]]:
    """Collect the SQL statements sent inside the block.

    The brand registry's freshness check (at most one every SAAS_BRAND_CACHE_SECONDS per
    process) is the process's, not the page's, so it is left out.
    """
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().startswith("SELECT registry_version.version"):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def database_name(url: str) -> str:
    return make_url(url).database or ""


__all__ = [
    "DEFAULT_PASSWORD",
    "JOIN_MS",
    "TEST_APP_CONFIG",
    "api_post",
    "call",
    "counted",
    "get",
    "in_brand",
    "in_platform",
    "issue_key",
    "logged_in",
    "login",
    "page",
    "post",
    "post_json",
    "text",
]
