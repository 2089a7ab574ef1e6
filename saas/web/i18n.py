"""Locale and time zone per request, and Babel formatting for templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, dates
from flask import Flask, g, request, session
from flask_babel import (
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from saas.catalog import models as M
from saas.catalog.texts import plan_text
from saas.extensions import babel
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.money import format_money
from saas.network.numbering import shown

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "pl": "Polski"}


def offered_locales() -> list[str]:
    """Return the languages the current brand offers, default first."""
    tenant = g.get("tenant")
    if tenant is None:
        return list(SUPPORTED_LOCALES)
    offered = [loc for loc in tenant.locales or [] if loc in SUPPORTED_LOCALES]
    return offered or [tenant.default_locale]


def select_locale() -> str:
    """The user's choice, then the browser's preference, then the brand's default."""
    offered = offered_locales()
    chosen = session.get("locale")
    if chosen in offered:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in offered:
        return user_locale
    tenant = g.get("tenant")
    default = tenant.default_locale if tenant is not None else "en"
    return request.accept_languages.best_match(offered) or default


def select_timezone() -> str:
    """Show times in the brand's zone."""
    tenant = g.get("tenant")
    return tenant.timezone if tenant is not None else "UTC"


def site_name() -> str:
    """The name a page carries: the brand's, or "Platform" in words for the platform's realm."""
    tenant = g.get("tenant")
    if tenant is None:
        return "MVNO"
    return _("Platform") if tenant.is_platform else str(tenant.name)


def money(amount: Decimal | int, currency: str | None = None, minor: bool = False) -> str:
    """Format an amount in the brand's currency for the request's locale."""
    currency = currency or g.tenant.currency
    return format_money(amount, currency, str(get_locale()), minor=minor)


def money_writer() -> Callable[[Decimal, str], str]:
    """Format amounts in the request's locale, the locale looked up once for a whole list."""
    where = str(get_locale())
    return lambda amount, currency: format_money(amount, currency, where)


def plan_name(plan: M.Plan) -> str:
    """A plan's name in the request's language, else in the brand's default."""
    return plan_text(plan, str(get_locale())).name


def plan_description(plan: M.Plan) -> str:
    """A plan's description in the request's language, else in the brand's default."""
    return plan_text(plan, str(get_locale())).description


def when(value: datetime | None, fmt: str = "medium") -> str:
    """Format an aware UTC time in the brand's zone and the request's locale.

    The medium form is the day and the minute ("2 Dec 2026, 14:05"): seconds help nobody here.
    """
    if value is None:
        return ""
    if fmt != "medium":
        return format_datetime(value, fmt)
    return _minute_text(value, str(get_locale()), str(get_timezone()))


def moment_writer() -> Callable[[datetime | None], str]:
    """`when` for a whole list: the locale and zone looked up once."""
    where, zone = str(get_locale()), str(get_timezone())
    return lambda value: "" if value is None else _minute_text(value, where, zone)


def _minute_text(value: datetime, locale_name: str, zone_name: str) -> str:
    minute = value.astimezone(UTC).replace(second=0, microsecond=0)
    return _to_the_minute(minute, locale_name, zone_name)


# Rows of a list often share a minute; the text depends only on the minute, locale and zone.
@lru_cache(maxsize=8192)
def _to_the_minute(value: datetime, locale_name: str, zone_name: str) -> str:
    locale, zone = Locale.parse(locale_name), ZoneInfo(zone_name)
    day = dates.format_date(value.astimezone(zone), "medium", locale=locale)
    minute = dates.format_time(value, "short", tzinfo=zone, locale=locale)
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", minute)


def page_gettext() -> Callable[..., str]:
    """`_` for one page's templates: the request's catalogue found once, not once per string.

    Behaves as Jinja's own (new style): the translation is a format string, marked safe where
    the template escapes, its variables escaped into it.
    """
    translate = get_translations().ugettext

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        text = translate(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and register the template helpers."""
    # Flask-Security's catalogue first, then ours for the messages it leaves untranslated.
    ours = str(Path(app.root_path) / "translations")
    app.config.setdefault("SECURITY_I18N_DIRNAME", ["builtin", ours])
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["plan_name"] = plan_name
    app.jinja_env.filters["plan_description"] = plan_description
    app.jinja_env.filters["phone"] = shown
    app.context_processor(
        lambda: {
            "current_locale": str(get_locale()),
            "offered_locales": offered_locales(),
            "language_names": LANGUAGE_NAMES,
            "site_name": site_name(),
            "_": page_gettext(),
        }
    )
