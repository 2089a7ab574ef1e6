"""Measure the request path every page pays, in process and then under load (tests.bench.load)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tests.bench import ingest, load, rating
from tests.support import backends


def _rate(label: str, count: int, fn: Callable[[], object]) -> None:
    fn()
    start = time.perf_counter()
    for _ in range(count):
        fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count / elapsed:10.1f} /s   {elapsed / count * 1000:7.2f} ms each")


def _pricing() -> None:
    """The pricing engine alone: one quote per call, as the offer designer and invoices use it."""
    from decimal import Decimal

    from saas.catalog.pricing import parse_charge, quote

    ranges = [
        {"from_value": 0, "to_value": 1024, "per_unit_amount": "0.002", "flat_amount": "0"},
        {"from_value": 1025, "to_value": 5120, "per_unit_amount": "0.0015", "flat_amount": "1"},
        {"from_value": 5121, "to_value": 10240, "per_unit_amount": "0.001", "flat_amount": "1"},
        {"from_value": 10241, "to_value": None, "per_unit_amount": "0.0005", "flat_amount": "0"},
    ]
    charges = {
        "graduated, 4 tiers": {"graduated_ranges": ranges},
        "volume, 4 tiers": {"volume_ranges": ranges},
        "package": {"amount": "1.99", "package_size": 1024, "free_units": 0},
    }
    units = Decimal("7777.5")
    for name, properties in charges.items():
        model = name.split(",")[0]
        charge = parse_charge({"charge_model": model, "properties": properties})
        _rate(f"quote {name} (pricing engine)", 20000, lambda c=charge: quote(c, units))


def main() -> None:
    from saas import create_app
    from saas.config import load_settings
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands

    root = Path(__file__).resolve().parents[2]
    print(backends.describe())
    rating.run()
    _pricing()
    ingest.run()
    with backends.fresh_database() as database:
        settings = load_settings(
            {},
            env="test",
            database_url=database.runtime_url,
            migration_database_url=database.owner_url,
            tenants_dir=str(root / "tenants"),
            themes_dir=str(root / "themes"),
            login_rate_limit="100000 per minute",
            account_rate_limit="100000 per minute",
        )
        upgrade(settings)
        seed_reference_data(settings)
        app = create_app({"SAAS": settings, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            sync_brands(Path(settings.tenants_dir), settings)
            list(seed_demo(Path(settings.tenants_dir)))
        client = app.test_client()
        base = "http://spreewelle.localhost"
        _rate("GET / (resolve brand, themed page)", 300, lambda: client.get("/", base_url=base))
        _rate(
            "GET unknown host (plain 404)",
            300,
            lambda: client.get("/", base_url="http://nobody.localhost"),
        )
        client.post(
            "/account/login",
            base_url=base,
            data={"email": "inhaber@spreewelle.example", "password": "spreewelle-demo"},
        )
        _rate(
            "GET /admin/ (session, RLS-scoped counts)",
            300,
            lambda: client.get("/admin/", base_url=base),
        )
        quoted = client.post("/admin/catalog/quote", base_url=base, json=DESIGNER_QUOTE)
        assert quoted.status_code == 200, quoted.get_data(as_text=True)
        _rate(
            "POST /admin/catalog/quote (designer's live quote)",
            300,
            lambda: client.post("/admin/catalog/quote", base_url=base, json=DESIGNER_QUOTE),
        )
        _portal(app)
        with app.app_context():
            _previews(app)
            db_dispose()
        lacking = load.missing_tools()
        if lacking:
            print(
                f"\nload benchmark skipped: {', '.join(lacking)} missing (see README, Benchmarks)"
            )
        else:
            load.run(database, app)


def db_dispose() -> None:
    """Close the in-process app's connections before the web processes take over."""
    from saas.db import db

    db.session.remove()
    for engine in db.engines.values():
        engine.dispose()


DESIGNER_QUOTE = {
    "charge": {"charge_model": "package", "properties": {"amount": "1.99", "package_size": 1024}},
    "units": "7777",
    "currency": "EUR",
}


def _portal(app: object) -> None:
    """The subscriber's pages: the plans on sale, and pricing an upgrade before confirming."""
    client = app.test_client()  # type: ignore[attr-defined]
    base = "http://spreewelle.localhost"
    client.post(
        "/account/login",
        base_url=base,
        data={"email": "anna@kunde.example", "password": "spreewelle-demo"},
    )
    _rate("GET /plans (portal: plans on sale)", 300, lambda: client.get("/plans", base_url=base))
    with app.app_context():  # type: ignore[attr-defined]
        ident = _demo_subscription_id()
    url = f"/plan/{ident}/preview/change?plan=allnet-30"
    assert client.get(url, base_url=base).status_code == 200
    _rate(
        "GET portal upgrade preview (priced, rolled back)",
        300,
        lambda: client.get(url, base_url=base),
    )


def _demo_subscription_id() -> int:
    from saas.db import db
    from saas.subscriptions import services as subs
    from saas.tenancy.brands import by_slug
    from saas.tenancy.context import tenant_scope

    brand = by_slug(db.session, "spreewelle")
    assert brand is not None
    with tenant_scope(brand.id):
        sub = db.session.scalars(subs.listing(db.session)).first()
        assert sub is not None
        return sub.id


def _previews(app: object) -> None:
    """Price a plan change for the demo subscription: load, period, proration, discount."""
    from saas.catalog.services import plan_by_code
    from saas.db import db, utcnow
    from saas.subscriptions import services as subs
    from saas.tenancy.brands import by_slug
    from saas.tenancy.context import tenant_scope

    brand = by_slug(db.session, "spreewelle")
    assert brand is not None
    with tenant_scope(brand.id):
        sub = db.session.scalars(subs.listing(db.session)).first()
        target = plan_by_code(db.session, "allnet-30")
        assert sub is not None and target is not None and target.published is not None
        version = target.published
        _rate(
            "preview an upgrade (services, PostgreSQL)",
            300,
            lambda: subs.preview_change(db.session, sub, version, utcnow()),
        )


if __name__ == "__main__":
    main()
