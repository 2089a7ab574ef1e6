"""A plan's versions in the offer designer: edit the draft, publish, archive, discard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import AllowanceSpec, CatalogError, ComponentSpec
from saas.db import db
from saas.web.admin import bp
from saas.web.admin.catalog import refuse_plan
from saas.web.admin.catalog_forms import allowance_data, component_data, rows, scoped
from saas.web.admin.forms import text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say


def _version(version_id: int) -> M.PlanVersion:
    return scoped(M.PlanVersion, version_id)


def _back(version: M.PlanVersion) -> Any:
    return redirect(url_for("admin.catalog_plan", plan_id=version.plan_id))


def _parsed(
    typed: list[dict[str, str]], read: Callable[[dict[str, str]], Any], problems: list[str]
) -> list[Any]:
    """Parse every row, collecting each row's error instead of stopping at the first."""
    specs = []
    for row in typed:
        try:
            specs.append(read(row))
        except CatalogError as exc:
            problems.append(say(exc))
    return specs


def _component(row: dict[str, str]) -> ComponentSpec:
    return ComponentSpec.parse(component_data(row))


def _allowance(row: dict[str, str]) -> AllowanceSpec:
    return AllowanceSpec.parse(allowance_data(row))


@bp.post("/catalog/versions/<int:version_id>/contents")
@brand_only
@staff_required("catalog.manage")
def catalog_draft_save(version_id: int) -> Any:
    """Replace a draft's components, allowances and billing interval with what was typed."""
    version = _version(version_id)
    components = [r for r in rows(request.form, "components") if r.get("code")]
    allowances = [r for r in rows(request.form, "allowances") if r.get("metric")]
    typed = {"components": components, "allowances": allowances, "interval": text("interval")}
    problems: list[str] = []
    component_specs = _parsed(components, _component, problems)
    allowance_specs = _parsed(allowances, _allowance, problems)
    if not problems:
        try:
            catalog.set_contents(
                db.session, version, component_specs, allowance_specs, text("interval") or None
            )
        except CatalogError as exc:
            db.session.rollback()
            problems.append(say(exc))
    if problems:
        messages = [_("Draft not saved: %(error)s", error=p) for p in problems]
        return refuse_plan(version.plan, messages, **typed)
    db.session.commit()
    flash(_("Draft version %(number)d saved.", number=version.number), "success")
    return _back(version)


def _act(version: M.PlanVersion, action: Callable[..., Any], done: str) -> Any:
    """Run one version action; a refusal is flashed on the plan's page."""
    plan_id = version.plan_id  # read first: a discarded draft is gone after the commit
    try:
        action(db.session, version)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(version.plan, [_("Not done: %(error)s", error=say(exc))])
    db.session.commit()
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
        draft = catalog.new_draft(db.session, plan)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(plan, [_("Not done: %(error)s", error=say(exc))])
    db.session.commit()
    flash(_("Draft version %(number)d started.", number=draft.number), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
