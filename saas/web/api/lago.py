"""API endpoint importing a plan from a Lago plan object."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, url_for

from saas.catalog import lago
from saas.db import db, unit_of_work
from saas.web.api import bp, resources
from saas.web.api import catalog_inputs as inputs
from saas.web.api.auth import scope_required
from saas.web.api.inputs import json_object
from saas.web.api.records import refusals


@bp.post("/plans/import/lago")
@scope_required("catalog.write")
def import_lago_plan() -> Any:
    """Create a plan from a Lago plan, its prices in a draft version for the brand to check."""
    asked = inputs.lago_import(json_object())
    with refusals(), unit_of_work():
        row, read = lago.import_plan(
            db.session, asked.plan, asked.product, g.tenant.currency, **asked.overrides
        )
    location = url_for("api.plan", plan_id=row.id, _external=True)
    body = resources.plan(row) | {"not_carried": read.not_carried}
    return jsonify(body), 201, {"Location": location}
