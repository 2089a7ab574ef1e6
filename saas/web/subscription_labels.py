"""Translatable names for what subscription screens show: actions, events, lines, allowances."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_interval, format_skeleton
from flask import g
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog.periods import Period, last_local_day
from saas.money import format_money
from saas.subscriptions import charges as C
from saas.subscriptions import cycles
from saas.subscriptions.changes import charged
from saas.subscriptions.services import NOTES as SERVICE_NOTES
from saas.web.catalogue import catalogue
from saas.web.i18n import plan_name

ACTIONS = {
    "subscribed": _l("Subscribe"),
    "upgrade": _l("Upgrade, effective now"),
    "downgrade": _l("Downgrade at period end"),
    "cancel": _l("Cancel now"),
    "cancel_at_period_end": _l("Cancel at period end"),
    "addon_added": _l("Book an add-on"),
    "addon_removed": _l("End an add-on"),
    "suspend": _l("Suspend"),
    "resume": _l("Resume"),
}
EVENT_KINDS = {
    "subscribed": _l("Subscribed"),
    "plan_changed": _l("Plan changed"),
    "migrated": _l("Moved to a new price"),
    "suspended": _l("Suspended"),
    "resumed": _l("Resumed"),
    "cancelled": _l("Cancelled"),
    "addon_added": _l("Add-on booked"),
    "addon_removed": _l("Add-on ended"),
}
EVENT_STATES = {
    "applied": _l("applied"),
    "scheduled": _l("scheduled"),
    "revoked": _l("called off"),
}
STATUSES = {"active": _l("active"), "suspended": _l("suspended"), "cancelled": _l("cancelled")}
LINE_KINDS = {
    C.ONE_TIME_FEE: _l("One-time fee"),
    C.RECURRING: _l("Period in advance"),
    C.PRORATION_CHARGE: _l("Prorated charge"),
    C.PRORATION_CREDIT: _l("Prorated credit"),
    C.DISCOUNT: _l("Discount"),
}
NOTES = {
    "takes effect at period end": _l("Takes effect at the end of the current period."),
    SERVICE_NOTES["suspend"]: _l("Recurring charges continue while the line is suspended."),
    SERVICE_NOTES["resume"]: _l("Service is restored at once."),
}
INTERVALS = {
    "weekly": _l("per week"),
    "monthly": _l("per month"),
    "quarterly": _l("per quarter"),
    "semiannual": _l("per half-year"),
    "yearly": _l("per year"),
}
ACCOUNT_KINDS = {"individual": _l("Individual"), "company": _l("Company")}
FEE_TYPES = {
    "activation": _l("Activation"),
    "sim": _l("SIM card"),
    "esim": _l("eSIM"),
    "port_in": _l("Number porting"),
    "other": _l("One-time"),
}
MB_PER_GB = 1024


def named(table: dict[str, Any], key: str | None) -> str:
    """Return a key's display name from one of the tables above, or the key itself."""
    return names(table)[key]  # type: ignore[index]


class Names(dict[str, str]):
    """A table's names in the request's language, for a whole list; other keys as they are."""

    def __missing__(self, key: str | None) -> str:
        return str(key or "")


# Said once per table and language for the process: the tables above are module constants.
_SAID: dict[tuple[int, str], Names] = {}


def names(table: dict[str, Any]) -> Names:
    """Every name of a table above in the request's language (shared: read, never change)."""
    key = (id(table), str(get_locale()))
    said = _SAID.get(key)
    if said is None:
        said = _SAID[key] = Names({name: str(words) for name, words in table.items()})
    return said


def allowance(item: M.Allowance, metric_names: dict[str, M.Metric]) -> dict[str, Any]:
    """An allowance as words: metric name, '10 GB' or 'unlimited', rollover and shared marks."""
    metric = metric_names.get(item.metric_code)
    marks = [_("rolls over")] if item.rollover else []
    marks += [_("shared by the account's lines")] if item.shared else []
    zones = list(getattr(item, "zones", None) or [])
    marks += [_("also while roaming in %(zones)s", zones=", ".join(zones))] if zones else []
    return {
        "name": metric.name if metric else item.metric_code,
        "amount": _quantity(item.quantity, metric.unit if metric else ""),
        "marks": marks,
    }


def _quantity(quantity: Decimal | None, unit: str) -> str:
    if quantity is None:
        return _("unlimited")
    if unit == "MB" and quantity >= MB_PER_GB and quantity % MB_PER_GB == 0:
        return f"{format_decimal(quantity / MB_PER_GB)} GB"
    # The metric's name follows ("300 Voice minutes"); only data is shown in its own unit.
    return str(format_decimal(quantity))


def one_time_fees(version: M.PlanVersion) -> list[M.PriceComponent]:
    """The version's one-time fees that cost something."""
    return [c for c in version.components if c.kind == M.ONE_TIME and c.amount and c.amount > 0]


def period_text(period: Period) -> str:
    """A billing period as first and last local day."""
    return f"{format_date(period.start)} \u2013 {format_date(period.end - timedelta(days=1))}"


def span_text(line: C.Line) -> str:
    """The days a priced line covers, as a short range in the locale (e.g. 2 to 19 December)."""
    span = line.charged
    if span is None:
        return ""
    last = span.end - timedelta(days=1)
    skeleton = "Md" if span.start.year == last.year else "yMd"
    if span.start == last:
        return format_skeleton(skeleton, span.start, locale=get_locale())
    return format_interval(span.start, last, skeleton, locale=get_locale())


PERIODS = {
    "weekly": lambda n: ngettext("the first week", "the first %(num)d weeks", n),
    "monthly": lambda n: ngettext("the first month", "the first %(num)d months", n),
    "quarterly": lambda n: ngettext("the first quarter", "the first %(num)d quarters", n),
    "semiannual": lambda n: ngettext("the first half-year", "the first %(num)d half-years", n),
    "yearly": lambda n: ngettext("the first year", "the first %(num)d years", n),
}


def promotion_text(terms: C.PromotionTerms, interval: str, currency: str) -> str:
    """How long a promotion taken now lasts, and the price once it has ended."""
    if terms.then_recurring is None:
        return _("%(name)s: as long as the plan is kept.", name=terms.name)
    cycles = terms.cycles if terms.duration == "repeating" and terms.cycles else 1
    return _(
        "%(name)s: for %(periods)s, then %(price)s %(per)s.",
        name=terms.name,
        periods=PERIODS.get(interval, PERIODS["monthly"])(cycles),
        price=format_money(terms.then_recurring, currency, str(get_locale())),
        per=named(INTERVALS, interval),
    )


def price_for(sub: Any, version: M.PlanVersion, on: date | datetime) -> Decimal:
    """What the subscription pays per period on `version` for the period starting `on`."""
    start = on.astimezone(ZoneInfo(g.tenant.timezone)).date() if isinstance(on, datetime) else on
    return C.per_period(version, cycles.discounting(sub, start), version.plan.currency)


def promotion_until(sub: Any) -> str:
    """The last day the subscription's promotion discounts, in words; empty if it never ends."""
    ends = sub.promotion_ends_on if sub.promotion is not None else None
    if ends is None:
        return ""
    return _("discounted up to and including %(day)s", day=day(ends - timedelta(days=1)))


def last_day(until: datetime) -> str:
    """The last local day before an instant, in words (a plan ending at midnight ends then)."""
    return day(last_local_day(until, g.tenant.timezone))


def day(value: date | datetime | None) -> str:
    """A day in the request's locale (times in the brand's zone)."""
    return "" if value is None else format_date(value)


def local_input(value: str) -> datetime | None:
    """Read a date-time field as local time in the brand's zone; None when unreadable."""
    try:
        naive = datetime.fromisoformat(value.strip())
        return naive.replace(tzinfo=ZoneInfo(g.tenant.timezone)).astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a time at the calendar's very edge
        return None


def local_value(at: datetime) -> str:
    """An instant as a datetime-local field value in the brand's zone."""
    return at.astimezone(ZoneInfo(g.tenant.timezone)).strftime("%Y-%m-%dT%H:%M")


def helpers() -> dict[str, Any]:
    """What subscription templates call."""
    return {
        "action_name": lambda key: named(ACTIONS, key),
        "event_kind": lambda key: named(EVENT_KINDS, key),
        "event_state": lambda key: named(EVENT_STATES, key),
        "status_name": lambda key: named(STATUSES, key),
        "line_kind": lambda key: named(LINE_KINDS, key),
        "note_text": lambda key: named(NOTES, key),
        "interval_name": lambda key: named(INTERVALS, key),
        "account_kind": lambda key: named(ACCOUNT_KINDS, key),
        "fee_type": lambda key: named(FEE_TYPES, key),
        "allowance_words": allowance,
        "one_time_fees": one_time_fees,
        "period_text": period_text,
        "span_text": span_text,
        "promotion_text": promotion_text,
        "promotion_until": promotion_until,
        "price_for": price_for,
        "day": day,
        "last_day": last_day,
        "event_total": charged,
        "per_period": lambda v, promotion=None: C.per_period(v, promotion, v.plan.currency),
        # The catalogue kept in memory holds the brand's metrics: no query however many cards.
        "metric_map": lambda: catalogue().metrics,
    }


def done(preview: C.Preview, version: M.PlanVersion | None) -> str:
    """The success message after a change was made, naming the plan or add-on it concerned."""
    name = plan_name(version.plan) if version is not None else ""
    when = day(preview.effective_at)
    messages = {
        "subscribed": lambda: _("Subscribed to %(plan)s.", plan=name),
        "upgrade": lambda: _("Now on %(plan)s.", plan=name),
        "downgrade": lambda: _("%(plan)s takes effect on %(day)s.", plan=name, day=when),
        "cancel": lambda: _("The subscription is cancelled."),
        "cancel_at_period_end": lambda: _(
            "The subscription ends on %(day)s.", day=last_day(preview.effective_at)
        ),
        "addon_added": lambda: _("%(plan)s is booked.", plan=name),
        "addon_removed": lambda: _("The add-on has ended."),
        "suspend": lambda: _("The line is suspended."),
        "resume": lambda: _("The line is active again."),
    }
    return messages[preview.action]() if preview.action in messages else _("Done.")


def price_moved() -> str:
    """Why a confirmed change was not made: its price is no longer the one shown."""
    return _(
        "The price changed since it was shown, so nothing was changed: check the new price "
        "and confirm again."
    )
