"""Grandfathering ends only on purpose: preview a version's holders moving, schedule, cancel."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.db import db, row_id, unit_of_work
from saas.subscriptions import migrations
from saas.subscriptions.services import SubscriptionError
from saas.web.admin import bp
from saas.web.admin.catalog import refuse_plan, render_plan
from saas.web.admin.forms import INVALID, scoped
from saas.web.admin.migration_forms import MigrationForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import tell

NO_MIGRATION = _l("No migration: %(error)s")


def _asked(plan: M.Plan, values: Any) -> MigrationForm:
    """The migration form as sent; a value no row can have as its id answers 404, like a path."""
    if any(row_id(values.get(name, "")) is None for name in ("from", "to")):
        abort(404)
    return MigrationForm(plan, formdata=values)


@bp.get("/catalog/plans/<int:plan_id>/migrations/preview")
@brand_only
@staff_required("catalog.read")
def catalog_migration_preview(plan_id: int) -> Any:
    """Show who a migration would move, when, and their price before and after."""
    plan = scoped(M.Plan, plan_id)
    form = _asked(plan, request.args)
    if not form.validate():
        tell(form, NO_MIGRATION)
        return render_plan(plan, INVALID, migration=form)
    source, target = form.versions()
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
    form = _asked(plan, request.form)
    if not form.validate():
        abort(404)  # sent hidden from the preview: a version not of this plan is none to move
    source, target = form.versions()
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
