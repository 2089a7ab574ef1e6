"""A plan's versions in the offer designer: edit the draft, publish, archive, discard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError
from saas.db import db, unit_of_work
from saas.web.admin import bp
from saas.web.admin.catalog import refuse_plan, render_plan
from saas.web.admin.catalog_forms import DraftForm
from saas.web.admin.forms import INVALID, scoped
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell

NOT_DONE = _l("Not done: %(error)s")


def _version(version_id: int) -> M.PlanVersion:
    return scoped(M.PlanVersion, version_id)


def _back(version: M.PlanVersion) -> Any:
    return redirect(url_for("admin.catalog_plan", plan_id=version.plan_id))


@bp.post("/catalog/versions/<int:version_id>/contents")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_save(version_id: int) -> Any:
    """Replace a draft's components, allowances and billing interval with what was typed."""
    version, form = _version(version_id), DraftForm()
    if form.validate():
        components, allowances = form.specs()
        try:
            with unit_of_work():
                interval = form.interval.data or None
                catalog.set_contents(db.session, version, components, allowances, interval)
        except CatalogError as exc:
            refuse(form, exc)
        else:
            flash(_("Draft version %(number)d saved.", number=version.number), "success")
            return _back(version)
    tell(form, _l("Draft not saved: %(error)s"))
    return render_plan(version.plan, INVALID, draft=form.with_blank_rows())


def _act(version: M.PlanVersion, action: Callable[..., Any], done: str) -> Any:
    """Run one version action; a refusal is flashed on the plan's page."""
    plan_id = version.plan_id  # read first: a discarded draft is gone after the commit
    try:
        with unit_of_work():
            action(db.session, version)
    except CatalogError as exc:
        return refuse_plan(version.plan, NOT_DONE, exc)
    flash(done, "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan_id))


@bp.post("/catalog/versions/<int:version_id>/publish")
@brand_only
@staff_required("catalog.manage")
def catalog_version_publish(version_id: int) -> Any:
    """Publish a draft: new subscribers get it; the version sold before is archived."""
    version = _version(version_id)
    done = _("Version %(number)d is published.", number=version.number)
    return _act(version, catalog.publish, done)


@bp.post("/catalog/versions/<int:version_id>/archive")
@brand_only
@staff_required("catalog.manage")
def catalog_version_archive(version_id: int) -> Any:
    """Stop selling a version; its holders keep it."""
    version = _version(version_id)
    done = _("Version %(number)d is archived.", number=version.number)
    return _act(version, catalog.archive, done)


@bp.post("/catalog/versions/<int:version_id>/discard")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_discard(version_id: int) -> Any:
    """Delete a draft that was never published."""
    version = _version(version_id)
    done = _("Draft version %(number)d discarded.", number=version.number)
    return _act(version, catalog.discard_draft, done)


@bp.post("/catalog/plans/<int:plan_id>/drafts")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_new(plan_id: int) -> Any:
    """Start a new draft as a copy of the newest version."""
    plan = scoped(M.Plan, plan_id)
    try:
        with unit_of_work():
            draft = catalog.new_draft(db.session, plan)
    except CatalogError as exc:
        return refuse_plan(plan, NOT_DONE, exc)
    flash(_("Draft version %(number)d started.", number=draft.number), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
