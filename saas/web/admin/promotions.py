"""Promotions in the offer designer: list them, create one, switch one on or off."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import PromotionSpec
from saas.db import db, unit_of_work
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, scoped
from saas.web.admin.promotion_forms import PromotionForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import saved, tell

# The domain names the plan and component by their codes; the form by what they are.
NAMES = {"plan_code": "plan", "component_code": "component"}


def _page(form: PromotionForm, status: int = 200) -> Any:
    return render_template(
        "admin/catalog/promotions.html",
        form=form,
        promotions=catalog.promotions(db.session),
    ), status


@bp.get("/catalog/promotions")
@brand_only
@staff_required("catalog.read")
def promotions_list() -> Any:
    """List the brand's promotions with the form for a new one."""
    return _page(PromotionForm(formdata=None, data={"currency": g.tenant.currency}))


@bp.post("/catalog/promotions")
@brand_only
@staff_required("catalog.manage")
def promotion_create() -> Any:
    """Create a promotion from the form."""
    form = PromotionForm()
    promotion = saved(
        form,
        lambda: catalog.create_promotion(db.session, PromotionSpec.parse(form.spec_data())),
        NAMES,
    )
    if promotion is not None:
        flash(_("Promotion %(name)s created.", name=promotion.name), "success")
        return redirect(url_for("admin.promotions_list"))
    tell(form, _l("Promotion not created: %(error)s"))
    return _page(form, INVALID)


def _switch(promotion_id: int, active: bool) -> Any:
    promotion = scoped(M.Promotion, promotion_id)
    with unit_of_work():
        catalog.set_promotion_active(db.session, promotion, active)
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
