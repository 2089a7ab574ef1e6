"""Brand definitions: validation, creation and idempotent sync from files."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.numbers import list_currencies
from sqlalchemy import select

from saas.config import Settings
from saas.db import DbSession
from saas.errors import N_, Refusal, Term, register
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.tenancy.hosts import default_host_slug
from saas.tenancy.models import BRAND, PLATFORM, PLATFORM_SLUG, Tenant, TenantDomain

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}$")
RESERVED_SLUGS = {PLATFORM_SLUG, "www", "api", "admin", "static"}
# Tables of a brand file that their own areas read: the catalogue, the scorecard, privacy rules,
# demo data.
SECTIONS = {"demo", "catalog", "kyc", "credit", "privacy"}


class BrandError(Refusal):
    """A brand definition that cannot be accepted; names the brand and every problem."""

    def __init__(self, slug: str, problems: list[Refusal]):
        self.slug, self.problems = slug, problems
        super().__init__("brand.refused", record=Term("record.brand", slug=slug), problems=problems)


REFUSALS = {
    "record.brand": N_('brand "%(slug)s"'),
    "brand.refused": N_("%(problems)s"),
    "brand.unknown_fields": N_("unknown field(s): %(names)s"),
    "brand.missing_fields": N_("missing field(s): %(names)s"),
    "brand.slug_invalid": N_(
        "slug must be 2-63 lowercase letters, digits or dashes and not reserved"
    ),
    "brand.name_empty": N_("name is empty"),
    "brand.domain_invalid": N_('domain "%(host)s" is not a host name'),
    "brand.locale_unknown": N_('locale "%(locale)s" is not one of %(options)s'),
    "brand.currency_unknown": N_('currency "%(currency)s" is not an ISO 4217 code'),
    "brand.timezone_unknown": N_('time zone "%(timezone)s" is unknown'),
    "brand.country_unknown": N_('country "%(country)s" is not an ISO 3166 code'),
    "brand.realm_slug": N_("slug belongs to the platform realm"),
    "brand.slug_taken": N_('slug "%(slug)s" is taken'),
    "brand.domain_taken": N_('domain "%(host)s" belongs to another brand'),
    "brand.own_host_taken": N_(
        "this brand's own host \"%(host)s\" is listed as another brand's domain"
    ),
    "brand.platform_host": N_('domain "%(host)s" is a host of the platform console'),
    "brand.default_host": N_(
        'domain "%(host)s" is reserved for the brand with slug "%(slug)s": '
        "every brand answers on <slug>.%(base)s as its own host"
    ),
    "brand.currency_in_use": N_(
        "the currency stays %(currency)s: the brand's plans and subscriptions are priced in it"
    ),
    "brand.file_invalid": N_("%(file)s: %(error)s"),
    "brand.file_slug": N_('%(file)s declares slug "%(slug)s"'),
}
register(REFUSALS)


def problem(code: str, field: str | None = None, **params: Any) -> Refusal:
    """One thing wrong with a brand definition, by its code and field."""
    return Refusal(code, field=field, **params)


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
        unknown = sorted(set(data) - known - SECTIONS)
        if unknown:
            raise BrandError(slug, [problem("brand.unknown_fields", names=", ".join(unknown))])
        missing = [k for k in ("slug", "name") if not data.get(k)]
        if missing:
            raise BrandError(slug, [problem("brand.missing_fields", names=", ".join(missing))])
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
            yield problem("brand.slug_invalid", "slug")
        if not self.name.strip():
            yield problem("brand.name_empty", "name")
        for host in self.domains:
            if not HOST.match(host):
                yield problem("brand.domain_invalid", "domains", host=host)
        for loc in self.locales:
            if loc not in SUPPORTED_LOCALES:
                options = ", ".join(SUPPORTED_LOCALES)
                yield problem("brand.locale_unknown", "locales", locale=loc, options=options)
        if self.currency not in list_currencies():
            yield problem("brand.currency_unknown", "currency", currency=self.currency)
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            yield problem("brand.timezone_unknown", "timezone", timezone=self.timezone)
        if self.country and self.country not in Locale("en").territories:
            yield problem("brand.country_unknown", "country", country=self.country)


def _apply(tenant: Tenant, spec: BrandSpec) -> None:
    for f in fields(spec):
        if f.name != "domains":
            setattr(tenant, f.name, getattr(spec, f.name))
    current = {d.host: d for d in tenant.domains}
    tenant.domains = [current.get(h) or TenantDomain(host=h) for h in spec.domains]


def _taken_hosts(
    session: DbSession, spec: BrandSpec, own_host: str, tenant_id: int | None
) -> list[Refusal]:
    taken = session.scalars(
        select(TenantDomain.host).where(
            TenantDomain.host.in_([*spec.domains, own_host]),
            TenantDomain.tenant_id != (tenant_id or 0),
        )
    ).all()
    return [
        problem("brand.domain_taken", "domains", host=h)
        if h != own_host
        else problem("brand.own_host_taken", "slug", host=h)
        for h in taken
    ]


def _reserved_hosts(spec: BrandSpec, settings: Settings) -> Iterator[Refusal]:
    """Refuse domains that already name the platform or another brand's own host."""
    for host in spec.domains:
        slug = default_host_slug(host, settings.base_domain)
        if host in settings.platform_hosts:
            yield problem("brand.platform_host", "domains", host=host)
        elif slug is not None and slug != spec.slug:
            yield problem(
                "brand.default_host", "domains", host=host, slug=slug, base=settings.base_domain
            )


# Checks, registered by the areas that price things, of whether the brand in scope holds prices
# in its currency (plans, and through them subscriptions): such a brand keeps its currency.
PRICED: list[Callable[[DbSession], bool]] = []


def prices_in_currency(check: Callable[[DbSession], bool]) -> None:
    """Register a check of whether the brand in scope has records priced in its currency."""
    PRICED.append(check)


def _currency_held(session: DbSession, tenant: Tenant, spec: BrandSpec) -> bool:
    """Whether the spec changes the currency of a brand whose records are priced in it."""
    from saas.tenancy.crossing import as_tenant

    if spec.currency.upper() == tenant.currency:
        return False
    with as_tenant(session, tenant, "check whether the brand's currency is in use"):
        return any(check(session) for check in PRICED)


def by_slug(session: DbSession, slug: str) -> Tenant | None:
    """Return the brand or realm with that slug."""
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def _spec_problems(spec: BrandSpec) -> list[Refusal]:
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
        problems.append(problem("brand.realm_slug", "slug"))
    elif tenant is not None and create:
        problems.append(problem("brand.slug_taken", "slug", slug=spec.slug))
    elif tenant is not None and _currency_held(session, tenant, spec):
        problems.append(problem("brand.currency_in_use", "currency", currency=tenant.currency))
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
        raise BrandError(
            path.stem, [problem("brand.file_invalid", file=path.name, error=str(exc))]
        ) from None
    if data.get("slug") and data["slug"] != path.stem:
        raise BrandError(
            path.stem, [problem("brand.file_slug", "slug", file=path.name, slug=data["slug"])]
        )
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
