"""The offer designer's forms: repeated rows in, spec mappings out, and records back into rows."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import CHARGE_MODELS
from saas.catalog.pricing.values import compact
from saas.catalog.specs import CatalogError
from saas.db import db, get_scoped
from saas.errors import N_, Term, register
from saas.jsonread import read_json
from saas.web.refusals import json_problem

ROW_FIELD = re.compile(r"^(components|allowances)-(\d{1,3})-([a-z_]+)$")
CHECKED = "1"
register(
    {
        "catalog.properties_not_json": N_(
            "properties are not valid JSON (%(problem)s, line %(line)s, column %(column)s)"
        ),
        "catalog.not_a_time": N_('%(field_name)s "%(value)s" is not a date and time'),
    }
)

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
    "activation": _l("activation"),
    "sim": _l("SIM card"),
    "esim": _l("eSIM profile"),
    "port_in": _l("number port-in"),
    "other": _l("other"),
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


def options() -> dict[str, Any]:
    """Return the editor's select options as (value, words) pairs, in the request's language."""
    return {
        "kinds_options": [(k, label(k)) for k in M.COMPONENT_KINDS],
        "fee_options": [(f, label(f)) for f in M.FEE_TYPES],
        "timing_options": [(t, label(t)) for t in (M.ADVANCE, M.ARREARS)],
        "model_options": [(m, f"{model_label(m)} ({m})") for m in CHARGE_MODELS],
        "tax_pairs": [(t, label(t)) for t in M.TAX_CATEGORIES],
        "interval_pairs": [(i, label(i)) for i in INTERVALS],
        "blank_component": BLANK_COMPONENT,
        "metric_options": lambda metrics: [(m.code, f"{m.name} ({m.code})") for m in metrics],
    }


def plan_choices() -> dict[str, Any]:
    """Return what a new or imported plan chooses from: products, kinds and payments."""
    return {
        "products": catalog.products(db.session),
        "kinds": (M.PLAN, M.ADDON),
        "payments": (M.POSTPAID, M.PREPAID),
    }


def pretty(properties: Any) -> str:
    """Write charge properties as indented JSON for the textarea."""
    return json.dumps(properties, indent=2, ensure_ascii=False)


BLANK_COMPONENT = {
    "kind": M.RECURRING,
    "fee_type": "other",
    "timing": M.ADVANCE,
    "prorate": CHECKED,
    "charge_model": "standard",
    "properties": pretty(EXAMPLES["standard"]),
}
BLANK_ALLOWANCE: dict[str, str] = {}


def scoped(model: type[Any], ident: int) -> Any:
    """Load one of this brand's rows by id, or answer 404."""
    row = get_scoped(db.session, model, ident)
    if row is None:
        abort(404)
    return row


def rows(form: Mapping[str, str], prefix: str) -> list[dict[str, str]]:
    """Collect the fields named prefix-N-field into one dict per row, in index order."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = ROW_FIELD.match(key)
        if match and match.group(1) == prefix:
            found.setdefault(int(match.group(2)), {})[match.group(3)] = form[key].strip()
    return [found[index] for index in sorted(found)]


def component_data(row: Mapping[str, str]) -> dict[str, Any]:
    """Turn one component row into the mapping ComponentSpec.parse reads."""
    kind = row.get("kind", "")
    data: dict[str, Any] = {"code": row.get("code", ""), "name": row.get("name", ""), "kind": kind}
    if kind == M.USAGE:
        data["metric"] = row.get("metric", "")
        data["charge"] = {
            "charge_model": row.get("charge_model", ""),
            "properties": _properties(row),
        }
        return data
    data["amount"] = row.get("amount", "")
    if kind == M.ONE_TIME:
        data["fee_type"] = row.get("fee_type") or "other"
    if kind == M.RECURRING:
        data["timing"] = row.get("timing") or M.ADVANCE
        data["prorate"] = row.get("prorate") == CHECKED
    return data


def exact_json(text: str) -> Any:
    """Read JSON with exact numbers, by the rules of the one JSON reader."""
    # Numbers typed without quotes stay exact: they are read from their text, never as floats.
    return read_json(text, parse_float=Decimal)


def _properties(row: Mapping[str, str]) -> Any:
    text = row.get("properties", "")
    try:
        return exact_json(text)
    except json.JSONDecodeError as exc:
        record = Term("record.component", code=row.get("code", "?"))
        raise CatalogError(
            "catalog.properties_not_json",
            record,
            "properties",
            problem=json_problem(exc),
            line=exc.lineno,
            column=exc.colno,
        ) from None


def allowance_data(row: Mapping[str, str]) -> dict[str, Any]:
    """Turn one allowance row into the mapping AllowanceSpec.parse reads."""
    return {
        "metric": row.get("metric", ""),
        "quantity": row.get("quantity", ""),
        "rollover": row.get("rollover") == CHECKED,
        "shared": row.get("shared") == CHECKED,
    }


def component_row(component: M.PriceComponent) -> dict[str, str]:
    """Write a stored component back into the fields of an editor row."""
    charge = component.charge or {}
    model = charge.get("charge_model", "standard")
    return BLANK_COMPONENT | {
        "kind": component.kind,
        "code": component.code,
        "name": component.name,
        "fee_type": component.fee_type or "other",
        "amount": "" if component.amount is None else compact(component.amount),
        "timing": component.timing,
        "prorate": CHECKED if component.prorate else "",
        "metric": component.metric_code or "",
        "charge_model": model,
        "properties": pretty(charge.get("properties", EXAMPLES.get(model, {}))),
    }


def allowance_row(allowance: M.Allowance) -> dict[str, str]:
    """Write a stored allowance back into the fields of an editor row."""
    quantity = allowance.quantity
    return {
        "metric": allowance.metric_code,
        "quantity": "unlimited" if quantity is None else compact(quantity),
        "rollover": CHECKED if allowance.rollover else "",
        "shared": CHECKED if allowance.shared else "",
    }


def quantity_text(quantity: Decimal | None) -> str:
    """Say how much an allowance includes."""
    return _("unlimited") if quantity is None else compact(quantity)


def _bounds(item: Mapping[str, Any]) -> str:
    upper = item.get("to_value")
    return f"{item.get('from_value')}-{'' if upper is None else upper}"


def _range_text(item: Mapping[str, Any]) -> str:
    price, bounds = item.get("per_unit_amount"), _bounds(item)
    if price is None:
        text = _("%(range)s at %(rate)s %%", range=bounds, rate=item.get("rate"))
    else:
        text = _("%(range)s at %(price)s", range=bounds, price=price)
    flat = item.get("flat_amount")
    if flat is not None and Decimal(str(flat)) != 0:
        text += " " + _("plus %(flat)s flat", flat=flat)
    return text


def charge_summary(charge: Mapping[str, Any] | None) -> str:
    """Describe a usage charge in one readable line, e.g. "graduated: 0-1024 at 0.002; ..."."""
    if not charge:
        return ""
    model, props = charge.get("charge_model", ""), charge.get("properties") or {}
    ranges = next((v for k, v in props.items() if k.endswith("_ranges")), None)
    if ranges is not None:
        detail = "; ".join(_range_text(item) for item in ranges)
    elif model == "package":
        detail = _(
            "%(amount)s per started package of %(size)s units, %(free)s units free",
            amount=props.get("amount"),
            size=props.get("package_size"),
            free=props.get("free_units", 0),
        )
    elif model == "percentage":
        detail = _("%(rate)s %% of the amount", rate=props.get("rate"))
        if props.get("fixed_amount"):
            detail += " " + _("plus %(fee)s per event", fee=props["fixed_amount"])
    else:
        detail = _("%(amount)s per unit", amount=props.get("amount"))
    return f"{model_label(model)}: {detail}"


def local_time(text: str, zone: str, record: Term | str, name: str) -> datetime | None:
    """Read a local date-time typed in the brand's zone as an aware UTC instant."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CatalogError("catalog.not_a_time", record, name, value=text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)
