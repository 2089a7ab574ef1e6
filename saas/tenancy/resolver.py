"""Find the brand (or the platform realm) a request's normalised host names."""

from __future__ import annotations

from sqlalchemy import select

from saas.db import DbSession
from saas.tenancy.hosts import default_host_slug, normalise_host
from saas.tenancy.models import BRAND, PLATFORM_SLUG, Tenant, TenantDomain


def resolve(
    session: DbSession, host: str, platform_hosts: list[str], base_domain: str
) -> Tenant | None:
    """Return the active tenant served on a normalised `host`, or None for a host nobody owns."""
    if host in platform_hosts:
        return session.scalar(select(Tenant).where(Tenant.slug == PLATFORM_SLUG))
    # A brand's own subdomain wins over any domain list: no brand can take over another's host.
    slug = default_host_slug(host, base_domain)
    tenant = None
    if slug is not None:
        tenant = session.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.kind == BRAND))
    if tenant is None:
        tenant = session.scalar(select(Tenant).join(TenantDomain).where(TenantDomain.host == host))
    if tenant is None or not tenant.active:
        return None
    return tenant


__all__ = ["default_host_slug", "normalise_host", "resolve"]
