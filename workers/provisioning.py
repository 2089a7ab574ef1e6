"""Carry provisioning orders to the host network, and complete port-ins on their date."""

from __future__ import annotations

import dramatiq
from flask import current_app

import workers.broker  # noqa: F401  (the broker is set before any actor exists)
from saas.db import db
from saas.jobs.queue import TryAgain, queue_of
from saas.network.provisioning import mno, orders, porting
from saas.network.provisioning.jobs import COMPLETE_DUE_PORT_INS, RUN_ORDER
from saas.tenancy.context import TenantMismatch, require_tenant_id


@dramatiq.actor(
    actor_name=RUN_ORDER,
    queue_name=queue_of(RUN_ORDER),
    max_retries=orders.AUTOMATIC_ATTEMPTS - 1,
)
def run_provisioning_order(tenant_id: int, order_id: int) -> None:
    """Send an order (or ask how it stands); a redelivery of a finished one does nothing."""
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(
            f"provisioning order {order_id} sent for tenant {tenant_id} ran in another"
        )
    network = mno.from_settings(current_app.config["SAAS"])
    step = orders.advance(db.session, order_id, network)
    if step.again:
        raise TryAgain(
            f"provisioning order {order_id}: {step.order.last_error or step.order.state}"
        )


@dramatiq.actor(actor_name=COMPLETE_DUE_PORT_INS, queue_name=queue_of(COMPLETE_DUE_PORT_INS))
def complete_due_port_ins(tenant_id: int) -> None:
    """Bring the brand's ported numbers live on their date; a redelivery finds none left."""
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(f"due port-ins for tenant {tenant_id} ran in another")
    porting.complete_due(db.session)
