"""Read the platform console's forms into domain values, and back."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from saas.i18n_locales import SUPPORTED_LOCALES
from saas.tenancy.brands import BrandSpec
from saas.tenancy.models import Tenant
from saas.web.theming import THEME_NAME, themes_dir

# Host names hold neither commas nor white space, so either separates them.
HOST_SEPARATORS = re.compile(r"[,\s]+")
LOCALES = SUPPORTED_LOCALES


def split_hosts(raw: str) -> list[str]:
    """Split domains typed one per line or separated by commas."""
    return [host for host in HOST_SEPARATORS.split(raw) if host]


def theme_choices() -> list[str]:
    """Return the themes installed as folders of the themes directory."""
    root = themes_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and THEME_NAME.match(p.name))


def _text(form: MultiDict[str, str], key: str) -> str:
    return form.get(key, "").strip()


def brand_spec(form: MultiDict[str, str], slug: str) -> BrandSpec:
    """Build a brand spec from the brand form; the domain checks the values."""
    return BrandSpec(
        slug=slug,
        name=_text(form, "name"),
        legal_name=_text(form, "legal_name"),
        domains=split_hosts(form.get("domains", "")),
        default_locale=_text(form, "default_locale"),
        locales=form.getlist("locales"),
        currency=_text(form, "currency"),
        timezone=_text(form, "timezone"),
        country=_text(form, "country"),
        theme=_text(form, "theme"),
        support_email=_text(form, "support_email"),
        active=form.get("active") == "on",
    )


def spec_of(tenant: Tenant) -> BrandSpec:
    """Return the spec a brand was saved from, to fill the edit form."""
    return BrandSpec(
        slug=tenant.slug,
        name=tenant.name,
        legal_name=tenant.legal_name,
        domains=tenant.hosts,
        default_locale=tenant.default_locale,
        locales=list(tenant.locales or []),
        currency=tenant.currency,
        timezone=tenant.timezone,
        country=tenant.country,
        theme=tenant.theme,
        support_email=tenant.support_email,
        active=tenant.active,
    )


def form_problems(spec: BrandSpec) -> list[str]:
    """Return what only the web form knows to be wrong: a theme that is not installed."""
    if spec.theme in theme_choices():
        return []
    return [_("theme %(name)s is not installed", name=repr(spec.theme))]


def blank_spec() -> BrandSpec:
    """Return the values a new brand form starts with."""
    return BrandSpec(slug="", name="", locales=["en"], theme="base")


def choices() -> dict[str, Any]:
    """Return the option lists the brand form offers."""
    return {"themes": theme_choices(), "locales": LOCALES}
