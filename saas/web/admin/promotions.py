"""Promotions in the offer designer: list them, create one, switch one on or off."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError, PromotionSpec
from saas.db import db
from saas.errors import Term
from saas.web.admin import bp
from saas.web.admin.catalog_forms import local_time, scoped
from saas.web.admin.forms import refuse, text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say

FIELDS = (
    "code",
    "name",
    "kind",
    "value",
    "currency",
    "plan",
    "component",
    "duration",
    "cycles",
    "promo_code",
    "max_redemptions",
)
TIMES = ("valid_from", "valid_until")


def _context() -> dict[str, Any]:
    return {
        "promotions": catalog.promotions(db.session),
        "plans": catalog.plans(db.session),
        "kinds": ("percent", "fixed"),
        "durations": ("once", "repeating", "forever"),
    }


def _spec() -> PromotionSpec:
    """Read the form; times are typed in the brand's zone and stored in UTC."""
    # Fields left empty take the spec's defaults.
    data: dict[str, Any] = {name: text(name) for name in FIELDS if text(name)}
    if data.get("kind") != "fixed":
        data.pop("currency", None)  # the field is prefilled; only a fixed amount has a currency
    record = Term("record.promotion", code=str(data.get("code", "?")))
    for name in TIMES:
        data[name] = local_time(text(name), g.tenant.timezone, record, name)
    return PromotionSpec.parse(data)


@bp.get("/catalog/promotions")
@brand_only
@staff_required("catalog.read")
def promotions_list() -> Any:
    """List the brand's promotions with the form for a new one."""
    return render_template("admin/catalog/promotions.html", form={}, **_context())


@bp.post("/catalog/promotions")
@brand_only
@staff_required("catalog.manage")
def promotion_create() -> Any:
    """Create a promotion from the form."""
    try:
        promotion = catalog.create_promotion(db.session, _spec())
    except CatalogError as exc:
        db.session.rollback()
        problem = _("Promotion not created: %(error)s", error=say(exc))
        return refuse([problem], "admin/catalog/promotions.html", **_context())
    db.session.commit()
    flash(_("Promotion %(name)s created.", name=promotion.name), "success")
    return redirect(url_for("admin.promotions_list"))


def _switch(promotion_id: int, active: bool) -> Any:
    promotion = scoped(M.Promotion, promotion_id)
    catalog.set_promotion_active(db.session, promotion, active)
    db.session.commit()
    if active:
        flash(_("Promotion %(name)s is active.", name=promotion.name), "success")
    else:
        flash(_("Promotion %(name)s is inactive.", name=promotion.name), "success")
    return redirect(url_for("admin.promotions_list"))


@bp.post("/catalog/promotions/<int:promotion_id>/activate")
@brand_only
@staff_required("catalog.manage")
def promotion_activate(promotion_id: int) -> Any:
    """Let a promotion be redeemed again."""
    return _switch(promotion_id, True)


@bp.post("/catalog/promotions/<int:promotion_id>/deactivate")
@brand_only
@staff_required("catalog.manage")
def promotion_deactivate(promotion_id: int) -> Any:
    """Stop a promotion being redeemed; redemptions already made stay."""
    return _switch(promotion_id, False)
