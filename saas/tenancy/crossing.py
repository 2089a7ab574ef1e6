"""The one way to work across tenants: explicit, named, and written to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from saas.db import DbSession
from saas.identity import audit
from saas.identity.actor import current_actor
from saas.tenancy.brands import brands
from saas.tenancy.context import tenant_scope
from saas.tenancy.models import Tenant


@contextmanager
def as_tenant(session: DbSession, tenant: Tenant, reason: str) -> Iterator[Tenant]:
    """Act inside another tenant for platform work, leaving a trace in that tenant's log."""
    if not reason.strip():
        raise ValueError("crossing into a tenant needs a reason")
    with tenant_scope(tenant.id):
        audit.record(
            session, "tenant.cross", "tenants", tenant.slug, reason=reason, by=current_actor().label
        )
        # Written now, while the brand is in scope: a later flush would file it elsewhere.
        session.flush()
        yield tenant


def each_brand(session: DbSession, reason: str) -> Iterator[Tenant]:
    """Visit every brand in turn, each inside its own audited scope."""
    for tenant in brands(session):
        with as_tenant(session, tenant, reason):
            yield tenant
