"""API endpoints of the catalogue, the pricing quote and plans imported from Lago."""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import MISSING
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from saas.catalog import lago, texts
from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError
from saas.db import db
from saas.subscriptions import migrations
from saas.web.api.contract import route
from saas.web.api.models import Listing, Page, offers
from saas.web.api.models import catalog as models
from saas.web.api.pagination import PageQuery, paginate
from saas.web.api.problems import invalid
from saas.web.api.records import found

READ, WRITE = "catalog.read", "catalog.write"


@route("POST /pricing/quote", READ, models.Quote)
def quote_pricing(body: models.QuoteRequest) -> Any:
    """Price usage under a Lago charge, exactly as `saas pricing quote` does."""
    return body.spec.to_json(body.currency)


# Metrics and products


@route("GET /metrics", READ, Page[models.Metric])
def list_metrics(query: PageQuery) -> Any:
    """Usage metrics, oldest first."""
    return paginate(db.session, select(M.Metric), M.Metric.id, query)


@route("POST /metrics", WRITE, models.Metric, created=True)
def create_metric(body: models.NewMetric) -> Any:
    """Add a usage metric that plans can price and include."""
    return catalog.create_metric(db.session, metric_code=body.code, name=body.name, unit=body.unit)


@route("GET /products", READ, Page[models.Product])
def list_products(query: PageQuery) -> Any:
    """Products, oldest first."""
    return paginate(db.session, select(M.Product), M.Product.id, query)


# Plans


@route("GET /plans", READ, Page[models.Plan])
def list_plans(query: models.PlanQuery) -> Any:
    """Plans and add-ons with their versions, oldest first, optionally of one kind."""
    return paginate(db.session, catalog.plans_query(query.kind), M.Plan.id, query)


@route("GET /plans/<int:plan_id>", READ, models.Plan)
def get_plan(plan: M.Plan) -> Any:
    """A plan with every version, its components and allowances."""
    return plan


@route("POST /plans", WRITE, models.Plan, created=True)
def create_plan(body: models.NewPlan) -> Any:
    """Create a plan or add-on whose first version is a draft holding the given prices."""
    return catalog.create_plan(db.session, body.spec)


@route("PATCH /plans/<int:plan_id>", WRITE, models.Plan)
def update_plan(plan: M.Plan, body: models.PlanChanges) -> Any:
    """Change a plan's name, description, texts per language or tax category (not its prices)."""
    edits = body.model_dump()
    if "translations" in edits:
        edits["translations"] = texts.merged(plan.translations, edits["translations"])
    try:
        return catalog.update_plan(db.session, plan, **edits)
    except CatalogError as exc:
        # A language refused is a member of the body; other refusals are conflicts.
        raise invalid(exc) if (exc.field or "").startswith("translations.") else exc from None


@route("POST /plans/<int:plan_id>/versions", WRITE, models.PlanVersion, created=True)
def create_plan_version(plan: M.Plan) -> Any:
    """Start a new draft version, a copy of the newest one."""
    return catalog.new_draft(db.session, plan)


@route("POST /plans/import/lago", WRITE, offers.ImportedPlan, created=True)
def import_lago_plan(body: offers.LagoPlanImport) -> Any:
    """Create a plan from a Lago plan, its prices in a draft version for the brand to check."""
    overrides = body.model_dump(include={"kind", "payment"})
    row, read = lago.import_plan(
        db.session, body.plan.model_dump(), body.product, g.tenant.currency, **overrides
    )
    return offers.ImportedPlan.of(row, not_carried=read.not_carried)


@route("GET /plan-versions/<int:version_id>", READ, models.PlanVersion)
def get_plan_version(version: M.PlanVersion) -> Any:
    """One version of a plan with its components and allowances."""
    return version


@route("PUT /plan-versions/<int:version_id>", WRITE, models.PlanVersion)
def replace_plan_version(version: M.PlanVersion, body: models.VersionContents) -> Any:
    """Replace a draft's components, allowances and billing interval; others are refused."""
    return catalog.set_contents(db.session, version, *body.spec)


@route("POST /plan-versions/<int:version_id>/publish", WRITE, models.PlanVersion)
def publish_plan_version(version: M.PlanVersion) -> Any:
    """Sell a draft from now on; the version sold before is archived, its holders keep it."""
    return catalog.publish(db.session, version)


@route("POST /plan-versions/<int:version_id>/archive", WRITE, models.PlanVersion)
def archive_plan_version(version: M.PlanVersion) -> Any:
    """Stop selling a version; its holders keep it."""
    return catalog.archive(db.session, version)


@route("DELETE /plan-versions/<int:version_id>", WRITE, None)
def discard_plan_version(version: M.PlanVersion) -> None:
    """Delete a draft that was never published."""
    catalog.discard_draft(db.session, version)


# Promotions


@route("GET /promotions", READ, Page[offers.Promotion])
def list_promotions(query: PageQuery) -> Any:
    """The brand's promotions, newest first."""
    stmt = select(M.Promotion).options(selectinload(M.Promotion.plan))
    return paginate(db.session, stmt, M.Promotion.id, query, newest_first=True)


@route("POST /promotions", WRITE, offers.Promotion, created=True)
def create_promotion(body: offers.NewPromotion) -> Any:
    """Add a promotion, optionally for one plan and behind a promo code."""
    return catalog.create_promotion(db.session, body.spec)


@route("GET /promotions/<int:promotion_id>", READ, offers.Promotion)
def get_promotion(promotion: M.Promotion) -> Any:
    """A promotion and how often it was redeemed."""
    return promotion


@route("PATCH /promotions/<int:promotion_id>", WRITE, offers.Promotion)
def update_promotion(promotion: M.Promotion, body: offers.PromotionChanges) -> Any:
    """Switch a promotion on or off, or change what it offers until someone redeems it (409)."""
    if edits := body.edits():
        try:
            spec = catalog.edited(promotion, edits)
        except CatalogError as exc:  # what the body asks for, refused as it is read
            raise invalid(exc, offers.PromotionChanges.model_fields) from None
        catalog.edit_promotion(db.session, promotion, spec)
    if body.active is not MISSING:
        catalog.set_promotion_active(db.session, promotion, body.active)
    return promotion


@route("POST /promotions/<int:promotion_id>/end", WRITE, offers.Promotion)
def end_promotion(promotion: M.Promotion) -> Any:
    """End a promotion now (an earlier end stays); subscriptions that took it keep it."""
    return catalog.end_promotion(db.session, promotion)


# Migrations: the end of grandfathering, previewed first


def _versions(body: offers.MigrationRequest) -> tuple[M.PlanVersion, M.PlanVersion]:
    return found(M.PlanVersion, body.from_version_id), found(M.PlanVersion, body.to_version_id)


@route("POST /plan-migrations/preview", READ, offers.MigrationPreview)
def preview_plan_migration(body: offers.MigrationRequest) -> Any:
    """Who a migration would move, when, and at what price; nothing is written."""
    old, new = _versions(body)
    rows = migrations.preview(db.session, old, new)
    return {"from_version_id": old.id, "to_version_id": new.id, "subscriptions": rows}


@route("POST /plan-migrations", WRITE, offers.PlanMigration, created=True)
def schedule_plan_migration(body: offers.MigrationRequest) -> Any:
    """Move every holder of a version onto a newer one at their next period; audited."""
    return migrations.schedule(db.session, *_versions(body))


@route("GET /plans/<int:plan_id>/migrations", READ, Listing[offers.PlanMigration])
def list_plan_migrations(plan: M.Plan) -> Any:
    """A plan's migrations, newest first."""
    return {"data": migrations.migrations(db.session, plan)}


@route("POST /plan-migrations/<int:migration_id>/cancel", WRITE, offers.PlanMigration)
def cancel_plan_migration(migration: M.PlanMigration) -> Any:
    """Call off the moves of a migration that have not happened yet."""
    migrations.cancel(db.session, migration)
    return migration
