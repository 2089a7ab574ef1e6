"""Rate decks in words for business people: prices, units, durations and time bands."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from babel import dates, numbers
from flask import g
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.money import exponent
from saas.usage.rating.deck import DAY, Deck, Slot, Timing
from saas.usage.rating.models import ANY, DOWN, HALF_UP, UP
from saas.usage.records import DATA, SMS, VOICE

SERVICES = {VOICE: _l("Calls"), SMS: _l("SMS"), DATA: _l("Mobile data")}
ROUNDINGS = {HALF_UP: _l("half up"), UP: _l("up"), DOWN: _l("down")}
KB, MB, GB = 1024, 1024**2, 1024**3


def price(amount: Decimal, currency: str | None = None) -> str:
    """An amount in the brand's currency, with every decimal a rate has (0,0015 €)."""
    currency = currency or g.tenant.currency
    exact = -amount.normalize().as_tuple().exponent > exponent(currency)  # type: ignore[operator]
    locale = str(get_locale())
    if exact:
        return numbers.format_currency(amount, currency, locale=locale, decimal_quantization=False)
    return numbers.format_currency(amount, currency, locale=locale)


def duration(seconds: int) -> str:
    """A duration in words: "1 minute", "90 seconds", "2 hours"."""
    if seconds and seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds and seconds % 60 == 0:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return ngettext("%(num)d second", "%(num)d seconds", seconds)


def amount(units: int, service: str) -> str:
    """A usage in words: a duration for calls, messages for SMS, bytes as KB, MB or GB."""
    if service == VOICE:
        return duration(units)
    if service == SMS:
        return ngettext("%(num)d message", "%(num)d messages", units)
    for size, word in ((GB, "GB"), (MB, "MB"), (KB, "KB")):
        if units and units % size == 0:
            return f"{numbers.format_decimal(units // size, locale=str(get_locale()))} {word}"
    return ngettext("%(num)d byte", "%(num)d bytes", units)


def slot_text(slot: Slot, service: str, currency: str | None = None) -> str:
    """One slot of a rate: "from 1 minute: 0,09 € per minute, charged by 1 second"."""
    said = _(
        "%(price)s per %(unit)s, charged by %(increment)s",
        price=price(slot.rate, currency),
        unit=amount(slot.unit, service),
        increment=amount(slot.increment, service),
    )
    if slot.start == 0:
        return said
    return _("after %(start)s: %(rest)s", start=amount(slot.start, service), rest=said)


def rounding_text(method: str, decimals: int) -> str:
    """How increments are rounded, in words."""
    return _("rounded %(how)s to %(n)s decimals", how=ROUNDINGS[method], n=decimals)


def _clock(seconds: int) -> str:
    at = time(seconds // 3600, seconds // 60 % 60)
    return dates.format_time(at, "short", locale=str(get_locale()))


def _days(timing: Timing) -> str:
    locale = str(get_locale())
    parts = []
    if timing.week_days:
        names = dates.get_day_names("abbreviated", locale=locale)
        order = [d for d in (1, 2, 3, 4, 5, 6, 0) if d in timing.week_days]
        parts.append(", ".join(names[(d - 1) % 7] for d in order))
    if timing.month_days or timing.months:
        months = dates.get_month_names("abbreviated", locale=locale)
        days = ", ".join(str(d) for d in sorted(timing.month_days)) or _("every day")
        which = ", ".join(months[m] for m in sorted(timing.months)) or _("every month")
        parts.append(_("%(days)s of %(months)s", days=days, months=which))
    if timing.years:
        parts.append(", ".join(str(y) for y in sorted(timing.years)))
    return "; ".join(parts) or _("every day")


def timing_text(timing: Timing) -> str:
    """When a timing holds: "Mon, Tue, Wed, Thu, Fri from 08:00"."""
    days = _days(timing)
    if timing.starts == 0 and timing.ends == DAY:
        return _("%(days)s, all day", days=days)
    if timing.ends == DAY:
        return _("%(days)s, from %(start)s", days=days, start=_clock(timing.starts))
    return _(
        "%(days)s, %(start)s to %(end)s",
        days=days,
        start=_clock(timing.starts),
        end=_clock(timing.ends),
    )


def services_of_rates(deck: Deck) -> dict[str, str]:
    """Each rate's service, read from the profiles of the plans that use it."""
    plan_service = {p.plan: p.category for p in deck.profiles}
    by_code: dict[str, str] = {}
    for row in deck.plan_rates:
        service = plan_service.get(row.plan)
        for dr in deck.destination_rates:
            if dr.code == row.destination_rates and service:
                by_code.setdefault(dr.rate, service)
    return by_code


def destination_name(code: str | None) -> str:
    """A destination's code, or words for `*any`."""
    return _("any other destination") if code in (None, ANY) else str(code)
