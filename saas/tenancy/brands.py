"""Brand definitions: validation, creation and idempotent sync from files."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.numbers import list_currencies
from sqlalchemy import select

from saas.config import Settings
from saas.db import DbSession
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.tenancy.hosts import default_host_slug
from saas.tenancy.models import BRAND, PLATFORM, PLATFORM_SLUG, Tenant, TenantDomain

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}$")
RESERVED_SLUGS = {PLATFORM_SLUG, "www", "api", "admin", "static"}


class BrandError(ValueError):
    """A brand definition that cannot be accepted; names the brand and every reason."""

    def __init__(self, slug: str, problems: list[str]):
        self.slug, self.problems = slug, problems
        super().__init__(f"brand {slug!r}: " + "; ".join(problems))


@dataclass
class BrandSpec:
    """What defines a brand, from a file or the platform console."""

    slug: str
    name: str
    legal_name: str = ""
    domains: list[str] = field(default_factory=list)
    default_locale: str = "en"
    locales: list[str] = field(default_factory=list)
    currency: str = "EUR"
    timezone: str = "UTC"
    country: str = ""
    theme: str = "base"
    support_email: str = ""
    active: bool = True

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> BrandSpec:
        known = {f.name for f in fields(cls)}
        slug = str(data.get("slug", "?"))
        unknown = sorted(set(data) - known - {"demo", "catalog"})
        if unknown:
            raise BrandError(slug, [f"unknown field(s): {', '.join(unknown)}"])
        missing = [k for k in ("slug", "name") if not data.get(k)]
        if missing:
            raise BrandError(slug, [f"missing field(s): {', '.join(missing)}"])
        return cls(**{k: v for k, v in data.items() if k in known})

    def normalised(self) -> BrandSpec:
        """Return the spec with case and defaults settled, or raise BrandError."""
        self.slug = self.slug.strip().lower()
        self.domains = sorted({d.strip().lower() for d in self.domains if d.strip()})
        self.currency = self.currency.strip().upper()
        self.country = self.country.strip().upper()
        self.locales = list(dict.fromkeys([self.default_locale, *self.locales]))
        problems = list(self._problems())
        if problems:
            raise BrandError(self.slug, problems)
        return self

    def _problems(self) -> Any:
        if not SLUG.match(self.slug) or self.slug in RESERVED_SLUGS:
            yield "slug must be 2-63 lowercase letters, digits or dashes and not reserved"
        if not self.name.strip():
            yield "name is empty"
        for host in self.domains:
            if not HOST.match(host):
                yield f"domain {host!r} is not a host name"
        for loc in self.locales:
            if loc not in SUPPORTED_LOCALES:
                yield f"locale {loc!r} is not one of {', '.join(SUPPORTED_LOCALES)}"
        if self.currency not in list_currencies():
            yield f"currency {self.currency!r} is not an ISO 4217 code"
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            yield f"time zone {self.timezone!r} is unknown"
        if self.country and self.country not in Locale("en").territories:
            yield f"country {self.country!r} is not an ISO 3166 code"


def _apply(tenant: Tenant, spec: BrandSpec) -> None:
    for f in fields(spec):
        if f.name != "domains":
            setattr(tenant, f.name, getattr(spec, f.name))
    current = {d.host: d for d in tenant.domains}
    tenant.domains = [current.get(h) or TenantDomain(host=h) for h in spec.domains]


def _taken_hosts(
    session: DbSession, spec: BrandSpec, own_host: str, tenant_id: int | None
) -> list[str]:
    taken = session.scalars(
        select(TenantDomain.host).where(
            TenantDomain.host.in_([*spec.domains, own_host]),
            TenantDomain.tenant_id != (tenant_id or 0),
        )
    ).all()
    return [
        f"domain {h!r} belongs to another brand"
        if h != own_host
        else f"this brand's own host {h!r} is listed as another brand's domain"
        for h in taken
    ]


def _reserved_hosts(spec: BrandSpec, settings: Settings) -> Iterator[str]:
    """Refuse domains that already name the platform or another brand's own host."""
    for host in spec.domains:
        slug = default_host_slug(host, settings.base_domain)
        if host in settings.platform_hosts:
            yield f"domain {host!r} is a host of the platform console"
        elif slug is not None and slug != spec.slug:
            yield (
                f"domain {host!r} is reserved for the brand with slug {slug!r}: "
                f"every brand answers on <slug>.{settings.base_domain} as its own host"
            )


def by_slug(session: DbSession, slug: str) -> Tenant | None:
    """Return the brand or realm with that slug."""
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def _spec_problems(spec: BrandSpec) -> list[str]:
    try:
        spec.normalised()
    except BrandError as exc:
        return exc.problems
    return []


def save(
    session: DbSession, spec: BrandSpec, settings: Settings, create: bool = False
) -> tuple[Tenant, bool]:
    """Create (or, unless `create`, update) a brand; return it and whether anything changed."""
    problems = _spec_problems(spec)
    tenant = by_slug(session, spec.slug)
    if tenant is not None and tenant.kind != BRAND:
        problems.append("slug belongs to the platform realm")
    elif tenant is not None and create:
        problems.append(f"slug {spec.slug!r} is taken")
    # Every problem in one answer, taken hosts included, so one round of fixes is enough.
    problems += _reserved_hosts(spec, settings)
    own_host = f"{spec.slug}.{settings.base_domain}"
    problems += _taken_hosts(session, spec, own_host, tenant.id if tenant else None)
    if problems:
        raise BrandError(spec.slug, problems)
    if tenant is None:
        tenant = Tenant(slug=spec.slug, kind=BRAND)
        session.add(tenant)
    # No autoflush while applying: loading the domains would flush the changes before we see them.
    with session.no_autoflush:
        _apply(tenant, spec)
        changed = (
            tenant in session.new
            or session.is_modified(tenant)
            or any(d in session.new for d in tenant.domains)
        )
    session.flush()
    return tenant, changed


def ensure_platform_realm(session: DbSession) -> Tenant:
    """Return the platform operators' realm, creating it on first use."""
    realm = by_slug(session, PLATFORM_SLUG)
    if realm is None:
        realm = Tenant(
            slug=PLATFORM_SLUG,
            kind=PLATFORM,
            name="Platform",
            theme="base",
            locales=list(SUPPORTED_LOCALES),
            default_locale="en",
        )
        session.add(realm)
        session.flush()
    return realm


def brands(session: DbSession) -> list[Tenant]:
    """Return every brand, by name."""
    return list(session.scalars(select(Tenant).where(Tenant.kind == BRAND).order_by(Tenant.name)))


def read_file(path: Path) -> dict[str, Any]:
    """Read one brand file, naming it in any error."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise BrandError(path.stem, [f"{path.name}: {exc}"]) from None
    if data.get("slug") and data["slug"] != path.stem:
        raise BrandError(path.stem, [f"{path.name} declares slug {data['slug']!r}"])
    return data


def read_dir(directory: Path) -> list[dict[str, Any]]:
    """Read every brand file in a folder, in name order."""
    return [read_file(p) for p in sorted(directory.glob("*.toml"))]


def sync(session: DbSession, directory: Path, settings: Settings) -> list[tuple[str, str]]:
    """Create or update the brands defined in a folder; return (slug, outcome) pairs."""
    outcomes = []
    for data in read_dir(directory):
        _, changed = save(session, BrandSpec.from_mapping(data), settings)
        outcomes.append((data["slug"], "changed" if changed else "unchanged"))
    return outcomes
