"""The OpenAPI description of the catalogue, the pricing quote and plan migrations."""

from __future__ import annotations

from typing import Any

from saas.catalog import models as M
from saas.catalog.periods import INTERVALS
from saas.catalog.pricing import CHARGE_MODELS
from saas.web.api import openapi_lago
from saas.web.api.openapi_parts import (
    DATE_TIME,
    DECIMAL,
    LOCATION,
    array_of,
    listing,
    nullable,
    obj,
    ok,
    operation,
    page_of,
    path_id,
    query,
    ref,
    refusals,
    write,
)

READ, WRITE = "catalog.read", "catalog.write"
DECIMAL_IN = {
    "type": ["string", "integer"],
    "description": 'An exact decimal as text, e.g. "9.99"; floats are refused.',
}
TEXT = {"type": "string"}
ID = {"type": "integer"}
CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_.-]{0,63}$"}

CHARGE = {
    "type": "object",
    "description": "A Lago charge object: `charge_model` and its `properties`, decimals as "
    "strings. Other Lago keys (ids, invoicing options) are ignored.",
    "required": ["charge_model", "properties"],
    "properties": {
        "charge_model": {"enum": list(CHARGE_MODELS)},
        "properties": {"type": "object"},
    },
}

QUOTE_REQUEST = obj(
    ["charge", "units"],
    charge=ref("schemas", "Charge"),
    units=DECIMAL_IN,
    events=nullable("integer", minimum=0, description="Number of events (percentage)."),
    transactions=nullable(
        "array", items=DECIMAL_IN, description="Amount of each event (percentage)."
    ),
    currency=nullable("string", description="Also round the amount to this ISO 4217 currency."),
)

QUOTE_LINE = obj(
    ["kind", "from_value", "to_value", "units", "per_unit_amount", "flat_amount", "rate", "amount"],
    kind={
        "enum": [
            "per_unit",
            "tier",
            "free_units",
            "package",
            "rate",
            "fixed_fee",
            "min_max_adjustment",
        ]
    },
    from_value=nullable("string"),
    to_value=nullable("string"),
    units=DECIMAL,
    per_unit_amount=nullable("string"),
    flat_amount=nullable("string"),
    rate=nullable("string"),
    amount=DECIMAL,
)

QUOTE = obj(
    ["charge_model", "units", "amount", "lines"],
    charge_model={"enum": list(CHARGE_MODELS)},
    units=DECIMAL,
    amount=DECIMAL | {"description": "The exact, unrounded amount."},
    lines=array_of("QuoteLine"),
    currency=TEXT,
    amount_rounded=DECIMAL | {"description": "Rounded half up to the currency's minor unit."},
)

METRIC = obj(
    ["id", "code", "name", "unit", "aggregation", "created_at"],
    id=ID,
    code=CODE,
    name=TEXT,
    unit=TEXT,
    aggregation={"enum": ["sum", "count"]},
    created_at=DATE_TIME,
)
NEW_METRIC = obj(
    ["code", "unit"],
    code=CODE,
    name={"type": "string", "maxLength": 200},
    unit={"type": "string", "minLength": 1, "maxLength": 32},
)

PRODUCT = obj(
    ["id", "code", "name", "description", "active", "created_at"],
    id=ID,
    code=CODE,
    name=TEXT,
    description=TEXT,
    active={"type": "boolean"},
    created_at=DATE_TIME,
)

COMPONENT = obj(
    ["code", "kind"],
    code=CODE,
    name=TEXT,
    kind={"enum": list(M.COMPONENT_KINDS)},
    amount=DECIMAL_IN | {"description": "One-time and recurring: the price."},
    fee_type={"enum": list(M.FEE_TYPES), "description": "One-time: what the fee is for."},
    timing={"enum": [M.ADVANCE, M.ARREARS]},
    prorate={"type": "boolean"},
    metric=CODE | {"description": "Usage: the metric priced."},
    charge=ref("schemas", "Charge"),
)
ALLOWANCE = obj(
    ["metric"],
    metric=CODE,
    quantity={
        "type": ["string", "integer", "null"],
        "description": 'Units per cycle as text, or "unlimited" (null also means unlimited).',
    },
    rollover={"type": "boolean"},
    shared={"type": "boolean", "description": "Pooled by every line of the account."},
)
CONTENTS = {
    "components": array_of("Component"),
    "allowances": array_of("Allowance"),
    "billing_interval": {"enum": list(INTERVALS)},
}
VERSION_CONTENTS = obj(["components", "allowances"], **CONTENTS)

PLAN_VERSION = obj(
    [
        "id",
        "plan_id",
        "plan_code",
        "plan_name",
        "number",
        "status",
        "billing_interval",
        "recurring_total",
        "components",
        "allowances",
        "created_at",
        "published_at",
        "archived_at",
    ],
    id=ID,
    plan_id=ID,
    plan_code=CODE,
    plan_name=TEXT,
    number={"type": "integer", "minimum": 1},
    status={"enum": [M.DRAFT, M.PUBLISHED, M.ARCHIVED]},
    billing_interval={"enum": list(INTERVALS)},
    recurring_total=DECIMAL,
    components=array_of("Component"),
    allowances=array_of("Allowance"),
    created_at=DATE_TIME,
    published_at=nullable("string", format="date-time"),
    archived_at=nullable("string", format="date-time"),
)

_PLAN_FIELDS = {
    "code": CODE,
    "name": TEXT,
    "description": TEXT,
    "product": CODE | {"description": "The code of one of the brand's products."},
    "kind": {"enum": [M.PLAN, M.ADDON]},
    "payment": {"enum": [M.PREPAID, M.POSTPAID]},
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "tax_category": {"enum": list(M.TAX_CATEGORIES)},
}
PLAN = obj(
    [*_PLAN_FIELDS, "id", "published_version_id", "draft_version_id", "versions", "created_at"],
    id=ID,
    **_PLAN_FIELDS,
    published_version_id=nullable("integer"),
    draft_version_id=nullable("integer"),
    versions=array_of("PlanVersion"),
    created_at=DATE_TIME,
)
NEW_PLAN = obj(["code", "name", "product"], **_PLAN_FIELDS, **CONTENTS)
PLAN_CHANGES = obj(
    [],
    name={"type": "string", "minLength": 1, "maxLength": 200},
    description=TEXT,
    tax_category={"enum": list(M.TAX_CATEGORIES)},
)

SCHEMAS = {
    "Charge": CHARGE,
    "QuoteRequest": QUOTE_REQUEST,
    "Quote": QUOTE,
    "QuoteLine": QUOTE_LINE,
    "Metric": METRIC,
    "NewMetric": NEW_METRIC,
    "MetricPage": page_of("Metric"),
    "Product": PRODUCT,
    "ProductPage": page_of("Product"),
    "Component": COMPONENT,
    "Allowance": ALLOWANCE,
    "VersionContents": VERSION_CONTENTS,
    "PlanVersion": PLAN_VERSION,
    "Plan": PLAN,
    "PlanPage": page_of("Plan"),
    "NewPlan": NEW_PLAN,
    "PlanChanges": PLAN_CHANGES,
    **openapi_lago.schemas(PLAN),
}

PARAMETERS = {
    "PlanId": path_id("plan_id", "plan or add-on"),
    "VersionId": path_id("version_id", "plan version"),
    "PlanKind": query("kind", "Keep plans or add-ons only.", {"enum": [M.PLAN, M.ADDON]}),
}

_VERSION = ("VersionId",)


def _version_write(op_id: str, summary: str, description: str) -> dict[str, Any]:
    return write(op_id, summary, WRITE, ("200", description, "PlanVersion"), _VERSION)


def _catalogue_paths() -> dict[str, Any]:
    return {
        "/pricing/quote": {
            "post": operation(
                "quotePricing",
                "Price usage under a Lago charge, as `saas pricing quote` prints it.",
                READ,
                {"200": ok("The exact quote.", "Quote"), **refusals("400", "415", "422")},
                body="QuoteRequest",
            )
        },
        "/metrics": {
            "get": listing("listMetrics", "Usage metrics, oldest first.", READ, "Metric"),
            "post": write(
                "createMetric",
                "Add a usage metric.",
                WRITE,
                ("201", "The metric.", "Metric"),
                body="NewMetric",
            ),
        },
        "/products": {
            "get": listing("listProducts", "Products, oldest first.", READ, "Product"),
        },
    }


def _plan_paths() -> dict[str, Any]:
    return {
        "/plans": {
            "get": listing(
                "listPlans",
                "Plans and add-ons with their versions, oldest first.",
                READ,
                "Plan",
                ("PlanKind",),
            ),
            "post": write(
                "createPlan",
                "Create a plan or add-on with a draft first version.",
                WRITE,
                ("201", "The plan.", "Plan"),
                body="NewPlan",
                headers=LOCATION,
            ),
        },
        "/plans/{plan_id}": {
            "get": operation(
                "getPlan",
                "A plan with its versions.",
                READ,
                {"200": ok("The plan.", "Plan"), **refusals("404")},
                ("PlanId",),
            ),
            "patch": write(
                "updatePlan",
                "Change a plan's name, description or tax category.",
                WRITE,
                ("200", "The plan.", "Plan"),
                ("PlanId",),
                "PlanChanges",
            ),
        },
        "/plans/{plan_id}/versions": {
            "post": write(
                "createPlanVersion",
                "Start a new draft, a copy of the newest version.",
                WRITE,
                ("201", "The draft.", "PlanVersion"),
                ("PlanId",),
                headers=LOCATION,
            )
        },
        "/plan-versions/{version_id}": {
            "get": operation(
                "getPlanVersion",
                "A plan version with its components and allowances.",
                READ,
                {"200": ok("The version.", "PlanVersion"), **refusals("404")},
                _VERSION,
            ),
            "put": write(
                "replacePlanVersion",
                "Replace a draft's contents; a published or archived version is refused (409).",
                WRITE,
                ("200", "The draft.", "PlanVersion"),
                _VERSION,
                "VersionContents",
            ),
            "delete": operation(
                "discardPlanVersion",
                "Delete a draft that was never published.",
                WRITE,
                {"204": {"description": "The draft is gone."}, **refusals("404", "409")},
                _VERSION,
            ),
        },
        "/plan-versions/{version_id}/publish": {
            "post": _version_write(
                "publishPlanVersion",
                "Sell a draft; the version sold before is archived and its holders keep it.",
                "The published version.",
            )
        },
        "/plan-versions/{version_id}/archive": {
            "post": _version_write(
                "archivePlanVersion",
                "Stop selling a version; its holders keep it.",
                "The archived version.",
            )
        },
    }


def paths() -> dict[str, Any]:
    """Return the catalogue's path items."""
    return _catalogue_paths() | _plan_paths() | openapi_lago.paths()
