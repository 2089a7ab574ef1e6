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
from saas.web.admin.catalog_text import exact_json, label
from saas.web.auth import brand_only, staff_required
from saas.web.i18n import money
from saas.web.refusals import json_problem, say

UNPROCESSABLE = 422


def _tier_text(line: QuoteLine) -> str:
    upper = "" if line.to_value is None else compact(line.to_value)
    price = line.per_unit_amount
    text = _(
        "%(low)s-%(high)s: %(units)s at %(price)s = %(amount)s",
        low=compact(line.from_value or Decimal(0)),
        high=upper,
        units=compact(line.units),
        price=compact(price) if price is not None else f"{compact(line.rate or Decimal(0))} %",
        amount=compact(line.amount),
    )
    if line.flat_amount:
        text += " " + _("(includes %(flat)s flat)", flat=compact(line.flat_amount))
    return text


def line_text(line: QuoteLine) -> str:
    """Say in words how one quote line adds up."""
    if line.kind == "tier":
        return _tier_text(line)
    words = {"kind": label(line.kind), "units": compact(line.units), "amount": compact(line.amount)}
    if line.per_unit_amount is not None:
        price = compact(line.per_unit_amount)
        return _("%(kind)s: %(units)s at %(price)s = %(amount)s", price=price, **words)
    if line.rate is not None:
        rate = compact(line.rate)
        return _("%(kind)s: %(rate)s %% of %(units)s = %(amount)s", rate=rate, **words)
    return _("%(kind)s: %(units)s = %(amount)s", **words)


def _answer(result: Quote, currency: str) -> dict[str, Any]:
    out = result.to_json(currency)
    out["display"] = {
        "amount": money(Decimal(out["amount_rounded"]), currency),
        "lines": [line_text(line) for line in result.lines],
    }
    return out


def _transactions(raw: Any) -> list[Decimal] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ChargeError("charge.transactions_not_list", "transactions")
    return [to_decimal(amount, f"transactions[{i}]") for i, amount in enumerate(raw)]


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
    charge = parse_charge(body.get("charge") or {})
    units = to_decimal(body.get("units"), "units")
    amounts = _transactions(body.get("transactions"))
    return quote(charge, units, events=body.get("events"), transactions=amounts), currency


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
