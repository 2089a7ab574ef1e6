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
from saas.errors import N_, Term, register, within
from saas.money import from_minor

SUBSCRIPTION_FEE = "subscription_fee"
# Labels and settings that do not change a price; they are reported, not refused.
REPORTED = ("invoice_display_name", "tax_codes", "taxes", "bill_charges_monthly")
REFUSALS = {
    "lago.not_an_object": N_('expected an object, or {"plan": {...}}'),
    "lago.trial_period": N_("trial_period: trial days are not supported yet"),
    "lago.minimum_commitment": N_("minimum_commitment: minimum commitments are not supported yet"),
    "lago.fixed_charges": N_("fixed_charges: import fixed charges as add-ons instead"),
    "lago.amount_cents": N_("amount_cents must be a whole number of minor units, at least 0"),
    "lago.charge_not_object": N_("each charge must be an object"),
    "lago.no_metric": N_("needs billable_metric_code (ids of another Lago are unknown)"),
    "lago.filters": N_("filters: charge filters are not supported yet"),
    "lago.min_amount": N_("min_amount_cents: per-charge minimums are not supported yet"),
    "lago.properties_not_object": N_("properties must be an object"),
    "lago.grouped_by": N_("properties.grouped_by: grouped charges are not supported yet"),
    "lago.charges_not_list": N_("charges must be a list"),
    "lago.pay_in_advance": N_("%(path)s: usage is rated per billing period"),
}
register(REFUSALS)


@dataclass
class LagoImport:
    """A plan spec read from Lago, and what of the Lago plan it does not carry."""

    spec: PlanSpec
    # Each a Lago key or path, or a term saying why it is not carried.
    notes: list[Term | str] = field(default_factory=list)

    @property
    def not_carried(self) -> list[str]:
        """What is not carried, in English."""
        return [n if isinstance(n, str) else n.english() for n in self.notes]


def _plan_body(obj: Any) -> Mapping[str, Any]:
    # A pasted or exported list, number or string is refused here by name, not with a crash.
    body = obj.get("plan", obj) if isinstance(obj, Mapping) else obj
    if not isinstance(body, Mapping):
        raise CatalogError("lago.not_an_object", Term("record.a_lago_plan"))
    return body


def _refuse_price_changes(body: Mapping[str, Any], record: Term) -> None:
    if body.get("trial_period"):
        raise CatalogError("lago.trial_period", record, "trial_period")
    commitment = body.get("minimum_commitment") or {}
    if not isinstance(commitment, Mapping) or commitment.get("amount_cents"):
        raise CatalogError("lago.minimum_commitment", record, "minimum_commitment")
    if body.get("fixed_charges"):
        raise CatalogError("lago.fixed_charges", record, "fixed_charges")


def _fee(body: Mapping[str, Any], currency: str, record: Term) -> list[dict[str, Any]]:
    cents = body.get("amount_cents", 0)
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise CatalogError("lago.amount_cents", record, "amount_cents")
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


def _usage(charge: Any, index: int, record: Term) -> dict[str, Any]:
    where = within(record, f"charges/{index}")
    if not isinstance(charge, Mapping):
        raise CatalogError("lago.charge_not_object", where)
    metric = charge.get("billable_metric_code")
    if not metric:
        raise CatalogError("lago.no_metric", where, "billable_metric_code")
    if charge.get("filters"):
        raise CatalogError("lago.filters", where, "filters")
    if charge.get("min_amount_cents"):
        raise CatalogError("lago.min_amount", where, "min_amount_cents")
    raw = charge.get("properties") or {}
    if not isinstance(raw, Mapping):
        raise CatalogError("lago.properties_not_object", where, "properties")
    properties = dict(raw)
    if properties.pop("grouped_by", None):
        raise CatalogError("lago.grouped_by", where, "properties")
    code = str(charge.get("code") or metric).lower()
    return {
        "code": code,
        "name": charge.get("invoice_display_name") or metric,
        "kind": M.USAGE,
        "metric": str(metric).lower(),
        "charge": {"charge_model": charge.get("charge_model"), "properties": properties},
    }


def _reported(body: Mapping[str, Any]) -> list[Term | str]:
    notes: list[Term | str] = [key for key in REPORTED if body.get(key)]
    for index, charge in enumerate(body.get("charges") or []):
        if not isinstance(charge, Mapping):
            continue
        if charge.get("pay_in_advance"):
            notes.append(Term("lago.pay_in_advance", path=f"charges/{index}/pay_in_advance"))
        if charge.get("tax_codes"):
            notes.append(f"charges/{index}/tax_codes")
    return notes


def read_plan(obj: Any, product_code: str, default_currency: str, **overrides: Any) -> LagoImport:
    """Read a Lago plan into a spec for a plan of this brand's product (a draft when created)."""
    body = _plan_body(obj)
    record = Term("record.lago_plan", code=str(body.get("code", "?")))
    _refuse_price_changes(body, record)
    currency = str(body.get("amount_currency") or default_currency).upper()
    charges = body.get("charges") or []
    if not isinstance(charges, list):
        raise CatalogError("lago.charges_not_list", record, "charges")
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


def import_plans(
    session: DbSession, objs: list[Any], product_code: str, currency: str, publish: bool = False
) -> list[tuple[M.Plan, LagoImport]]:
    """Create plans from Lago plans (published at once if asked); one refusal refuses them all."""
    made = []
    for obj in objs:
        plan, read = import_plan(session, obj, product_code, currency)
        if publish:
            services.publish(session, plan.versions[0])
        made.append((plan, read))
    return made
