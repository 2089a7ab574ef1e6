"""The designer's live quote: usage priced by the same engine as `saas pricing quote`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from babel.numbers import is_currency
from flask import g, jsonify, request
from flask_babel import gettext as _

from saas.catalog.pricing import ChargeError, Quote, QuoteLine, parse_charge, quote
from saas.catalog.pricing.values import compact, to_decimal
from saas.web.admin import bp
from saas.web.admin.catalog_charges import typed_properties
from saas.web.admin.catalog_text import exact_json, label
from saas.web.admin.catalog_tiers import typed_tiers, with_ranges
from saas.web.auth import brand_only, staff_required
from saas.web.fields import NumberError, parse_number, write_number
from saas.web.i18n import money
from saas.web.refusals import json_problem, say

UNPROCESSABLE = 422


def shown(value: Decimal) -> str:
    """A number of a quote line as the page's language writes it, without trailing zeros."""
    return write_number(Decimal(compact(value)))


def _tier_text(line: QuoteLine) -> str:
    upper = "" if line.to_value is None else shown(line.to_value)
    price = line.per_unit_amount
    text = _(
        "%(low)s-%(high)s: %(units)s at %(price)s = %(amount)s",
        low=shown(line.from_value or Decimal(0)),
        high=upper,
        units=shown(line.units),
        price=shown(price) if price is not None else f"{shown(line.rate or Decimal(0))} %",
        amount=shown(line.amount),
    )
    if line.flat_amount:
        text += " " + _("(includes %(flat)s flat)", flat=shown(line.flat_amount))
    return text


def line_text(line: QuoteLine) -> str:
    """Say in words how one quote line adds up."""
    if line.kind == "tier":
        return _tier_text(line)
    words = {"kind": label(line.kind), "units": shown(line.units), "amount": shown(line.amount)}
    if line.per_unit_amount is not None:
        price = shown(line.per_unit_amount)
        return _("%(kind)s: %(units)s at %(price)s = %(amount)s", price=price, **words)
    if line.rate is not None:
        rate = shown(line.rate)
        return _("%(kind)s: %(rate)s %% of %(units)s = %(amount)s", rate=rate, **words)
    return _("%(kind)s: %(units)s = %(amount)s", **words)


def _answer(result: Quote, currency: str) -> dict[str, Any]:
    out = result.to_json(currency)
    out["display"] = {
        "amount": money(Decimal(out["amount_rounded"]), currency),
        "lines": [line_text(line) for line in result.lines],
    }
    return out


def _typed(raw: Any, field: str) -> Decimal:
    """A number typed into the designer, read in the page's language (1.500,5 in German)."""
    if not isinstance(raw, str):
        return to_decimal(raw, field)
    try:
        return to_decimal(parse_number(raw), field)
    except NumberError as exc:
        raise ChargeError("charge.units_typed", field, problem=str(exc)) from None


def _transactions(raw: Any) -> list[Decimal] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ChargeError("charge.transactions_not_list", "transactions")
    return [_typed(amount, f"transactions[{i}]") for i, amount in enumerate(raw)]


def _events(raw: Any) -> Any:
    """The number of events as typed; anything but text goes to the engine as sent."""
    if not isinstance(raw, str):
        return raw
    if not raw.strip():
        return None
    number = _typed(raw, "events")
    if number != number.to_integral_value():
        raise ChargeError("charge.not_whole", "events", value=number)
    return int(number)


def _units(raw: Any, amounts: list[Decimal] | None) -> Decimal:
    """The units as typed; left empty beside the amounts of the events, their total."""
    if amounts is not None and (raw is None or (isinstance(raw, str) and not raw.strip())):
        return sum(amounts, Decimal(0))
    return _typed(raw, "units")


def _with_typed(charge: Any, body: dict[str, Any]) -> Any:
    """Put the fields and tier rows, as the designer sends them typed, into the charge."""
    if not isinstance(charge, dict):
        return charge
    model = str(charge.get("charge_model") or "")
    if body.get("fields") is not None:
        charge = {**charge, "properties": typed_properties(model, body["fields"])}
    tiers = body.get("tiers")
    if tiers is None:
        return charge
    properties = charge.get("properties")
    ranges = with_ranges(model, {} if properties is None else properties, typed_tiers(tiers))
    return {**charge, "properties": ranges}


def _quote_request() -> tuple[Quote, str]:
    """Read the body like `saas pricing quote` reads its options, and price it."""
    try:
        body = exact_json(request.get_data(as_text=True) or "{}")
    except json.JSONDecodeError as exc:
        raise ChargeError("charge.body_not_json", "body", problem=json_problem(exc)) from None
    if not isinstance(body, dict):
        raise ChargeError("charge.properties_not_object", "body")
    currency = str(body.get("currency") or g.tenant.currency).upper()
    if not is_currency(currency):
        raise ChargeError("charge.unknown_currency", "currency", value=currency)
    charge = parse_charge(_with_typed(body.get("charge") or {}, body))
    amounts = _transactions(body.get("transactions"))
    units = _units(body.get("units"), amounts)
    events = _events(body.get("events"))
    return quote(charge, units, events=events, transactions=amounts), currency


@bp.post("/catalog/quote")
@brand_only
@staff_required("catalog.read")
def catalog_quote() -> Any:
    """Price some units under a charge with the pricing engine; the designer's live quote."""
    try:
        result, currency = _quote_request()
    except ChargeError as exc:
        return jsonify(error=say(exc)), UNPROCESSABLE
    return jsonify(_answer(result, currency))
