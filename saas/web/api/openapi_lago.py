"""The OpenAPI description of importing a plan from a Lago plan object."""

from __future__ import annotations

from typing import Any

from saas.catalog import models as M
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import CHARGE_MODELS
from saas.web.api.openapi_parts import LOCATION, obj, ref, write

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
REPORTED = "Not carried; listed in `not_carried`."

LAGO_CHARGE = {
    "type": "object",
    "description": "A Lago usage charge. One with `filters`, `min_amount_cents` or "
    "`properties.grouped_by` is refused (409); other Lago keys are ignored.",
    "required": ["billable_metric_code", "charge_model"],
    "properties": {
        "billable_metric_code": TEXT | {"description": "One of the brand's metrics, e.g. data_mb."},
        "code": TEXT | {"description": "The component's code; the metric's code if absent."},
        "invoice_display_name": TEXT | {"description": "The component's name."},
        "charge_model": {"enum": list(CHARGE_MODELS)},
        "properties": {"type": ["object", "null"], "description": "Decimals as strings."},
        "pay_in_advance": {"type": "boolean", "description": REPORTED},
        "tax_codes": TEXTS | {"description": REPORTED},
    },
}

LAGO_PLAN = {
    "type": "object",
    "description": "A plan as Lago's API sends it. Trial days and minimum commitments are "
    "refused (409); labels and taxes are listed in `not_carried`; ids are ignored.",
    "required": ["code", "name"],
    "properties": {
        "code": TEXT,
        "name": TEXT,
        "description": TEXT,
        "interval": {"enum": list(INTERVALS)},
        "amount_cents": {"type": "integer", "minimum": 0, "description": "The subscription fee."},
        "amount_currency": {
            "type": ["string", "null"],
            "description": "ISO 4217 code; the brand's currency if absent.",
        },
        "pay_in_advance": {"type": "boolean", "description": "The fee's timing; true if absent."},
        "trial_period": {"type": ["number", "null"], "maximum": 0},
        "invoice_display_name": TEXT | {"description": "The fee's name. " + REPORTED},
        "tax_codes": TEXTS | {"description": REPORTED},
        "charges": {"type": ["array", "null"], "items": ref("schemas", "LagoCharge")},
    },
}

LAGO_IMPORT = obj(
    ["product", "plan"],
    product={"type": "string", "description": "The code of one of the brand's products."},
    plan={
        "description": 'The Lago plan, or Lago\'s `{"plan": {...}}` around it.',
        "anyOf": [ref("schemas", "LagoPlan"), obj(["plan"], plan=ref("schemas", "LagoPlan"))],
    },
    kind={"enum": [M.PLAN, M.ADDON], "default": M.PLAN},
    payment={"enum": [M.PREPAID, M.POSTPAID], "default": M.POSTPAID},
)


def schemas(plan: dict[str, Any]) -> dict[str, Any]:
    """Return the import's schemas; the answer is the `plan` schema with `not_carried`."""
    not_carried = TEXTS | {"description": "What of the Lago plan the plan does not carry."}
    imported = obj(
        [*plan["required"], "not_carried"], **plan["properties"], not_carried=not_carried
    )
    return {
        "LagoCharge": LAGO_CHARGE,
        "LagoPlan": LAGO_PLAN,
        "LagoPlanImport": LAGO_IMPORT,
        "ImportedPlan": imported,
    }


def paths() -> dict[str, Any]:
    """Return the import's path item."""
    return {
        "/plans/import/lago": {
            "post": write(
                "importLagoPlan",
                "Create a plan from a Lago plan; its prices wait in draft version 1.",
                "catalog.write",
                ("201", "The plan, and what of the Lago plan it does not carry.", "ImportedPlan"),
                body="LagoPlanImport",
                headers=LOCATION,
            )
        }
    }
