"""Measure the request path every page pays: brand resolution, tenant scoping, rendering."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tests.support import backends


def _rate(label: str, count: int, fn: Callable[[], object]) -> None:
    fn()
    start = time.perf_counter()
    for _ in range(count):
        fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count / elapsed:10.1f} /s   {elapsed / count * 1000:7.2f} ms each")


def main() -> None:
    from saas import create_app
    from saas.config import load_settings
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands

    root = Path(__file__).resolve().parents[2]
    print(backends.describe())
    with backends.fresh_database() as database:
        settings = load_settings(
            {},
            env="test",
            database_url=database.runtime_url,
            migration_database_url=database.owner_url,
            tenants_dir=str(root / "tenants"),
            themes_dir=str(root / "themes"),
            login_rate_limit="100000 per minute",
        )
        upgrade(settings)
        seed_reference_data(settings)
        app = create_app({"SAAS": settings, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            sync_brands(Path(settings.tenants_dir))
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


if __name__ == "__main__":
    main()
