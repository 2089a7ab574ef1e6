"""A plan's versions in the offer designer: edit the draft, publish, archive; the live quote."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import is_currency
from flask import flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.pricing import ChargeError, Quote, QuoteLine, parse_charge, quote
from saas.catalog.pricing.values import compact, to_decimal
from saas.catalog.specs import AllowanceSpec, CatalogError, ComponentSpec
from saas.db import db
from saas.web.admin import bp
from saas.web.admin.catalog import refuse_plan
from saas.web.admin.catalog_forms import allowance_data, component_data, label, rows, scoped
from saas.web.admin.forms import text
from saas.web.auth import brand_only, staff_required
from saas.web.i18n import money

UNPROCESSABLE = 422


def _version(version_id: int) -> M.PlanVersion:
    return scoped(M.PlanVersion, version_id)


def _back(version: M.PlanVersion) -> Any:
    return redirect(url_for("admin.catalog_plan", plan_id=version.plan_id))


def _parsed(
    typed: list[dict[str, str]], read: Callable[[dict[str, str]], Any], problems: list[str]
) -> list[Any]:
    """Parse every row, collecting each row's error instead of stopping at the first."""
    specs = []
    for row in typed:
        try:
            specs.append(read(row))
        except CatalogError as exc:
            problems.append(str(exc))
    return specs


def _component(row: dict[str, str]) -> ComponentSpec:
    return ComponentSpec.parse(component_data(row))


def _allowance(row: dict[str, str]) -> AllowanceSpec:
    return AllowanceSpec.parse(allowance_data(row))


@bp.post("/catalog/versions/<int:version_id>/contents")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_save(version_id: int) -> Any:
    """Replace a draft's components, allowances and billing interval with what was typed."""
    version = _version(version_id)
    components = [r for r in rows(request.form, "components") if r.get("code")]
    allowances = [r for r in rows(request.form, "allowances") if r.get("metric")]
    typed = {"components": components, "allowances": allowances, "interval": text("interval")}
    problems: list[str] = []
    component_specs = _parsed(components, _component, problems)
    allowance_specs = _parsed(allowances, _allowance, problems)
    if not problems:
        try:
            catalog.set_contents(
                db.session, version, component_specs, allowance_specs, text("interval") or None
            )
        except CatalogError as exc:
            db.session.rollback()
            problems.append(str(exc))
    if problems:
        messages = [_("Draft not saved: %(error)s", error=p) for p in problems]
        return refuse_plan(version.plan, messages, **typed)
    db.session.commit()
    flash(_("Draft version %(number)d saved.", number=version.number), "success")
    return _back(version)


def _act(version: M.PlanVersion, action: Callable[..., Any], done: str) -> Any:
    """Run one version action; a refusal is flashed on the plan's page."""
    try:
        action(db.session, version)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(version.plan, [_("Not done: %(error)s", error=str(exc))])
    db.session.commit()
    flash(done, "success")
    return _back(version)


@bp.post("/catalog/versions/<int:version_id>/publish")
@brand_only
@staff_required("catalog.manage")
def catalog_version_publish(version_id: int) -> Any:
    """Publish a draft: new subscribers get it; the version sold before is archived."""
    version = _version(version_id)
    done = _("Version %(number)d is published.", number=version.number)
    return _act(version, catalog.publish, done)


@bp.post("/catalog/versions/<int:version_id>/archive")
@brand_only
@staff_required("catalog.manage")
def catalog_version_archive(version_id: int) -> Any:
    """Stop selling a version; its holders keep it."""
    version = _version(version_id)
    done = _("Version %(number)d is archived.", number=version.number)
    return _act(version, catalog.archive, done)


@bp.post("/catalog/versions/<int:version_id>/discard")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_discard(version_id: int) -> Any:
    """Delete a draft that was never published."""
    version = _version(version_id)
    plan_id, number = version.plan_id, version.number
    try:
        catalog.discard_draft(db.session, version)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(version.plan, [_("Not done: %(error)s", error=str(exc))])
    db.session.commit()
    flash(_("Draft version %(number)d discarded.", number=number), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan_id))


@bp.post("/catalog/plans/<int:plan_id>/drafts")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_new(plan_id: int) -> Any:
    """Start a new draft as a copy of the newest version."""
    plan = scoped(M.Plan, plan_id)
    try:
        draft = catalog.new_draft(db.session, plan)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(plan, [_("Not done: %(error)s", error=str(exc))])
    db.session.commit()
    flash(_("Draft version %(number)d started.", number=draft.number), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))


def _line_text(line: QuoteLine) -> str:
    units, amount = compact(line.units), compact(line.amount)
    if line.kind == "tier":
        upper = "" if line.to_value is None else compact(line.to_value)
        price = compact(line.per_unit_amount) if line.per_unit_amount is not None else None
        rate = f"{compact(line.rate)} %" if line.rate is not None else ""
        text_ = _(
            "%(low)s-%(high)s: %(units)s at %(price)s = %(amount)s",
            low=compact(line.from_value or Decimal(0)),
            high=upper,
            units=units,
            price=price if price is not None else rate,
            amount=amount,
        )
        if line.flat_amount:
            text_ += " " + _("(includes %(flat)s flat)", flat=compact(line.flat_amount))
        return text_
    if line.per_unit_amount is not None:
        return _(
            "%(kind)s: %(units)s at %(price)s = %(amount)s",
            kind=label(line.kind),
            units=units,
            price=compact(line.per_unit_amount),
            amount=amount,
        )
    if line.rate is not None:
        return _(
            "%(kind)s: %(rate)s %% of %(units)s = %(amount)s",
            kind=label(line.kind),
            rate=compact(line.rate),
            units=units,
            amount=amount,
        )
    return _("%(kind)s: %(units)s = %(amount)s", kind=label(line.kind), units=units, amount=amount)


def _answer(result: Quote, currency: str) -> dict[str, Any]:
    out = result.to_json(currency)
    out["display"] = {
        "amount": money(Decimal(out["amount_rounded"]), currency),
        "lines": [_line_text(line) for line in result.lines],
    }
    return out


def _transactions(raw: Any) -> list[Decimal] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ChargeError("transactions", "must be a list of amounts")
    return [to_decimal(amount, f"transactions[{i}]") for i, amount in enumerate(raw)]


def _quote_request() -> tuple[Quote, str]:
    """Read the body like `saas pricing quote` reads its options, and price it."""
    try:
        # Numbers typed without quotes are read from their text, never as floats.
        body = json.loads(request.get_data(as_text=True) or "{}", parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ChargeError("body", f"not valid JSON: {exc.msg}") from None
    if not isinstance(body, dict):
        raise ChargeError("body", "must be a JSON object")
    currency = str(body.get("currency") or g.tenant.currency).upper()
    if not is_currency(currency):
        raise ChargeError("currency", f"unknown currency {currency!r}")
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
        return jsonify(error=str(exc)), UNPROCESSABLE
    return jsonify(_answer(result, currency))
