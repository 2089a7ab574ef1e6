"""Allowances and balances in words: "312 of 500 minutes left", "3.2 GB of 10 GB left"."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.usage.allowance_use import Use
from saas.usage.charging_models import TOP_UP, USAGE
from saas.usage.records import DATA, SMS, VOICE

MB_PER_GB = Decimal(1024)
ENTRY_KINDS = {TOP_UP: _l("Top-up"), USAGE: _l("Usage")}


def _whole(value: Decimal) -> Decimal:
    return value.to_integral_value(ROUND_FLOOR)


def _data(mb: Decimal, in_gb: bool) -> str:
    if in_gb:
        gb = (mb / MB_PER_GB).quantize(Decimal("0.1"), ROUND_FLOOR)
        return f"{format_decimal(gb.normalize() if gb == _whole(gb) else gb)} GB"
    return f"{format_decimal(_whole(mb))} MB"


def amount(use: Use, value: Decimal) -> str:
    """A quantity of the allowance's metric with its unit: "42 min", "1.5 GB", "3 SMS"."""
    if use.service == DATA and use.unit.upper() == "MB":
        return _data(value, value >= MB_PER_GB)
    if use.service == VOICE and use.unit.lower() in ("min", "minute", "minutes"):
        return _("%(count)s min", count=format_decimal(_whole(value)))
    if use.service == SMS:
        return _("%(count)s SMS", count=format_decimal(_whole(value)))
    return f"{format_decimal(_whole(value))} {use.unit}".strip()


def left_words(use: Use) -> str:
    """What is left of an allowance this period, in words and the locale's numbers."""
    if use.total is None:
        return _("Unlimited: %(used)s used", used=amount(use, use.used))
    left = use.left or Decimal(0)
    total = use.total
    if use.service == DATA and use.unit.upper() == "MB":
        in_gb = total >= MB_PER_GB
        return _("%(left)s of %(total)s left", left=_data(left, in_gb), total=_data(total, in_gb))
    shown = {"left": format_decimal(_whole(left)), "total": format_decimal(_whole(total))}
    count = int(_whole(total))
    if use.service == VOICE and use.unit.lower() in ("min", "minute", "minutes"):
        return ngettext(
            "%(left)s of %(total)s minute left",
            "%(left)s of %(total)s minutes left",
            count,
            **shown,
        )
    if use.service == SMS:
        return ngettext(
            "%(left)s of %(total)s SMS left", "%(left)s of %(total)s SMS left", count, **shown
        )
    return _("%(left)s of %(total)s %(unit)s left", unit=use.unit, **shown)


def share(use: Use) -> int:
    """How much of the allowance is used, in whole percent (100 when unlimited: no bar)."""
    if not use.total:
        return 0
    return min(100, int(use.used * 100 / use.total))


def helpers() -> dict[str, Any]:
    """What the templates call."""
    return {
        "allowance_left": left_words,
        "allowance_amount": amount,
        "allowance_share": share,
        "balance_entry_kind": lambda kind: ENTRY_KINDS.get(kind, kind),
    }
