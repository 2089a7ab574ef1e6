"""Find the brand (or the platform realm) a request's normalised host names."""

from __future__ import annotations

from sqlalchemy import select

from saas.db import DbSession
from saas.tenancy.hosts import normalise_host
from saas.tenancy.models import BRAND, PLATFORM_SLUG, Tenant, TenantDomain


def resolve(
    session: DbSession, host: str, platform_hosts: list[str], base_domain: str
) -> Tenant | None:
    """Return the active tenant served on a normalised `host`, or None for a host nobody owns."""
    if host in platform_hosts:
        return session.scalar(select(Tenant).where(Tenant.slug == PLATFORM_SLUG))
    tenant = session.scalar(select(Tenant).join(TenantDomain).where(TenantDomain.host == host))
    suffix = "." + base_domain
    if tenant is None and host.endswith(suffix):
        slug = host[: -len(suffix)]
        tenant = session.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.kind == BRAND))
    if tenant is None or not tenant.active:
        return None
    return tenant


__all__ = ["normalise_host", "resolve"]
