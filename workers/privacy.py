"""Erase personal data whose retention period has run."""

from __future__ import annotations

import dramatiq

import workers.broker  # noqa: F401  (the broker is set before any actor exists)
from saas.customers.privacy import retention
from saas.customers.privacy.jobs import ERASE_DUE
from saas.db import db
from saas.jobs.queue import queue_of
from saas.tenancy.context import TenantMismatch, require_tenant_id


@dramatiq.actor(actor_name=ERASE_DUE, queue_name=queue_of(ERASE_DUE))
def erase_due_personal_data(tenant_id: int) -> None:
    """Erase the brand's personal data kept long enough; a redelivery finds nothing left."""
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(f"due erasures for tenant {tenant_id} ran in another")
    retention.erase_due(db.session)
