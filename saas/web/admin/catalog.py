"""The offer designer: products, metrics and plans; a plan's page with its versions."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.periods import INTERVALS
from saas.catalog.specs import CatalogError, PlanSpec, code
from saas.db import db
from saas.errors import Term
from saas.subscriptions import migrations
from saas.subscriptions.models import ACTIVE, SUSPENDED, Subscription, SubscriptionAddOn
from saas.web.admin import bp
from saas.web.admin.catalog_forms import (
    BLANK_ALLOWANCE,
    BLANK_COMPONENT,
    EXAMPLES,
    allowance_row,
    charge_summary,
    component_row,
    label,
    options,
    plan_choices,
    quantity_text,
    scoped,
)
from saas.web.admin.forms import INVALID, refuse, text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say

PLAN_FIELDS = ("code", "name", "product", "kind", "payment", "tax_category", "billing_interval")
EDITOR = {
    "intervals": INTERVALS,
    # Written in Lago's key order (tojson would sort the keys), so examples read naturally.
    "examples": json.dumps(EXAMPLES),
    "tax_categories": M.TAX_CATEGORIES,
    "charge_summary": charge_summary,
    "quantity_text": quantity_text,
}


@bp.context_processor
def _catalog_labels() -> dict[str, Any]:
    return {"catalog_label": label}


def holder_counts() -> dict[int, int]:
    """Count the live subscriptions and add-ons on each version of the brand's catalogue."""
    live = Subscription.status.in_((ACTIVE, SUSPENDED))
    plans = select(Subscription.plan_version_id, func.count()).where(live)
    addons = select(SubscriptionAddOn.addon_version_id, func.count())
    addons = addons.where(SubscriptionAddOn.status == ACTIVE)
    counts: dict[int, int] = defaultdict(int)
    for query in (
        plans.group_by(Subscription.plan_version_id),
        addons.group_by(SubscriptionAddOn.addon_version_id),
    ):
        for version_id, count in db.session.execute(query):
            counts[version_id] += count
    return dict(counts)


def _new_plan_context() -> dict[str, Any]:
    return {**plan_choices(), **EDITOR}


def _plan_context(plan: M.Plan) -> dict[str, Any]:
    counts = holder_counts()
    published = plan.published
    return {
        "plan": plan,
        "counts": counts,
        "migrations": migrations.migrations(db.session, plan),
        # Migrations move subscriptions; an add-on's holders keep theirs until they remove it.
        "migration_from": [
            v
            for v in plan.versions
            if plan.kind == M.PLAN and v is not published and counts.get(v.id)
        ],
        "metrics": catalog.metrics(db.session),
        **EDITOR,
        **options(),
    }


def render_plan(
    plan: M.Plan,
    status: int = 200,
    components: list[dict[str, str]] | None = None,
    allowances: list[dict[str, str]] | None = None,
    interval: str | None = None,
) -> Any:
    """Show a plan's page; a draft's editor shows the given rows (what was typed) or its own."""
    draft = plan.draft
    if draft is not None and components is None:
        components = [component_row(c) for c in draft.components]
        allowances = [allowance_row(a) for a in draft.allowances]
    rows = (components or []) + [BLANK_COMPONENT]
    allowance_rows = (allowances or []) + [BLANK_ALLOWANCE]
    page = render_template(
        "admin/catalog/plan.html",
        component_rows=rows,
        allowance_rows=allowance_rows,
        interval=interval or (draft.billing_interval if draft else None),
        **_plan_context(plan),
    )
    return page, status


def refuse_plan(plan: M.Plan, problems: list[str], **rows: Any) -> Any:
    """Flash every problem and show the plan's page again with a 400."""
    for problem in problems:
        flash(problem, "error")
    return render_plan(plan, INVALID, **rows)


def _grouped(
    products: list[M.Product], plans: list[M.Plan]
) -> list[tuple[M.Product, list[M.Plan]]]:
    by_product: dict[int, list[M.Plan]] = defaultdict(list)
    for plan in plans:
        by_product[plan.product_id].append(plan)
    return [(p, by_product[p.id]) for p in products if by_product[p.id]]


def _home_context() -> dict[str, Any]:
    products = catalog.products(db.session)
    return {
        "groups": _grouped(products, catalog.plans(db.session)),
        "counts": holder_counts(),
        "metrics": catalog.metrics(db.session),
        "products": products,
    }


def _home_refused(problem: str) -> Any:
    return refuse([problem], "admin/catalog/index.html", **_home_context())


@bp.get("/catalog")
@brand_only
@staff_required("catalog.read")
def catalog_home() -> Any:
    """List plans and add-ons by product, with metrics and products."""
    return render_template("admin/catalog/index.html", form={}, **_home_context())


@bp.post("/catalog/products")
@brand_only
@staff_required("catalog.manage")
def catalog_product_create() -> Any:
    """Add a product that groups plans."""
    try:
        record = Term("record.product", code=text("product_code"))
        product_code = code(text("product_code"), record)
        made = catalog.create_product(
            db.session, product_code, text("product_name"), text("product_description")
        )
    except CatalogError as exc:
        return _home_refused(_("Product not created: %(error)s", error=say(exc)))
    db.session.commit()
    flash(_("Product %(name)s created.", name=made.name), "success")
    return redirect(url_for("admin.catalog_home"))


@bp.post("/catalog/metrics")
@brand_only
@staff_required("catalog.manage")
def catalog_metric_create() -> Any:
    """Add a usage metric that usage components and allowances can price."""
    try:
        metric_code = code(text("metric_code"), Term("record.metric", code=text("metric_code")))
        made = catalog.create_metric(
            db.session, metric_code, text("metric_name"), text("metric_unit")
        )
    except CatalogError as exc:
        return _home_refused(_("Metric not created: %(error)s", error=say(exc)))
    db.session.commit()
    flash(_("Metric %(code)s created.", code=made.code), "success")
    return redirect(url_for("admin.catalog_home"))


@bp.get("/catalog/plans/new")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_new() -> Any:
    """Show the form for a new plan or add-on."""
    return render_template("admin/catalog/plan_new.html", form={}, **_new_plan_context())


@bp.post("/catalog/plans/new")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_create() -> Any:
    """Create a plan with an empty draft first version, then open it."""
    # Fields left empty take the spec's defaults.
    data = {name: text(name) for name in (*PLAN_FIELDS, "description") if text(name)}
    try:
        plan = catalog.create_plan(db.session, PlanSpec.parse(data, g.tenant.currency))
    except CatalogError as exc:
        problem = _("Plan not created: %(error)s", error=say(exc))
        return refuse([problem], "admin/catalog/plan_new.html", **_new_plan_context())
    db.session.commit()
    flash(_("Plan %(name)s created with a draft version 1.", name=plan.name), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))


@bp.get("/catalog/plans/<int:plan_id>")
@brand_only
@staff_required("catalog.read")
def catalog_plan(plan_id: int) -> Any:
    """Show a plan: its facts, versions, draft editor and migrations."""
    plan = catalog.plan_by_id(db.session, plan_id)
    if plan is None:
        abort(404)
    return render_plan(plan)


@bp.post("/catalog/plans/<int:plan_id>")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_update(plan_id: int) -> Any:
    """Change a plan's name, description or tax category."""
    plan = scoped(M.Plan, plan_id)
    fields = {
        "name": text("name") or plan.name,
        "description": text("description"),
        "tax_category": text("tax_category"),
    }
    try:
        catalog.update_plan(db.session, plan, **fields)
    except CatalogError as exc:
        db.session.rollback()
        return refuse_plan(plan, [_("Plan not saved: %(error)s", error=say(exc))])
    db.session.commit()
    flash(_("Plan %(name)s saved.", name=plan.name), "success")
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
