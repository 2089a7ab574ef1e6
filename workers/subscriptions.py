"""Apply scheduled subscription changes (downgrades, cancellations, migrations) when due."""

from __future__ import annotations

import dramatiq

import workers.broker  # noqa: F401  (the broker is set before any actor exists)
from saas.db import db, utcnow
from saas.jobs.queue import queue_of
from saas.subscriptions import services
from saas.subscriptions.jobs import APPLY_DUE_CHANGES
from saas.tenancy.context import TenantMismatch, require_tenant_id


@dramatiq.actor(actor_name=APPLY_DUE_CHANGES, queue_name=queue_of(APPLY_DUE_CHANGES))
def apply_due_changes(tenant_id: int) -> None:
    """Apply the brand's due scheduled changes; a redelivery finds nothing left to do."""
    if require_tenant_id() != tenant_id:
        raise TenantMismatch(f"due changes for tenant {tenant_id} ran in another")
    services.apply_due(db.session, utcnow())
