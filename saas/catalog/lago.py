"""Read a Lago plan object into a plan spec, so a brand moving from Lago keeps its prices.

Lago's plan (`{"plan": {...}}` as its API sends and takes it) carries a subscription fee in
`amount_cents` and usage charges whose `charge_model` and `properties` are ours already. What
would change the amount billed and has no place here yet (trial days, minimum commitments,
per-charge minimums, charge filters, grouping) is refused with its path; what only labels or
taxes a plan differently is listed in `not_carried` for the person importing to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from saas.catalog import models as M
from saas.catalog import services
from saas.catalog.specs import CatalogError, PlanSpec
from saas.db import DbSession
from saas.money import from_minor

SUBSCRIPTION_FEE = "subscription_fee"
# Labels and settings that do not change a price; they are reported, not refused.
REPORTED = ("invoice_display_name", "tax_codes", "taxes", "bill_charges_monthly")


@dataclass
class LagoImport:
    """A plan spec read from Lago, and what of the Lago plan it does not carry."""

    spec: PlanSpec
    not_carried: list[str] = field(default_factory=list)


def _plan_body(obj: Any) -> Mapping[str, Any]:
    # A pasted or exported list, number or string is refused here by name, not with a crash.
    body = obj.get("plan", obj) if isinstance(obj, Mapping) else obj
    if not isinstance(body, Mapping):
        raise CatalogError("Lago plan", "expected an object, or {'plan': {...}}")
    return body


def _refuse_price_changes(body: Mapping[str, Any], record: str) -> None:
    if body.get("trial_period"):
        raise CatalogError(record, "trial_period: trial days are not supported yet")
    commitment = body.get("minimum_commitment") or {}
    if not isinstance(commitment, Mapping) or commitment.get("amount_cents"):
        raise CatalogError(record, "minimum_commitment: minimum commitments are not supported yet")
    if body.get("fixed_charges"):
        raise CatalogError(record, "fixed_charges: import fixed charges as add-ons instead")


def _fee(body: Mapping[str, Any], currency: str, record: str) -> list[dict[str, Any]]:
    cents = body.get("amount_cents", 0)
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise CatalogError(record, "amount_cents must be a whole number of minor units, at least 0")
    if cents == 0:
        return []
    return [
        {
            "code": SUBSCRIPTION_FEE,
            "name": body.get("invoice_display_name") or body.get("name") or "Subscription fee",
            "kind": M.RECURRING,
            "amount": str(from_minor(cents, currency)),
            "timing": M.ADVANCE if body.get("pay_in_advance", True) else M.ARREARS,
        }
    ]


def _usage(charge: Any, index: int, record: str) -> dict[str, Any]:
    where = f"{record} charges/{index}"
    if not isinstance(charge, Mapping):
        raise CatalogError(where, "each charge must be an object")
    metric = charge.get("billable_metric_code")
    if not metric:
        raise CatalogError(where, "needs billable_metric_code (ids of another Lago are unknown)")
    if charge.get("filters"):
        raise CatalogError(where, "filters: charge filters are not supported yet")
    if charge.get("min_amount_cents"):
        raise CatalogError(where, "min_amount_cents: per-charge minimums are not supported yet")
    raw = charge.get("properties") or {}
    if not isinstance(raw, Mapping):
        raise CatalogError(where, "properties must be an object")
    properties = dict(raw)
    if properties.pop("grouped_by", None):
        raise CatalogError(where, "properties.grouped_by: grouped charges are not supported yet")
    code = str(charge.get("code") or metric).lower()
    return {
        "code": code,
        "name": charge.get("invoice_display_name") or metric,
        "kind": M.USAGE,
        "metric": str(metric).lower(),
        "charge": {"charge_model": charge.get("charge_model"), "properties": properties},
    }


def _reported(body: Mapping[str, Any]) -> list[str]:
    notes = [key for key in REPORTED if body.get(key)]
    for index, charge in enumerate(body.get("charges") or []):
        if not isinstance(charge, Mapping):
            continue
        if charge.get("pay_in_advance"):
            notes.append(f"charges/{index}/pay_in_advance: usage is rated per billing period")
        if charge.get("tax_codes"):
            notes.append(f"charges/{index}/tax_codes")
    return notes


def read_plan(obj: Any, product_code: str, default_currency: str, **overrides: Any) -> LagoImport:
    """Read a Lago plan into a spec for a plan of this brand's product (a draft when created)."""
    body = _plan_body(obj)
    record = f"Lago plan {body.get('code', '?')!r}"
    _refuse_price_changes(body, record)
    currency = str(body.get("amount_currency") or default_currency).upper()
    charges = body.get("charges") or []
    if not isinstance(charges, list):
        raise CatalogError(record, "charges must be a list")
    mapping = {
        "code": str(body.get("code", "")).lower(),
        "name": body.get("name"),
        "description": body.get("description") or "",
        "product": product_code,
        "currency": currency,
        "billing_interval": body.get("interval", "monthly"),
        "components": _fee(body, currency, record)
        + [_usage(c, i, record) for i, c in enumerate(charges)],
    } | overrides
    return LagoImport(PlanSpec.parse(mapping, currency), _reported(body))


def import_plan(
    session: DbSession,
    obj: Any,
    product_code: str,
    default_currency: str,
    **overrides: Any,
) -> tuple[M.Plan, LagoImport]:
    """Create a plan from a Lago plan, its prices in a draft version for the brand to check."""
    read = read_plan(obj, product_code, default_currency, **overrides)
    return services.create_plan(session, read.spec), read
