"""The OpenAPI description of promotions and plan migrations (the end of grandfathering)."""

from __future__ import annotations

from typing import Any

from saas.web.api.openapi_catalog import CODE, DECIMAL_IN, ID, READ, TEXT, WRITE
from saas.web.api.openapi_parts import (
    DATE_TIME,
    DECIMAL,
    array_of,
    listing,
    nullable,
    obj,
    ok,
    operation,
    page_of,
    path_id,
    refusals,
    write,
)

_PROMOTION_FIELDS = {
    "code": CODE,
    "name": TEXT,
    "kind": {"enum": ["percent", "fixed"]},
    "currency": nullable("string", description="Needed by a fixed discount."),
    "plan": nullable("string", description="The code of the one plan it applies to."),
    "component": nullable("string", description="The recurring component it discounts."),
    "duration": {"enum": ["once", "repeating", "forever"]},
    "cycles": nullable("integer", minimum=1),
    "promo_code": nullable("string"),
    "max_redemptions": nullable("integer", minimum=1),
    "valid_from": nullable("string", format="date-time"),
    "valid_until": nullable("string", format="date-time"),
}
PROMOTION = obj(
    [*_PROMOTION_FIELDS, "id", "value", "redemptions", "active", "created_at"],
    id=ID,
    value=DECIMAL,
    **_PROMOTION_FIELDS,
    redemptions={"type": "integer"},
    active={"type": "boolean"},
    created_at=DATE_TIME,
)
NEW_PROMOTION = obj(["code", "name", "kind", "value"], value=DECIMAL_IN, **_PROMOTION_FIELDS)
ACTIVITY = obj(["active"], active={"type": "boolean"})

MIGRATION_REQUEST = obj(["from_version_id", "to_version_id"], from_version_id=ID, to_version_id=ID)
MIGRATION_ROW = obj(
    [
        "subscription_id",
        "subscriber_id",
        "subscriber",
        "effective_at",
        "current_per_period",
        "new_per_period",
    ],
    subscription_id=ID,
    subscriber_id=ID,
    subscriber={"type": "string", "format": "email"},
    effective_at=DATE_TIME | {"description": "The start of the subscriber's next period."},
    current_per_period=DECIMAL,
    new_per_period=DECIMAL,
)
MIGRATION_PREVIEW = obj(
    ["from_version_id", "to_version_id", "subscriptions"],
    from_version_id=ID,
    to_version_id=ID,
    subscriptions=array_of("MigrationRow"),
)
PLAN_MIGRATION = obj(
    [
        "id",
        "plan_id",
        "from_version_id",
        "from_version",
        "to_version_id",
        "to_version",
        "timing",
        "status",
        "affected",
        "created_at",
        "created_by",
    ],
    id=ID,
    plan_id=ID,
    from_version_id=ID,
    from_version={"type": "integer"},
    to_version_id=ID,
    to_version={"type": "integer"},
    timing={"const": "next_period"},
    status={"enum": ["scheduled", "cancelled"]},
    affected={"type": "integer", "description": "How many subscriptions it moves."},
    created_at=DATE_TIME,
    created_by=TEXT,
)
SCHEMAS = {
    "Promotion": PROMOTION,
    "PromotionPage": page_of("Promotion"),
    "NewPromotion": NEW_PROMOTION,
    "PromotionActivity": ACTIVITY,
    "MigrationRequest": MIGRATION_REQUEST,
    "MigrationRow": MIGRATION_ROW,
    "MigrationPreview": MIGRATION_PREVIEW,
    "PlanMigration": PLAN_MIGRATION,
    "PlanMigrationList": obj(["data"], data=array_of("PlanMigration")),
}

PARAMETERS = {
    "PromotionId": path_id("promotion_id", "promotion"),
    "MigrationId": path_id("migration_id", "plan migration"),
}


def paths() -> dict[str, Any]:
    """Return the path items of promotions and migrations."""
    return {
        "/promotions": {
            "get": listing("listPromotions", "Promotions, newest first.", READ, "Promotion"),
            "post": write(
                "createPromotion",
                "Add a promotion.",
                WRITE,
                ("201", "The promotion.", "Promotion"),
                body="NewPromotion",
            ),
        },
        "/promotions/{promotion_id}": {
            "patch": write(
                "updatePromotion",
                "Switch a promotion on or off.",
                WRITE,
                ("200", "The promotion.", "Promotion"),
                ("PromotionId",),
                "PromotionActivity",
            )
        },
        "/plan-migrations/preview": {
            "post": write(
                "previewPlanMigration",
                "Who a migration would move, when and at what price; nothing is written.",
                READ,
                ("200", "The subscriptions it would move.", "MigrationPreview"),
                body="MigrationRequest",
                not_found=True,
            )
        },
        "/plan-migrations": {
            "post": write(
                "schedulePlanMigration",
                "Move a version's holders onto a newer version at their next period; audited.",
                WRITE,
                ("201", "The migration.", "PlanMigration"),
                body="MigrationRequest",
                not_found=True,
            )
        },
        "/plans/{plan_id}/migrations": {
            "get": operation(
                "listPlanMigrations",
                "A plan's migrations, newest first.",
                READ,
                {"200": ok("The migrations.", "PlanMigrationList"), **refusals("404")},
                ("PlanId",),
            )
        },
        "/plan-migrations/{migration_id}/cancel": {
            "post": write(
                "cancelPlanMigration",
                "Call off the moves that have not happened yet.",
                WRITE,
                ("200", "The cancelled migration.", "PlanMigration"),
                ("MigrationId",),
            )
        },
    }
