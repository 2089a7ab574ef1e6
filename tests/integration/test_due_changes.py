"""Scheduled subscription changes are applied by a job per brand and by the console command."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saas.catalog.models import PlanVersion
from saas.db import utcnow
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from tests.conftest import JOIN_MS, in_brand
from workers.broker import broker
from workers.subscriptions import apply_due_changes


def _overdue_downgrade(app: Any, make: Any) -> tuple[Any, int, int]:
    """A subscription whose downgrade fell due about a month ago but was not applied."""
    brand = make.brand(currency="EUR", timezone="Europe/Berlin")
    dear = make.plan(brand, components=[{"code": "b", "kind": "recurring", "amount": "20"}])
    cheap = make.plan(brand, components=[{"code": "b", "kind": "recurring", "amount": "10"}])
    person = make.user(brand, "subscriber")
    sub = make.subscription(brand, person, dear.version_id, utcnow() - timedelta(days=70))
    with in_brand(app, brand.id) as session:
        subs.change_plan(
            session,
            session.get(Subscription, sub.id),
            session.get(PlanVersion, cheap.version_id),
            utcnow() - timedelta(days=65),
        )
    return brand, sub.id, cheap.version_id


def test_the_due_changes_job_applies_an_overdue_downgrade_once(app, make, worker):  # type: ignore[no-untyped-def]
    brand, sub_id, cheap_id = _overdue_downgrade(app, make)
    with in_brand(app, brand.id):
        apply_due_changes.send(brand.id)
        apply_due_changes.send(brand.id)
    broker.join(apply_due_changes.queue_name, fail_fast=True, timeout=JOIN_MS)
    worker.join()
    with in_brand(app, brand.id) as session:
        sub = session.get(Subscription, sub_id)
        assert sub.plan_version_id == cheap_id
        assert [e.state for e in subs.history(session, sub)] == ["applied", "applied"]


def test_the_console_command_applies_due_changes_in_every_brand(app, make):  # type: ignore[no-untyped-def]
    brand, sub_id, cheap_id = _overdue_downgrade(app, make)
    result = app.test_cli_runner().invoke(args=["subscriptions", "apply-due"])
    assert result.exit_code == 0, result.output
    assert f"{brand.slug}: 1 change(s) applied" in result.output
    with in_brand(app, brand.id) as session:
        assert session.get(Subscription, sub_id).plan_version_id == cheap_id
