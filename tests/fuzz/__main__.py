"""Fuzz /api/v1 with schemathesis: cases generated from the OpenAPI document, sent in-process.

Every operation gets a bounded number of generated cases, sent with a real key holding every
scope to a fresh database seeded with the demo brands. A response fails when it is a 5xx, when
its body breaks the documented schema, or when its status code is not documented.
`make fuzz` runs it; `SAAS_FUZZ_EXAMPLES` sets the cases per operation (default 30).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.support import backends

BRAND = "spreewelle"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = int(os.environ.get("SAAS_FUZZ_EXAMPLES", "30"))
ROOT = Path(__file__).resolve().parents[2]


def _app(database: backends.Database) -> Any:
    from saas import create_app
    from saas.config import load_settings
    from saas.db.migrate import upgrade
    from saas.platform_setup import seed_demo, seed_reference_data, sync_brands

    settings = load_settings(
        {},
        env="test",
        database_url=database.runtime_url,
        migration_database_url=database.owner_url,
        broker="stub",
        tenants_dir=str(ROOT / "tenants"),
        themes_dir=str(ROOT / "themes"),
    )
    upgrade(settings)
    seed_reference_data(settings)
    app = create_app({"SAAS": settings, "SAAS_API_RATE_LIMIT": "1000000 per minute"})
    with app.app_context():
        sync_brands(Path(settings.tenants_dir), settings)
        list(seed_demo(Path(settings.tenants_dir)))
    return app


def _first_ids() -> dict[str, int]:
    """The first row of each kind a path names, so cases reach more than "not found"."""
    from sqlalchemy import func, select

    from saas.catalog import models as M
    from saas.customers.credit.models import CreditDecision
    from saas.customers.models import Account
    from saas.db import db
    from saas.identity.models import SUBSCRIBER, User
    from saas.subscriptions import models as S

    kinds = {
        "subscriber_id": select(func.min(User.id)).where(User.kind == SUBSCRIBER),
        "plan_id": select(func.min(M.Plan.id)),
        "version_id": select(func.min(M.PlanVersion.id)),
        "promotion_id": select(func.min(M.Promotion.id)),
        "migration_id": select(func.min(M.PlanMigration.id)),
        "subscription_id": select(func.min(S.Subscription.id)),
        "addon_id": select(func.min(S.SubscriptionAddOn.id)),
        "event_id": select(func.min(S.SubscriptionEvent.id)),
        "account_id": select(func.min(Account.id)),
        "credit_decision_id": select(func.min(CreditDecision.id)),
    }
    found = {name: db.session.scalar(stmt) for name, stmt in kinds.items()}
    return {name: ident for name, ident in found.items() if ident is not None}


def _key_and_ids(app: Any) -> tuple[str, dict[str, int]]:
    from saas.db import db
    from saas.identity.api_keys import issue
    from saas.identity.roles import API_SCOPES
    from saas.tenancy.brands import by_slug
    from saas.tenancy.context import tenant_scope

    with app.app_context():
        brand = by_slug(db.session, BRAND)
        assert brand is not None
        with tenant_scope(brand.id):
            issued = issue(db.session, "fuzz", list(API_SCOPES), None)
            db.session.commit()
            return issued.token, _first_ids()


def _strategy(operation: Any, ids: dict[str, int]) -> Any:
    """Valid cases with real ids and with any ids, and cases that break the schema."""
    names = {p.name for p in operation.path_parameters}
    known = {name: ids[name] for name in names if name in ids}
    strategies = [operation.as_strategy(), operation.as_strategy(path_parameters=known)]
    if operation.body or operation.query:
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return st.one_of(strategies)


class Tally:
    """Cases sent and failures found, per operation."""

    def __init__(self) -> None:
        self.cases: Counter[str] = Counter()
        self.failures: dict[str, list[str]] = {}
        self.statuses: Counter[int] = Counter()
        self.failed = 0

    def fuzz(self, operation: Any, token: str, ids: dict[str, int]) -> None:
        """Send generated cases to one operation and check each answer."""
        label = f"{operation.method.upper()} {operation.path}"
        headers = {"Authorization": f"Bearer {token}"}
        base_url = f"http://{BRAND}.localhost/api/v1"

        @given(_strategy(operation, ids))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def send(case: Any) -> None:
            response = case.call(base_url=base_url, headers=headers)
            self.cases[label] += 1
            self.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # every failed check is counted
                self.failed += 1
                found = self.failures.setdefault(label, [])
                if len(found) < 3:
                    found.append(f"{response.status_code}: {str(exc).strip()[:1500]}")

        send()

    def report(self, seconds: float) -> int:
        """Print the figures and every failure; return the exit status."""
        print(f"operations: {len(self.cases)}")
        print(f"cases: {sum(self.cases.values())} ({EXAMPLES} at most per operation)")
        print(f"statuses: {dict(sorted(self.statuses.items()))}")
        print(f"failures: {self.failed} (5xx, schema violations, undocumented statuses)")
        print(f"operations with failures: {len(self.failures)}")
        print(f"time: {seconds:.0f} s")
        for label, found in sorted(self.failures.items()):
            print(f"\nFAILED {label}")
            for text in found:
                print(f"  {text}")
        return 1 if self.failures else 0


def main() -> int:
    """Fuzz every operation of the API on a fresh, demo-seeded database."""
    from saas.web.api.openapi import document

    print(backends.describe())
    started, tally = time.monotonic(), Tally()
    with backends.fresh_database() as database:
        app = _app(database)
        token, ids = _key_and_ids(app)
        schema = schemathesis.openapi.from_dict(document())
        schema.app = app
        for result in schema.get_all_operations():
            tally.fuzz(result.ok(), token, ids)
    return tally.report(time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
