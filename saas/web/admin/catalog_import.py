"""Import a plan from Lago: its plan object pasted, its prices read into a draft to check."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from saas.catalog import lago
from saas.catalog import models as M
from saas.catalog.specs import CatalogError
from saas.db import db
from saas.errors import Term
from saas.web.admin import bp
from saas.web.admin.catalog_forms import exact_json, plan_choices
from saas.web.admin.forms import refuse, text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import json_problem, say

TEMPLATE = "admin/catalog/import.html"
CHOSEN = ("kind", "payment")


def _refused(problem: str) -> Any:
    return refuse([problem], TEMPLATE, **plan_choices())


def _pasted() -> Any:
    """Read the pasted Lago plan; numbers stay exact, as in the designer's properties."""
    # Not trimmed, so the line and column of an error match what the person sees.
    return exact_json(request.form.get("lago_json", ""))


def _imported(plan: M.Plan, not_carried: list[Term | str]) -> None:
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
    return render_template(TEMPLATE, form={}, **plan_choices())


@bp.post("/catalog/plans/import")
@brand_only
@staff_required("catalog.manage")
def catalog_plan_import_create() -> Any:
    """Create a plan from a pasted Lago plan with its prices in a draft version 1."""
    try:
        pasted = _pasted()
    except json.JSONDecodeError as exc:
        return _refused(
            _(
                "The Lago plan is not valid JSON: %(error)s (line %(line)d, column %(column)d).",
                error=say(json_problem(exc)),
                line=exc.lineno,
                column=exc.colno,
            )
        )
    # Choices left empty take the spec's defaults.
    chosen = {name: text(name) for name in CHOSEN if text(name)}
    try:
        plan, read = lago.import_plan(
            db.session, pasted, text("product"), g.tenant.currency, **chosen
        )
    except CatalogError as exc:
        db.session.rollback()
        return _refused(_("Plan not imported: %(error)s", error=say(exc)))
    db.session.commit()
    _imported(plan, read.notes)
    return redirect(url_for("admin.catalog_plan", plan_id=plan.id))
