"""Import a plan from Lago: its plan object pasted, its prices read into a draft to check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import lago
from saas.catalog import models as M
from saas.catalog.specs import CatalogError
from saas.db import db, unit_of_work
from saas.errors import Term
from saas.web.admin import bp
from saas.web.admin.catalog_forms import LagoImportForm
from saas.web.admin.forms import INVALID
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell
from saas.web.refusals import say

TEMPLATE = "admin/catalog/import.html"


def _page(form: LagoImportForm, status: int = 200) -> Any:
    return render_template(TEMPLATE, form=form, products=form.product.choices), status


def _imported(plan: M.Plan, not_carried: Sequence[Term | str]) -> None:
    flash(
        _(
            "Plan %(name)s imported from Lago as draft version 1: check its prices, then publish.",
            name=plan.name,
        ),
        "success",
    )
    if not_carried:
        items = ", ".join(say(note) for note in not_carried)
        flash(_("Not carried from Lago: %(items)s.", items=items), "warning")


@bp.get("/catalog/plans/import")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_import() -> Any:
    """Show the form for pasting a Lago plan."""
    return _page(LagoImportForm(formdata=None))


@bp.post("/catalog/plans/import")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_import_create() -> Any:
    """Create a plan from a pasted Lago plan with its prices in a draft version 1."""
    form = LagoImportForm()
    if form.validate():
        chosen = {"kind": form.kind.data, "payment": form.payment.data}
        try:
            with unit_of_work():
                plan, read = lago.import_plan(
                    db.session, form.pasted, form.product.data, g.tenant.currency, **chosen
                )
        except CatalogError as exc:
            refuse(form, exc)
        else:
            _imported(plan, read.not_carried)
            return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
    tell(form, _l("Plan not imported: %(error)s"))
    return _page(form, INVALID)
