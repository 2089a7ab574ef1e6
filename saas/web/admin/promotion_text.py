"""A promotion in words: "10 % off for 3 months", "2,00 € off once"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from saas.catalog import models as M
from saas.web.i18n import money

# How many billing periods, in the plan's own unit where the promotion has one plan.
SPANS: dict[str | None, Callable[[int], str]] = {
    "weekly": lambda n: ngettext("%(num)d week", "%(num)d weeks", n),
    "monthly": lambda n: ngettext("%(num)d month", "%(num)d months", n),
    "quarterly": lambda n: ngettext("%(num)d quarter", "%(num)d quarters", n),
    "semiannual": lambda n: ngettext("%(num)d half-year", "%(num)d half-years", n),
    "yearly": lambda n: ngettext("%(num)d year", "%(num)d years", n),
    None: lambda n: ngettext("%(num)d billing period", "%(num)d billing periods", n),
}


def interval(promotion: M.Promotion) -> str | None:
    """The billing interval of the promotion's plan (what it sells now, else its newest)."""
    plan = promotion.plan
    if plan is None or not plan.versions:
        return None
    return (plan.published or plan.versions[-1]).billing_interval


def amount_off(promotion: M.Promotion) -> str:
    """The discount itself: "10 %" or "2,00 €"."""
    if promotion.kind == "percent":
        return f"{format_decimal(promotion.value)} %"
    return money(promotion.value, promotion.currency)


def discount_words(promotion: M.Promotion) -> str:
    """What the promotion takes off, and for how long."""
    amount = amount_off(promotion)
    if promotion.duration == "once":
        return _("%(amount)s off once", amount=amount)
    if promotion.duration == "forever":
        return _("%(amount)s off every period, for as long as the plan is held", amount=amount)
    span = SPANS.get(interval(promotion), SPANS[None])(promotion.cycles or 0)
    return _("%(amount)s off for %(span)s", amount=amount, span=span)


def ended(promotion: M.Promotion, now: datetime) -> bool:
    """Whether the promotion's validity is over."""
    return promotion.valid_until is not None and promotion.valid_until <= now
