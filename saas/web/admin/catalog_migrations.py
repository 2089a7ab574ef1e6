"""Grandfathering ends only on purpose: preview a version's holders moving, schedule, cancel."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.db import db, unit_of_work
from saas.subscriptions import migrations
from saas.subscriptions.services import SubscriptionError
from saas.web.admin import bp
from saas.web.admin.catalog import refuse_plan
from saas.web.admin.forms import scoped
from saas.web.auth import brand_only, staff_required
from saas.web.routing import MAX_ROW_ID

ID_DIGITS = len(str(MAX_ROW_ID))
NO_MIGRATION = _l("No migration: %(error)s")


def _version_of(plan: M.Plan, raw: str | None) -> M.PlanVersion:
    """Load a version of this plan from a form value; any other id answers 404."""
    # str.isdigit alone accepts characters such as "²" that int() refuses; bound it like paths.
    raw = raw or ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= ID_DIGITS) or int(raw) > MAX_ROW_ID:
        abort(404)
    version = scoped(M.PlanVersion, int(raw))
    if version.plan_id != plan.id:
        abort(404)
    return version


def _pair(plan: M.Plan, values: Any) -> tuple[M.PlanVersion, M.PlanVersion]:
    return _version_of(plan, values.get("from")), _version_of(plan, values.get("to"))


@bp.get("/catalog/plans/<int:plan_id>/migrations/preview")
@brand_only
@staff_required("catalog.read")
def catalog_migration_preview(plan_id: int) -> Any:
    """Show who a migration would move, when, and their price before and after."""
    plan = scoped(M.Plan, plan_id)
    source, target = _pair(plan, request.args)
    try:
        preview = migrations.preview(db.session, source, target)
    except SubscriptionError as exc:
        return refuse_plan(plan, NO_MIGRATION, exc)
    return render_template(
        "admin/catalog/migration_preview.html",
        plan=plan,
        source=source,
        target=target,
        rows=preview,
        day=format_date,
    )


@bp.post("/catalog/plans/<int:plan_id>/migrations")
@brand_only
@staff_required("catalog.manage")
def catalog_migration_schedule(plan_id: int) -> Any:
    """Schedule every holder's move at the start of their next period."""
    plan = scoped(M.Plan, plan_id)
    source, target = _pair(plan, request.form)
    try:
        with unit_of_work():
            migration = migrations.schedule(db.session, source, target)
    except SubscriptionError as exc:
        return refuse_plan(plan, NO_MIGRATION, exc)
    flash(
        _(
            "Migration from version %(source)d to %(target)d scheduled; subscriptions that "
            "move: %(count)d.",
            source=source.number,
            target=target.number,
            count=migration.affected,
        ),
        "success",
    )
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))


@bp.post("/catalog/migrations/<int:migration_id>/cancel")
@brand_only
@staff_required("catalog.manage")
def catalog_migration_cancel(migration_id: int) -> Any:
    """Call off the moves of a scheduled migration that have not happened yet."""
    migration = scoped(M.PlanMigration, migration_id)
    plan = migration.from_version.plan
    try:
        with unit_of_work():
            revoked = migrations.cancel(db.session, migration)
    except SubscriptionError as exc:
        return refuse_plan(plan, _l("Not done: %(error)s"), exc)
    flash(_("Migration cancelled; moves called off: %(count)d.", count=revoked), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
