"""API endpoints of the catalogue and the pricing quote."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from saas.catalog import models as M
from saas.catalog import pricing
from saas.catalog import services as catalog
from saas.db import db, unit_of_work
from saas.subscriptions import migrations
from saas.web.api import bp, resources
from saas.web.api import catalog_inputs as inputs
from saas.web.api.auth import scope_required
from saas.web.api.inputs import choice_parameter, json_object
from saas.web.api.pagination import envelope, page_request, paginate
from saas.web.api.records import found, refusals

READ, WRITE = "catalog.read", "catalog.write"


@bp.post("/pricing/quote")
@scope_required(READ)
def pricing_quote() -> Any:
    """Price usage under a Lago charge, exactly as `saas pricing quote` does."""
    asked = inputs.quote_request(json_object())
    try:
        result = pricing.quote(
            asked.charge, asked.units, events=asked.events, transactions=asked.transactions
        )
    except pricing.ChargeError as exc:
        raise inputs.engine_failure(exc) from None
    return jsonify(result.to_json(asked.currency))


# Metrics and products


@bp.get("/metrics")
@scope_required(READ)
def metrics() -> Any:
    """List the brand's usage metrics, oldest first."""
    rows, cursor = paginate(db.session, select(M.Metric), M.Metric.id, page_request(request.args))
    return jsonify(envelope([resources.metric(m) for m in rows], cursor))


@bp.post("/metrics")
@scope_required(WRITE)
def create_metric() -> Any:
    """Add a usage metric that plans can price and include."""
    fields = inputs.metric(json_object())
    with refusals(), unit_of_work():
        row = catalog.create_metric(db.session, **fields)
    return jsonify(resources.metric(row)), 201


@bp.get("/products")
@scope_required(READ)
def products() -> Any:
    """List the brand's products, oldest first."""
    stmt = select(M.Product)
    rows, cursor = paginate(db.session, stmt, M.Product.id, page_request(request.args))
    return jsonify(envelope([resources.product(p) for p in rows], cursor))


# Plans


def _plan(plan_id: int) -> M.Plan:
    return found(M.Plan, plan_id, "plan")


def _version(version_id: int) -> M.PlanVersion:
    return found(M.PlanVersion, version_id, "plan version")


@bp.get("/plans")
@scope_required(READ)
def plans() -> Any:
    """List plans and add-ons with their versions, oldest first, optionally of one kind."""
    page = page_request(request.args)
    kind = choice_parameter(request.args, "kind", (M.PLAN, M.ADDON))
    # Each version shows its plan, which would otherwise be fetched once per plan.
    stmt = select(M.Plan).options(
        selectinload(M.Plan.product),
        selectinload(M.Plan.versions).options(
            selectinload(M.PlanVersion.plan),
            selectinload(M.PlanVersion.components),
            selectinload(M.PlanVersion.allowances),
        ),
    )
    if kind:
        stmt = stmt.filter_by(kind=kind)
    rows, cursor = paginate(db.session, stmt, M.Plan.id, page)
    return jsonify(envelope([resources.plan(p) for p in rows], cursor))


@bp.get("/plans/<int:plan_id>")
@scope_required(READ)
def plan(plan_id: int) -> Any:
    """Show a plan with every version, its components and allowances."""
    return jsonify(resources.plan(_plan(plan_id)))


@bp.post("/plans")
@scope_required(WRITE)
def create_plan() -> Any:
    """Create a plan or add-on whose first version is a draft holding the given prices."""
    spec = inputs.plan_spec(json_object(), g.tenant.currency)
    with refusals(), unit_of_work():
        row = catalog.create_plan(db.session, spec)
    location = url_for("api.plan", plan_id=row.id, _external=True)
    return jsonify(resources.plan(row)), 201, {"Location": location}


@bp.patch("/plans/<int:plan_id>")
@scope_required(WRITE)
def update_plan(plan_id: int) -> Any:
    """Change a plan's name, description or tax category; prices change through versions."""
    row = _plan(plan_id)
    fields = inputs.plan_changes(json_object())
    with refusals(), unit_of_work():
        catalog.update_plan(db.session, row, **fields)
    return jsonify(resources.plan(row))


@bp.post("/plans/<int:plan_id>/versions")
@scope_required(WRITE)
def new_version(plan_id: int) -> Any:
    """Start a new draft version, a copy of the newest one."""
    row = _plan(plan_id)
    with refusals(), unit_of_work():
        draft = catalog.new_draft(db.session, row)
    location = url_for("api.plan_version", version_id=draft.id, _external=True)
    return jsonify(resources.plan_version(draft)), 201, {"Location": location}


@bp.get("/plan-versions/<int:version_id>")
@scope_required(READ)
def plan_version(version_id: int) -> Any:
    """Show one version of a plan with its components and allowances."""
    return jsonify(resources.plan_version(_version(version_id)))


@bp.put("/plan-versions/<int:version_id>")
@scope_required(WRITE)
def replace_version(version_id: int) -> Any:
    """Replace a draft's components, allowances and billing interval."""
    version = _version(version_id)
    components, allowances, interval = inputs.version_contents(json_object())
    with refusals(), unit_of_work():
        catalog.set_contents(db.session, version, components, allowances, interval)
    return jsonify(resources.plan_version(version))


@bp.post("/plan-versions/<int:version_id>/publish")
@scope_required(WRITE)
def publish_version(version_id: int) -> Any:
    """Sell a draft from now on; the version sold before is archived, its holders keep it."""
    version = _version(version_id)
    with refusals(), unit_of_work():
        catalog.publish(db.session, version)
    return jsonify(resources.plan_version(version))


@bp.post("/plan-versions/<int:version_id>/archive")
@scope_required(WRITE)
def archive_version(version_id: int) -> Any:
    """Stop selling a version; its holders keep it."""
    version = _version(version_id)
    with refusals(), unit_of_work():
        catalog.archive(db.session, version)
    return jsonify(resources.plan_version(version))


@bp.delete("/plan-versions/<int:version_id>")
@scope_required(WRITE)
def discard_version(version_id: int) -> Any:
    """Delete a draft that was never published."""
    version = _version(version_id)
    with refusals(), unit_of_work():
        catalog.discard_draft(db.session, version)
    return "", 204


# Promotions


@bp.get("/promotions")
@scope_required(READ)
def promotions() -> Any:
    """List the brand's promotions, newest first."""
    page = page_request(request.args)
    stmt = select(M.Promotion).options(selectinload(M.Promotion.plan))
    rows, cursor = paginate(db.session, stmt, M.Promotion.id, page, True)
    return jsonify(envelope([resources.promotion(p) for p in rows], cursor))


@bp.post("/promotions")
@scope_required(WRITE)
def create_promotion() -> Any:
    """Add a promotion, optionally for one plan and behind a promo code."""
    spec = inputs.promotion_spec(json_object())
    with refusals(), unit_of_work():
        row = catalog.create_promotion(db.session, spec)
    return jsonify(resources.promotion(row)), 201


@bp.patch("/promotions/<int:promotion_id>")
@scope_required(WRITE)
def update_promotion(promotion_id: int) -> Any:
    """Switch a promotion on or off; redemptions already made stay."""
    row = found(M.Promotion, promotion_id, "promotion")
    active = inputs.activity(json_object())
    with unit_of_work():
        catalog.set_promotion_active(db.session, row, active)
    return jsonify(resources.promotion(row))


# Migrations: the end of grandfathering, previewed first


def _migration_versions() -> tuple[M.PlanVersion, M.PlanVersion]:
    from_id, to_id = inputs.migration(json_object())
    return _version(from_id), _version(to_id)


@bp.post("/plan-migrations/preview")
@scope_required(READ)
def preview_migration() -> Any:
    """List who a migration would move, when, and at what price; nothing is written."""
    old, new = _migration_versions()
    with refusals():
        rows = migrations.preview(db.session, old, new)
    body = {"from_version_id": old.id, "to_version_id": new.id}
    return jsonify(body | {"subscriptions": [resources.migration_row(r) for r in rows]})


@bp.post("/plan-migrations")
@scope_required(WRITE)
def schedule_migration() -> Any:
    """Move every holder of a version onto a newer one at their next period; audited."""
    old, new = _migration_versions()
    with refusals(), unit_of_work():
        row = migrations.schedule(db.session, old, new)
    return jsonify(resources.migration(row)), 201


@bp.get("/plans/<int:plan_id>/migrations")
@scope_required(READ)
def plan_migrations(plan_id: int) -> Any:
    """List a plan's migrations, newest first."""
    rows = migrations.migrations(db.session, _plan(plan_id))
    return jsonify({"data": [resources.migration(m) for m in rows]})


@bp.post("/plan-migrations/<int:migration_id>/cancel")
@scope_required(WRITE)
def cancel_migration(migration_id: int) -> Any:
    """Call off the moves of a migration that have not happened yet."""
    row = found(M.PlanMigration, migration_id, "plan migration")
    with refusals(), unit_of_work():
        migrations.cancel(db.session, row)
    return jsonify(resources.migration(row))
