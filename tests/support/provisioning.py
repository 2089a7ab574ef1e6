"""Provisioning in tests: a subscription to act on, orders placed, the jobs run to the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from saas.network.provisioning import hooks, orders
from saas.network.provisioning.models import ProvisioningOrder
from tests.conftest import JOIN_MS, Factory, Snapshot, in_brand
from workers.broker import broker
from workers.provisioning import run_provisioning_order


def subscription(make: Factory, **brand: Any) -> tuple[Any, Any]:
    """A fresh brand and one subscription of it."""
    made = make.brand(**brand)
    plan = make.plan(made)
    person = make.user(made, "subscriber", full_name="Anna Schmidt")
    return made, make.subscription(made, person, plan.version_id)


def place(app: Any, brand: Any, sub_id: int, action: str, **payload: str) -> int:
    """Place an order and commit, which sends its job."""
    with in_brand(app, brand.id) as session:
        return orders.place(session, sub_id, action, payload).id


def order(app: Any, brand: Any, order_id: int) -> Any:
    """An order's values and its events, as (from, to, attempt, error)."""
    with in_brand(app, brand.id) as session:
        row = session.get(ProvisioningOrder, order_id)
        events = [(e.from_state, e.to_state, e.attempt, e.error) for e in row.events]
        return Snapshot(
            state=row.state,
            attempts=row.attempts,
            last_error=row.last_error,
            answer=row.answer,
            events=events,
        )


def run_jobs() -> None:
    """Run every queued provisioning job, retries included, until none is left."""
    broker.join(run_provisioning_order.queue_name, fail_fast=False, timeout=JOIN_MS)


@contextmanager
def quick_retries() -> Iterator[None]:
    """Retry provisioning jobs after milliseconds rather than seconds."""
    saved = dict(run_provisioning_order.options)
    run_provisioning_order.options.update(min_backoff=5, max_backoff=20)
    try:
        yield
    finally:
        run_provisioning_order.options.clear()
        run_provisioning_order.options.update(saved)


@contextmanager
def heard() -> Iterator[dict[str, list[int]]]:
    """What the hooks were told in the block: order ids completed and failed, port-ins."""
    told: dict[str, list[int]] = {"completed": [], "failed": [], "ported": [], "rejected": []}
    adders = (
        (hooks.on_order_completed, "completed"),
        (hooks.on_order_failed, "failed"),
        (hooks.on_port_in_completed, "ported"),
        (hooks.on_port_in_rejected, "rejected"),
    )
    made = []
    for add, name in adders:
        made.append(add(lambda _s, row, name=name: told[name].append(row.id)))
    try:
        yield told
    finally:
        for hook in made:
            hooks.forget(hook)
