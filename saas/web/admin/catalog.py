"""The offer designer: products, metrics and plans; a plan's page with its versions."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError, PlanSpec
from saas.db import db, unit_of_work
from saas.subscriptions import migrations
from saas.subscriptions.models import ACTIVE, SUSPENDED, Subscription, SubscriptionAddOn
from saas.web.admin import bp
from saas.web.admin.catalog_charges import MODEL_FIELDS, WHOLE
from saas.web.admin.catalog_drafts import draft_form, row_template, tier_template
from saas.web.admin.catalog_forms import (
    AllowanceForm,
    ComponentForm,
    DraftForm,
    MetricForm,
    PlanFactsForm,
    PlanForm,
    ProductForm,
)
from saas.web.admin.catalog_text import (
    EXAMPLES,
    charge_summary,
    label,
    model_label,
    quantity_text,
)
from saas.web.admin.catalog_tiers import RANGE_KEYS
from saas.web.admin.forms import INVALID, scoped
from saas.web.admin.migration_forms import MigrationForm
from saas.web.auth import brand_only, staff_required
from saas.web.fields import locale, write_number
from saas.web.forms import message, refuse, saved, tell

EDITOR = {
    # Written in Lago's key order (tojson would sort the keys), so examples read naturally.
    "examples": json.dumps(EXAMPLES),
    "charge_summary": charge_summary,
    "model_label": model_label,
    "quantity_text": quantity_text,
    "tier_template": tier_template,
}
EXAMPLE_AMOUNT = Decimal("9.99")
EXAMPLE_PRICE, EXAMPLE_RATE = Decimal("0.002"), Decimal("2.5")
EXAMPLE_EVENTS = (Decimal("10"), Decimal("20.5"))
# Product and metric forms name the code and name by what they create.
PRODUCT_NAMES = {"code": "product_code", "name": "product_name"}
METRIC_NAMES = {"code": "metric_code", "name": "metric_name", "unit": "metric_unit"}
PLAN_NAMES = {"product_code": "product"}


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
        "example_amount": write_number(EXAMPLE_AMOUNT),
        "example_price": write_number(EXAMPLE_PRICE),
        "example_rate": write_number(EXAMPLE_RATE),
        "example_amounts": "; ".join(write_number(amount) for amount in EXAMPLE_EVENTS),
        "decimal_sign": get_decimal_symbol(locale()),
        "range_keys": RANGE_KEYS,
        "model_fields": MODEL_FIELDS,
        "whole_fields": sorted(WHOLE),
        **EDITOR,
    }


def render_plan(
    plan: M.Plan,
    status: int = 200,
    *,
    draft: DraftForm | None = None,
    facts: PlanFactsForm | None = None,
    migration: MigrationForm | None = None,
) -> Any:
    """Show a plan's page; a refused form shows again as it was typed, with its errors."""
    if draft is None and plan.draft is not None:
        draft = draft_form(plan.draft)
    context = _plan_context(plan)
    if migration is None:
        first = next(iter(context["migration_from"]), None)
        migration = MigrationForm.offered(plan, context["counts"], first)
    page = render_template(
        "admin/catalog/plan.html",
        draft_form=draft,
        facts_form=facts or PlanFactsForm.shown(plan),
        component_template=row_template(ComponentForm, "components"),
        allowance_template=row_template(AllowanceForm, "allowances"),
        migration_form=migration,
        **context,
    )
    return page, status


def refuse_plan(plan: M.Plan, headline: Any, exc: Exception) -> Any:
    """Flash why an action on the plan's page was refused and show the page again with a 400."""
    flash(headline % {"error": message(exc)}, "error")
    return render_plan(plan, INVALID)


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


def _home(
    status: int = 200, product: ProductForm | None = None, metric: MetricForm | None = None
) -> Any:
    return render_template(
        "admin/catalog/index.html",
        product_form=product or ProductForm(formdata=None),
        metric_form=metric or MetricForm(formdata=None),
        **_home_context(),
    ), status


def _new_plan_page(form: PlanForm, status: int = 200) -> Any:
    return render_template(
        "admin/catalog/plan_new.html", form=form, products=form.product.choices
    ), status


@bp.get("/catalog")
@brand_only
@staff_required("catalog.read")
def catalog_home() -> Any:
    """List plans and add-ons by product, with metrics and products."""
    return _home()


@bp.post("/catalog/products")
@brand_only
@staff_required("catalog.manage")
def catalog_product_create() -> Any:
    """Add a product that groups plans."""
    form = ProductForm()
    made = saved(
        form,
        lambda: catalog.create_product(
            db.session,
            form.product_code.data,
            form.product_name.data,
            form.product_description.data,
        ),
        PRODUCT_NAMES,
    )
    if made is not None:
        flash(_("Product %(name)s created.", name=made.name), "success")
        return redirect(url_for("admin.catalog_home"))
    tell(form, _l("Product not created: %(error)s"))
    return _home(INVALID, product=form)


@bp.post("/catalog/metrics")
@brand_only
@staff_required("catalog.manage")
def catalog_metric_create() -> Any:
    """Add a usage metric that usage components and allowances can price."""
    form = MetricForm()
    made = saved(
        form,
        lambda: catalog.create_metric(
            db.session,
            form.metric_code.data,
            form.metric_name.data,
            form.metric_unit.data,
            zone=form.metric_zone.data or None,
        ),
        METRIC_NAMES,
    )
    if made is not None:
        flash(_("Metric %(code)s created.", code=made.code), "success")
        return redirect(url_for("admin.catalog_home"))
    tell(form, _l("Metric not created: %(error)s"))
    return _home(INVALID, metric=form)


@bp.get("/catalog/plans/new")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_new() -> Any:
    """Show the form for a new plan or add-on."""
    return _new_plan_page(PlanForm(formdata=None))


@bp.post("/catalog/plans/new")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_create() -> Any:
    """Create a plan with an empty draft first version, then open it."""
    form = PlanForm()
    if form.validate():
        try:
            with unit_of_work():
                spec = PlanSpec.parse(form.spec_data(), g.tenant.currency)
                plan = catalog.create_plan(db.session, spec)
        except CatalogError as exc:
            refuse(form, exc, PLAN_NAMES)
        else:
            flash(_("Plan %(name)s created with a draft version 1.", name=plan.name), "success")
            return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
    tell(form, _l("Plan not created: %(error)s"))
    return _new_plan_page(form, INVALID)


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
    plan, form = scoped(M.Plan, plan_id), PlanFactsForm()
    if form.validate():
        try:
            with unit_of_work():
                catalog.update_plan(db.session, plan, **form.changes(plan))
        except CatalogError as exc:
            refuse(form, exc)
        else:
            flash(_("Plan %(name)s saved.", name=plan.name), "success")
            return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
    tell(form, _l("Plan not saved: %(error)s"))
    return render_plan(plan, INVALID, facts=form)
