"""The console's forms (people, API keys, brand settings) and the lookups its views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from saas.db import Base, db, get_scoped
from saas.identity.roles import API_SCOPES, STAFF_ROLES
from saas.identity.services import EMAIL, MAX_EMAIL, MIN_PASSWORD
from saas.web.fields import Choice, choices, strip
from saas.web.forms import Form
from saas.web.i18n import LANGUAGE_NAMES, offered_locales

T = TypeVar("T")
Row = TypeVar("Row", bound=Base)

INVALID = 400
NAME_MAX, KEY_NAME_MAX = 200, 100
REQUIRED = _l("Fill this in.")
TOO_LONG = _l("Use at most %(max)d characters.")
NOT_AN_ADDRESS = _l("Enter an address like help@example.com, or leave it empty.")
NO_SCOPE = _l("Choose at least one scope.")


def found(load: Callable[..., T], *args: Any) -> T:
    """Call a loader and answer 404 when it finds nothing in this brand."""
    try:
        return load(*args)
    except LookupError:
        abort(404)


def scoped(model: type[Row], ident: int) -> Row:
    """Load one of this brand's rows by id, or answer 404."""
    row = get_scoped(db.session, model, ident)
    if row is None:
        abort(404)
    return row


def text(
    label: Any, limit: int = NAME_MAX, *, required: bool = False, **kwargs: Any
) -> StringField:
    """A trimmed text no longer than its column; required or not."""
    checks = [DataRequired(message=REQUIRED)] if required else []
    checks.append(Length(max=limit, message=TOO_LONG))
    render_kw = {"maxlength": limit, **kwargs.pop("render_kw", {})}
    return StringField(label, checks, filters=[strip], render_kw=render_kw, **kwargs)


def email_field(label: Any) -> StringField:
    """An e-mail address; the identity services decide whether it is usable."""
    return StringField(
        label, filters=[strip], render_kw={"type": "email", "autocomplete": "off", "required": True}
    )


def password_field(label: Any) -> PasswordField:
    """A first password; the identity services hold the password policy."""
    return PasswordField(
        label, render_kw={"minlength": MIN_PASSWORD, "autocomplete": "new-password"}
    )


def language_choices() -> list[Any]:
    """The brand's default, or one of its languages."""
    pairs = [("", _l("Brand default"))]
    return choices(pairs + [(loc, LANGUAGE_NAMES.get(loc, loc)) for loc in offered_locales()])


class SubscriberForm(Form):
    """A subscriber's log-in; without a password they set one through a reset."""

    email = email_field(_l("E-mail"))
    full_name = text(_l("Full name"), render_kw={"autocomplete": "off"})
    # The identity services refuse a language the brand does not offer.
    locale = Choice(_l("Language"), choices=language_choices, validate_choice=False)
    password = password_field(_l("Initial password (optional)"))


class RolesForm(Form):
    """The roles a staff member holds; the identity services decide who may give which."""

    roles = SelectMultipleField(
        _l("Roles"), choices=lambda: choices((r, r) for r in STAFF_ROLES), validate_choice=False
    )


class StaffForm(RolesForm):
    """A new staff member with a first password and roles."""

    email = email_field(_l("E-mail"))
    full_name = text(_l("Full name"), render_kw={"autocomplete": "off"})
    password = password_field(_l("Initial password"))


class ApiKeyForm(Form):
    """A new API key: who uses it and what it may do."""

    name = text(_l("Name"), KEY_NAME_MAX, required=True, render_kw={"autocomplete": "off"})
    # Scopes that do not exist are left out, as a browser never sends them.
    scopes = SelectMultipleField(
        _l("Scopes"),
        [DataRequired(message=NO_SCOPE)],
        choices=lambda: choices((s, s) for s in API_SCOPES),
        validate_choice=False,
        filters=[lambda chosen: sorted({s for s in chosen or [] if s in API_SCOPES})],
    )


class BrandSettingsForm(Form):
    """The names and contact a brand's admins may change; the rest is the platform's."""

    name = text(_l("Display name"), required=True)
    legal_name = text(_l("Legal name"))
    support_email = StringField(
        _l("Support e-mail"),
        [
            Optional(),
            Length(max=MAX_EMAIL, message=TOO_LONG),
            Regexp(EMAIL, message=NOT_AN_ADDRESS),
        ],
        filters=[strip],
        render_kw={"type": "email", "maxlength": MAX_EMAIL},
    )
