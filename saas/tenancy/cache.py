"""The brand registry held in each process: a host names its brand without asking the database.

Each process keeps one immutable copy of every brand and domain (`Registry`). A request looks
its host up in that copy: no query for a known host, none for an unknown one. The copy is
replaced, never changed:

- at once in the process that commits a change to a brand or its domains (the session hook in
  `saas.db.session` calls `invalidate` after the commit);
- in every other process (other gunicorn workers, after `saas tenants sync` from a shell) once
  it notices that `registry_version` moved on, which a trigger bumps in the same transaction as
  any write to `tenants` or `tenant_domains`. A process asks for that number at most once every
  `SAAS_BRAND_CACHE_SECONDS`.

The copy holds the whole registry rather than the hosts asked for so far, so a host nobody owns
is answered from it too and what clients send never grows it.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from saas.tenancy.hosts import default_host_slug
from saas.tenancy.models import (
    BRAND,
    PLATFORM,
    PLATFORM_SLUG,
    Tenant,
    TenantDomain,
    registry_version,
)

# Bumped by `invalidate`: a registry loaded under an older generation is reloaded before use.
logger = logging.getLogger(__name__)
_generation = 0
_generation_lock = threading.Lock()
_caches: weakref.WeakSet[BrandCache] = weakref.WeakSet()

_COLUMNS = (
    "id",
    "slug",
    "kind",
    "name",
    "legal_name",
    "default_locale",
    "currency",
    "timezone",
    "country",
    "theme",
    "support_email",
    "active",
    "created_at",
    "updated_at",
)


class ReadOnlyList(list[str]):
    """A list (templates add it to lists) that refuses to change."""

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("a brand snapshot's lists are read-only")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


class BrandSnapshot:
    """A brand (or the platform realm) as stored when the registry was loaded; never changes.

    A change goes to the brand's row (`Tenant`); the registry is reloaded after it commits.
    """

    __slots__ = (*_COLUMNS, "locales", "hosts")

    id: int
    slug: str
    kind: str
    name: str
    legal_name: str
    default_locale: str
    currency: str
    timezone: str
    country: str
    theme: str
    support_email: str
    active: bool
    created_at: datetime
    updated_at: datetime
    locales: ReadOnlyList
    hosts: ReadOnlyList

    def __init__(self, **values: Any):
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    @property
    def is_platform(self) -> bool:
        return self.kind == PLATFORM

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; change the brand's row")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BrandSnapshot) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<BrandSnapshot {self.slug}>"


@dataclass(frozen=True)
class Registry:
    """Every brand and the platform realm, by slug and by domain, as of one registry version."""

    version: int
    generation: int
    checked_at: float
    by_slug: MappingProxyType[str, BrandSnapshot] = field(repr=False)
    by_domain: MappingProxyType[str, BrandSnapshot] = field(repr=False)
    platform: BrandSnapshot | None = field(repr=False)

    def resolve(
        self, host: str, platform_hosts: list[str], base_domain: str
    ) -> BrandSnapshot | None:
        """The active tenant served on a normalised host, or None; the rules of `resolver`."""
        if host in platform_hosts:
            tenant = self.platform
        else:
            # A brand's own subdomain wins over any domain list.
            slug = default_host_slug(host, base_domain)
            tenant = self.by_slug.get(slug) if slug is not None else None
            if tenant is None:
                tenant = self.by_domain.get(host)
        if tenant is None or not tenant.active:
            return None
        return tenant


def _read_version(conn: Any) -> int:
    return int(conn.execute(select(registry_version.c.version)).scalar() or 0)


def load(engine: Engine, generation: int) -> Registry:
    """Read the whole registry in one transaction (the version first, so it is never newer)."""
    tenants, domains = Tenant.__table__, TenantDomain.__table__
    with engine.connect() as conn:
        version = _read_version(conn)
        rows = conn.execute(select(*(tenants.c[c] for c in (*_COLUMNS, "locales")))).all()
        hosts: dict[int, list[str]] = {}
        for tenant_id, host in conn.execute(
            select(domains.c.tenant_id, domains.c.host).order_by(domains.c.host)
        ):
            hosts.setdefault(tenant_id, []).append(host)
        conn.rollback()
    by_slug: dict[str, BrandSnapshot] = {}
    by_domain: dict[str, BrandSnapshot] = {}
    platform = None
    for row in rows:
        values = row._asdict()
        values["locales"] = ReadOnlyList(values["locales"] or ())
        snapshot = BrandSnapshot(**values, hosts=ReadOnlyList(hosts.get(row.id, ())))
        if row.kind == BRAND:
            by_slug[row.slug] = snapshot
            by_domain.update(dict.fromkeys(snapshot.hosts, snapshot))
        elif row.slug == PLATFORM_SLUG:
            platform = snapshot
    return Registry(
        version=version,
        generation=generation,
        checked_at=time.monotonic(),
        by_slug=MappingProxyType(by_slug),
        by_domain=MappingProxyType(by_domain),
        platform=platform,
    )


class BrandCache:
    """One process's registry for one database, refreshed as the module docstring says."""

    def __init__(self, engine: Engine, max_age_seconds: float):
        self.engine, self.max_age = engine, max_age_seconds
        self._registry: Registry | None = None
        self._lock = threading.Lock()
        _caches.add(self)

    def registry(self) -> Registry:
        """The registry to answer from; reloads or re-checks it when due."""
        current = self._registry
        if (
            current is not None
            and current.generation == _generation
            and time.monotonic() - current.checked_at < self.max_age
        ):
            return current
        with self._lock:
            return self._refresh()

    def reload_for(self, engine: Engine) -> None:
        """Load the registry again now if it is this engine's (after a commit that changed it)."""
        if engine is self.engine:
            with self._lock:
                self._refresh()

    def _refresh(self) -> Registry:
        engine = self.engine
        current, generation = self._registry, _generation
        if current is not None and current.generation == generation:
            if time.monotonic() - current.checked_at < self.max_age:
                return current  # another thread refreshed it while this one waited
            with engine.connect() as conn:
                version = _read_version(conn)
                conn.rollback()
            if version == current.version:
                current = self._registry = Registry(
                    version=current.version,
                    generation=generation,
                    checked_at=time.monotonic(),
                    by_slug=current.by_slug,
                    by_domain=current.by_domain,
                    platform=current.platform,
                )
                return current
        current = self._registry = load(engine, generation)
        return current

    def resolve(
        self, host: str, platform_hosts: list[str], base_domain: str
    ) -> BrandSnapshot | None:
        """The active tenant a normalised host names, from the registry in memory."""
        return self.registry().resolve(host, platform_hosts, base_domain)


def invalidate(engine: Engine | None = None) -> None:
    """Drop every registry this process holds: a brand or its domains changed here.

    The registries read from `engine` are loaded again at once, so the next request does not
    wait for it; any other is loaded when next asked.
    """
    global _generation
    with _generation_lock:
        _generation += 1
    if engine is not None:
        for cache in list(_caches):
            try:
                cache.reload_for(engine)
            except Exception:  # the change is committed all the same; the next request reloads
                logger.warning("brand registry not reloaded after a commit", exc_info=True)
