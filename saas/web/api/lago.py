"""API endpoint importing a plan from a Lago plan object."""

from __future__ import annotations

from typing import Any

from flask import g, url_for

from saas.catalog import lago
from saas.db import db
from saas.web.api.contract import route
from saas.web.api.models import offers
from saas.web.api.records import changes

WRITE = "catalog.write"


@route(
    "POST /plans/import/lago", WRITE, offers.ImportedPlan, body=offers.LagoPlanImport, created=True
)
def import_lago_plan(body: offers.LagoPlanImport) -> Any:
    """Create a plan from a Lago plan, its prices in a draft version for the brand to check."""
    overrides = body.model_dump(include={"kind", "payment"})
    with changes():
        row, read = lago.import_plan(
            db.session, body.plan.model_dump(), body.product, g.tenant.currency, **overrides
        )
    location = url_for("api.get_plan", plan_id=row.id, _external=True)
    return offers.ImportedPlan.of_plan(row, not_carried=read.not_carried), {"Location": location}
