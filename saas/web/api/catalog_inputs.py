"""Read and check catalogue and pricing bodies: the domain's own parsers, errors by pointer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from babel.numbers import is_currency

from saas.catalog import models as M
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import Charge, ChargeError, parse_charge
from saas.catalog.pricing.values import to_decimal
from saas.catalog.specs import (
    AllowanceSpec,
    CatalogError,
    ComponentSpec,
    PlanSpec,
    PromotionSpec,
)
from saas.catalog.specs import code as checked_code
from saas.web.api.inputs import MAX_NAME, Errors, checked, members
from saas.web.api.problems import ValidationFailed, field_error

T = TypeVar("T")

QUOTE = {
    "charge": "object",
    "units": "decimal",
    "events": "integer?",
    "transactions": "array?",
    "currency": "string?",
}
METRIC = {"code": "string", "name": "string", "unit": "string"}
COMPONENT = {
    "code": "string",
    "name": "string",
    "kind": "string",
    "amount": "decimal",
    "fee_type": "string",
    "timing": "string",
    "prorate": "boolean",
    "metric": "string",
    "charge": "object",
}
ALLOWANCE = {"metric": "string", "quantity": "decimal?", "rollover": "boolean", "shared": "boolean"}
CONTENTS = {"components": "array", "allowances": "array", "billing_interval": "string"}
PLAN = {
    "code": "string",
    "name": "string",
    "description": "string",
    "product": "string",
    "kind": "string",
    "payment": "string",
    "currency": "string",
    "tax_category": "string",
} | CONTENTS
PLAN_CHANGES = {"name": "string", "description": "string", "tax_category": "string"}
PROMOTION = {
    "code": "string",
    "name": "string",
    "kind": "string",
    "value": "decimal",
    "currency": "string?",
    "plan": "string?",
    "component": "string?",
    "duration": "string",
    "cycles": "integer?",
    "promo_code": "string?",
    "max_redemptions": "integer?",
    "valid_from": "string?",
    "valid_until": "string?",
}
MIGRATION = {"from_version_id": "id", "to_version_id": "id"}


def engine_pointer(field: str, base: str = "") -> str:
    """Turn the engine's path to a value ("properties.ranges[0].rate") into a JSON Pointer."""
    return base + "/" + re.sub(r"\[(\d+)\]", r"/\1", field).replace(".", "/")


def engine_failure(exc: ChargeError, base: str = "") -> ValidationFailed:
    """A validation problem carrying the engine's reason at the value it names."""
    pointer = base if base and exc.field == base.lstrip("/") else engine_pointer(exc.field, base)
    return ValidationFailed([field_error(pointer, exc.reason)])


@dataclass(frozen=True)
class QuoteRequest:
    """Usage to price under one charge, and the currency to round to, if any."""

    charge: Charge
    units: Decimal
    events: int | None
    transactions: list[Decimal] | None
    currency: str | None


def _engine(read: Callable[[], T], base: str, errors: Errors) -> T | None:
    try:
        return read()
    except ChargeError as exc:
        errors.extend(engine_failure(exc, base).errors)
        return None


def _transactions(raw: list[Any] | None, errors: Errors) -> list[Decimal] | None:
    if raw is None:
        return None
    read = [
        _engine(partial(to_decimal, t, f"transactions[{i}]"), "", errors) for i, t in enumerate(raw)
    ]
    return [amount for amount in read if amount is not None]


def quote_request(body: dict[str, Any]) -> QuoteRequest:
    """Check a quote request with the engine's parsers; each error names its value."""
    checked(body, QUOTE, ("charge", "units"))
    errors: Errors = []
    currency = body.get("currency")
    if currency is not None and not is_currency(currency):
        errors.append(field_error("/currency", f"{currency!r} is not an ISO 4217 currency code"))
    charge = _engine(lambda: parse_charge(body["charge"]), "/charge", errors)
    units = _engine(lambda: to_decimal(body["units"], "units"), "", errors)
    amounts = _transactions(body.get("transactions"), errors)
    if errors:
        raise ValidationFailed(errors)
    assert charge is not None and units is not None
    return QuoteRequest(charge, units, body.get("events"), amounts, currency)


def _pointer(base: str, field: str | None, known: dict[str, str]) -> str:
    # A domain refusal names the member it is about, if any.
    return f"{base}/{field}" if field in known else base


def _parsed(read: Callable[[], T], base: str, known: dict[str, str], errors: Errors) -> T | None:
    try:
        return read()
    except CatalogError as exc:
        errors.append(field_error(_pointer(base, exc.field, known), exc.reason))
        return None


def _items(
    body: dict[str, Any],
    name: str,
    known: dict[str, str],
    parse: Callable[[Any], T],
    errors: Errors,
) -> list[T]:
    specs = []
    for index, item in enumerate(body.get(name) or []):
        base = f"/{name}/{index}"
        if not isinstance(item, dict):
            errors.append(field_error(base, "must be a JSON object"))
            continue
        found = members(item, known, base=base)
        errors.extend(found)
        spec = None if found else _parsed(partial(parse, item), base, known, errors)
        if spec is not None:
            specs.append(spec)
    return specs


def _contents(
    body: dict[str, Any], errors: Errors
) -> tuple[list[ComponentSpec], list[AllowanceSpec]]:
    components = _items(body, "components", COMPONENT, ComponentSpec.parse, errors)
    allowances = _items(body, "allowances", ALLOWANCE, AllowanceSpec.parse, errors)
    return components, allowances


def plan_spec(body: dict[str, Any], default_currency: str) -> PlanSpec:
    """Check a new plan (Lago-like: code, product, prices) and return its spec."""
    checked(body, PLAN, ("code", "name", "product"))
    errors: Errors = []
    _parsed(lambda: checked_code(body["product"], "product"), "/product", {}, errors)
    top = {**body, "components": [], "allowances": []}
    spec = (
        None if errors else _parsed(lambda: PlanSpec.parse(top, default_currency), "", PLAN, errors)
    )
    components, allowances = _contents(body, errors)
    if errors:
        raise ValidationFailed(errors)
    assert spec is not None
    spec.components, spec.allowances = components, allowances
    return spec


def version_contents(
    body: dict[str, Any],
) -> tuple[list[ComponentSpec], list[AllowanceSpec], str | None]:
    """Check the new contents of a draft version: every component and allowance, an interval."""
    checked(body, CONTENTS, ("components", "allowances"))
    errors: Errors = []
    interval = body.get("billing_interval")
    if interval is not None and interval not in INTERVALS:
        errors.append(field_error("/billing_interval", f"must be one of {', '.join(INTERVALS)}"))
    components, allowances = _contents(body, errors)
    if errors:
        raise ValidationFailed(errors)
    return components, allowances, interval


def plan_changes(body: dict[str, Any]) -> dict[str, str]:
    """Check the changes to a plan's name, description or tax category."""
    checked(body, PLAN_CHANGES)
    errors: Errors = []
    if "name" in body and not body["name"].strip():
        errors.append(field_error("/name", "must not be empty"))
    if len(body.get("name", "").strip()) > MAX_NAME:
        errors.append(field_error("/name", f"must have at most {MAX_NAME} characters"))
    if body.get("tax_category", M.TAX_CATEGORIES[0]) not in M.TAX_CATEGORIES:
        errors.append(field_error("/tax_category", f"must be one of {', '.join(M.TAX_CATEGORIES)}"))
    if errors:
        raise ValidationFailed(errors)
    return {name: value.strip() for name, value in body.items()}


def metric(body: dict[str, Any]) -> dict[str, str]:
    """Check a new metric: a code, a name and a unit."""
    checked(body, METRIC, ("code", "unit"))
    errors: Errors = []
    _parsed(lambda: checked_code(body["code"], "metric"), "/code", {}, errors)
    if not body["unit"].strip() or len(body["unit"].strip()) > 32:
        errors.append(field_error("/unit", "must have 1 to 32 characters"))
    if len(body.get("name", "").strip()) > MAX_NAME:
        errors.append(field_error("/name", f"must have at most {MAX_NAME} characters"))
    if errors:
        raise ValidationFailed(errors)
    return {"metric_code": body["code"].strip(), "name": body.get("name", ""), "unit": body["unit"]}


def promotion_spec(body: dict[str, Any]) -> PromotionSpec:
    """Check a new promotion and return its spec."""
    checked(body, PROMOTION, ("code", "name", "kind", "value"))
    errors: Errors = []
    spec = _parsed(lambda: PromotionSpec.parse(body), "", PROMOTION, errors)
    if errors:
        raise ValidationFailed(errors)
    assert spec is not None
    return spec


def activity(body: dict[str, Any]) -> bool:
    """Check a body switching something on or off."""
    return bool(checked(body, {"active": "boolean"}, ("active",))["active"])


def migration(body: dict[str, Any]) -> tuple[int, int]:
    """Check a migration request: the version to move from and the one to move to."""
    checked(body, MIGRATION, tuple(MIGRATION))
    return int(body["from_version_id"]), int(body["to_version_id"])


# Plans imported from Lago

LAGO_IMPORT = {"product": "string", "plan": "object", "kind": "string", "payment": "string"}
LAGO_OVERRIDES = {"kind": (M.PLAN, M.ADDON), "payment": (M.PREPAID, M.POSTPAID)}
# Only what the reader walks into is checked here; Lago's other keys are the domain's to judge.
LAGO_PLAN = {"charges": "array?", "minimum_commitment": "object?"}
LAGO_CHARGE = {"properties": "object?"}


@dataclass(frozen=True)
class LagoImport:
    """A Lago plan object to import into one of the brand's products, with overrides."""

    product: str
    plan: dict[str, Any]
    overrides: dict[str, str]


def _typed(value: dict[str, Any], allowed: dict[str, str], base: str) -> Errors:
    return members({k: v for k, v in value.items() if k in allowed}, allowed, base=base)


def _lago_plan(value: dict[str, Any]) -> Errors:
    # Lago wraps a plan as {"plan": {...}}; the reader takes either form.
    base, plan = ("/plan/plan", value["plan"]) if "plan" in value else ("/plan", value)
    if not isinstance(plan, dict):
        return [field_error(base, "must be a JSON object")]
    errors = _typed(plan, LAGO_PLAN, base)
    charges = plan["charges"] if isinstance(plan.get("charges"), list) else []
    for index, charge in enumerate(charges):
        where = f"{base}/charges/{index}"
        if not isinstance(charge, dict):
            errors.append(field_error(where, "must be a JSON object"))
        else:
            errors.extend(_typed(charge, LAGO_CHARGE, where))
    return errors


def lago_import(body: dict[str, Any]) -> LagoImport:
    """Check a Lago import: a product code, a Lago plan object, optionally kind and payment."""
    checked(body, LAGO_IMPORT, ("product", "plan"))
    errors: Errors = []
    _parsed(lambda: checked_code(body["product"], "product"), "/product", {}, errors)
    errors += [
        field_error(f"/{name}", f"must be one of {', '.join(options)}")
        for name, options in LAGO_OVERRIDES.items()
        if name in body and body[name] not in options
    ]
    errors += _lago_plan(body["plan"])
    if errors:
        raise ValidationFailed(errors)
    overrides = {name: body[name] for name in LAGO_OVERRIDES if name in body}
    return LagoImport(body["product"].strip(), body["plan"], overrides)
