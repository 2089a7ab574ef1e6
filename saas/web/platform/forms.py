"""The platform console's forms: a brand's definition and a new operator."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput

from saas.i18n_locales import SUPPORTED_LOCALES
from saas.identity.services import MIN_PASSWORD
from saas.tenancy.brands import BrandSpec
from saas.tenancy.models import Tenant
from saas.web.fields import Choice, choices, strip
from saas.web.forms import Form
from saas.web.i18n import LANGUAGE_NAMES
from saas.web.theming import THEME_NAME, themes_dir

# Host names hold neither commas nor white space, so either separates them.
HOST_SEPARATORS = re.compile(r"[,\s]+")
LOCALES = SUPPORTED_LOCALES
NAME_MAX, EMAIL_MAX = 200, 254
TOO_LONG = _l("Use at most %(max)d characters.")


def split_hosts(raw: str) -> list[str]:
    """Split domains typed one per line or separated by commas."""
    return [host for host in HOST_SEPARATORS.split(raw) if host]


def theme_choices() -> list[str]:
    """Return the themes installed as folders of the themes directory."""
    root = themes_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and THEME_NAME.match(p.name))


def _languages() -> list[Any]:
    return choices((loc, LANGUAGE_NAMES.get(loc, loc)) for loc in LOCALES)


def text(label: Any, limit: int = NAME_MAX, **render_kw: Any) -> StringField:
    checks = [Length(max=limit, message=TOO_LONG)]
    return StringField(label, checks, filters=[strip], render_kw={"maxlength": limit, **render_kw})


class BrandForm(Form):
    """A brand's definition; the tenancy rules check the values, the form reads them."""

    slug = StringField(_l("Slug"), filters=[strip], render_kw={"autocomplete": "off"})
    name = text(_l("Name"))
    legal_name = text(_l("Legal name"), autocomplete="organization")
    domains = TextAreaField(_l("Domains"), filters=[strip])
    default_locale = Choice(_l("Default language"), choices=_languages, default="en")
    locales = SelectMultipleField(
        _l("Languages offered"),
        choices=_languages,
        default=["en"],
        validate_choice=False,
        option_widget=CheckboxInput(),
    )
    currency = StringField(_l("Currency"), filters=[strip], render_kw={"maxlength": 3})
    timezone = StringField(_l("Time zone"), filters=[strip], default="UTC")
    country = StringField(_l("Country"), filters=[strip], render_kw={"maxlength": 2})
    # Only an installed theme may be chosen: a brand's look is a folder of the themes directory.
    theme = Choice(
        _l("Theme"), choices=lambda: choices((t, t) for t in theme_choices()), default="base"
    )
    support_email = text(_l("Support e-mail"), EMAIL_MAX, type="email", autocomplete="email")
    active = BooleanField(_l("Active (served on its hosts)"), default=True)
    # Asked for only when the brand is created: its first owner, invited to set a password.
    owner_email = text(_l("Owner's e-mail"), EMAIL_MAX, type="email", autocomplete="off")
    owner_name = text(_l("Owner's name"), autocomplete="off")

    def spec(self, slug: str) -> BrandSpec:
        """The brand spec the form describes; the domain checks the values."""
        return BrandSpec(
            slug=slug,
            name=self.name.data,
            legal_name=self.legal_name.data,
            domains=split_hosts(self.domains.data or ""),
            default_locale=self.default_locale.data or "",
            locales=list(self.locales.data or []),
            currency=self.currency.data,
            timezone=self.timezone.data,
            country=self.country.data,
            theme=self.theme.data or "",
            support_email=self.support_email.data,
            active=bool(self.active.data),
        )


def brand_data(tenant: Tenant) -> dict[str, Any]:
    """What the edit form starts with: the brand as it was saved."""
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "legal_name": tenant.legal_name,
        "domains": "\n".join(tenant.hosts),
        "default_locale": tenant.default_locale,
        "locales": list(tenant.locales or []),
        "currency": tenant.currency,
        "timezone": tenant.timezone,
        "country": tenant.country,
        "theme": tenant.theme,
        "support_email": tenant.support_email,
        "active": tenant.active,
    }


class OwnerForm(Form):
    """An owner to invite to a brand, or to invite again while they have set no password."""

    owner_email = text(_l("Owner's e-mail"), EMAIL_MAX, type="email", autocomplete="off")
    owner_name = text(_l("Owner's name"), autocomplete="off")


class OperatorForm(Form):
    """A new platform operator with a first password; the identity services check both."""

    email = StringField(
        _l("E-mail"), filters=[strip], render_kw={"type": "email", "autocomplete": "off"}
    )
    full_name = text(_l("Name"), autocomplete="off")
    password = PasswordField(
        _l("First password"), render_kw={"minlength": MIN_PASSWORD, "autocomplete": "new-password"}
    )
