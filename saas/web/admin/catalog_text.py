"""The designer's words: labels of stored values, charges in one line, exact JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog.pricing.values import compact
from saas.jsonread import read_json

# What a new usage row's properties start as, per charge model: Lago's shape, decimals as text.
EXAMPLES: dict[str, dict[str, Any]] = {
    "standard": {"amount": "0.05"},
    "graduated": {
        "graduated_ranges": [
            {"from_value": 0, "to_value": 1024, "per_unit_amount": "0.002", "flat_amount": "0"},
            {"from_value": 1025, "to_value": None, "per_unit_amount": "0.001", "flat_amount": "0"},
        ]
    },
    "volume": {
        "volume_ranges": [
            {"from_value": 0, "to_value": 100, "per_unit_amount": "0.05", "flat_amount": "0"},
            {"from_value": 101, "to_value": None, "per_unit_amount": "0.03", "flat_amount": "0"},
        ]
    },
    "package": {"amount": "1.99", "package_size": 1024, "free_units": 0},
    "percentage": {"rate": "2.5", "fixed_amount": "0.10"},
    "graduated_percentage": {
        "graduated_percentage_ranges": [
            {"from_value": 0, "to_value": 1000, "rate": "2", "flat_amount": "0"},
            {"from_value": 1001, "to_value": None, "rate": "1", "flat_amount": "0"},
        ]
    },
}


# Words the designer shows for stored values; anything not listed shows as stored.
LABELS = {
    "weekly": _l("week"),
    "monthly": _l("month"),
    "quarterly": _l("quarter"),
    "semiannual": _l("half-year"),
    "yearly": _l("year"),
    M.DRAFT: _l("draft"),
    M.PUBLISHED: _l("published"),
    M.ARCHIVED: _l("archived"),
    M.ONE_TIME: _l("one-time"),
    M.RECURRING: _l("recurring"),
    M.USAGE: _l("usage"),
    M.ADVANCE: _l("in advance"),
    M.ARREARS: _l("in arrears"),
    # When a one-time fee falls due, as the designer's choice and the version view say it.
    "activation": _l("on activation"),
    "sim": _l("with the SIM card"),
    "esim": _l("with the eSIM profile"),
    "port_in": _l("on number port-in"),
    "other": _l("at another moment"),
    "standard": _l("standard"),
    "reduced": _l("reduced"),
    "exempt": _l("exempt"),
    "per_unit": _l("per unit"),
    "free_units": _l("free units"),
    "package": _l("packages"),
    "rate": _l("rate"),
    "fixed_fee": _l("fee per event"),
    "min_max_adjustment": _l("minimum or maximum"),
    "scheduled": _l("scheduled"),
    "cancelled": _l("cancelled"),
    "percent": _l("percent"),
    "fixed": _l("fixed amount"),
    "once": _l("once"),
    "repeating": _l("repeating"),
    "forever": _l("forever"),
    "sum": _l("sum of quantities"),
    "count": _l("number of events"),
}
# Lago's charge models in words (the editor shows Lago's own name beside them).
CHARGE_MODEL_LABELS = {
    "standard": _l("standard price"),
    "graduated": _l("graduated tiers"),
    "volume": _l("volume tiers"),
    "package": _l("package price"),
    "percentage": _l("percentage"),
    "graduated_percentage": _l("graduated percentage"),
}


def label(value: str | None) -> str:
    """Return the designer's word for a stored value."""
    return "" if value is None else str(LABELS.get(value, value))


def model_label(model: str) -> str:
    """Return a charge model's name in words."""
    return str(CHARGE_MODEL_LABELS.get(model, model))


def pretty(properties: Any) -> str:
    """Write charge properties as indented JSON for the textarea."""
    return json.dumps(properties, indent=2, ensure_ascii=False)


TOO_BIG = "number too long or nesting too deep"


def exact_json(text: str) -> Any:
    """Read JSON with exact numbers, by the rules of the one JSON reader."""
    # Numbers typed without quotes stay exact: they are read from their text, never as floats.
    return read_json(text, parse_float=Decimal)


def quantity_text(quantity: Decimal | None) -> str:
    """Say how much an allowance includes."""
    return _("unlimited") if quantity is None else compact(quantity)


def _number(value: Any) -> str:
    return format_decimal(Decimal(str(value)), locale=get_locale(), decimal_quantization=False)


def _price(value: Any, currency: str | None) -> str:
    """A unit price in full (0,002 €): a tier price may be finer than the currency's cents."""
    if currency is None:
        return _number(value)
    amount = Decimal(str(value))
    return format_currency(amount, currency, locale=get_locale(), decimal_quantization=False)


def _bounds(item: Mapping[str, Any]) -> str:
    low, high = _number(item.get("from_value") or 0), item.get("to_value")
    return _("%(low)s and more", low=low) if high is None else f"{low}\u2013{_number(high)}"


def _range_text(item: Mapping[str, Any], currency: str | None) -> str:
    price, bounds = item.get("per_unit_amount"), _bounds(item)
    if price is None:
        text = _("%(range)s at %(rate)s %%", range=bounds, rate=_number(item.get("rate")))
    else:
        text = _("%(range)s at %(price)s", range=bounds, price=_price(price, currency))
    flat = item.get("flat_amount")
    if flat is not None and Decimal(str(flat)) != 0:
        text += " " + _("plus %(flat)s flat", flat=_price(flat, currency))
    return text


def charge_summary(charge: Mapping[str, Any] | None, currency: str | None = None) -> str:
    """Describe a usage charge in one line in the reader's locale, prices in the plan's currency.

    E.g. "graduated tiers: 0 to 1,024 at EUR 0.002; ..." (written with the locale's symbols).
    """
    if not charge:
        return ""
    model, props = charge.get("charge_model", ""), charge.get("properties") or {}
    ranges = next((v for k, v in props.items() if k.endswith("_ranges")), None)
    if ranges is not None:
        detail = "; ".join(_range_text(item, currency) for item in ranges)
    elif model == "package":
        detail = _(
            "%(amount)s per started package of %(size)s units, %(free)s units free",
            amount=_price(props.get("amount") or 0, currency),
            size=_number(props.get("package_size") or 0),
            free=_number(props.get("free_units") or 0),
        )
    elif model == "percentage":
        detail = _("%(rate)s %% of the amount", rate=_number(props.get("rate") or 0))
        if props.get("fixed_amount"):
            detail += " " + _("plus %(fee)s per event", fee=_price(props["fixed_amount"], currency))
    else:
        detail = _("%(amount)s per unit", amount=_price(props.get("amount") or 0, currency))
    return f"{model_label(model)}: {detail}"
