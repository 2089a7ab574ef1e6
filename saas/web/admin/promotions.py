"""Promotions in the offer designer: list, create, show, edit, end, switch on or off."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.catalog.specs import CatalogError, PromotionSpec
from saas.db import db, unit_of_work, utcnow
from saas.errors import Term
from saas.subscriptions.holders import took_promotion
from saas.web import subscription_labels as labels
from saas.web.admin import bp
from saas.web.admin import promotion_text as words
from saas.web.admin.forms import INVALID, scoped
from saas.web.admin.promotion_forms import PromotionForm, PromotionTerms, edit_data
from saas.web.auth import brand_only, staff_required
from saas.web.forms import message, saved, tell

# The domain names the plan and component by their codes; the form by what they are.
NAMES = {"plan_code": "plan", "component_code": "component"}


def _page(form: PromotionForm, status: int = 200) -> Any:
    return render_template(
        "admin/catalog/promotions.html",
        form=form,
        promotions=catalog.promotions(db.session),
        now=utcnow(),
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


def _promotion(promotion_id: int) -> M.Promotion:
    promotion = catalog.promotion_by_id(db.session, promotion_id)
    if promotion is None:
        abort(404)
    return promotion


@bp.get("/catalog/promotions/<int:promotion_id>")
@brand_only
@staff_required("catalog.read")
def promotion_detail(promotion_id: int) -> Any:
    """A promotion in words, and the subscriptions that took it."""
    promotion = _promotion(promotion_id)
    return render_template(
        "admin/catalog/promotion.html",
        promotion=promotion,
        discount=words.discount_words(promotion),
        ended=words.ended(promotion, utcnow()),
        holders=took_promotion(db.session, promotion),
        status_name=lambda key: labels.named(labels.STATUSES, key),
    )


def _edit_page(promotion: M.Promotion, form: PromotionTerms, status: int = 200) -> Any:
    return render_template(
        "admin/catalog/promotion_edit.html", promotion=promotion, form=form
    ), status


def _redeemed(promotion: M.Promotion) -> Any:
    refusal = CatalogError(
        "catalog.promotion_redeemed", Term("record.promotion", code=promotion.code)
    )
    flash(message(refusal), "error")
    return redirect(url_for("admin.promotion_detail", promotion_id=promotion.id))


@bp.get("/catalog/promotions/<int:promotion_id>/edit")
@brand_only
@staff_required("catalog.manage")
def promotion_edit(promotion_id: int) -> Any:
    """The form to change a promotion nobody has redeemed yet."""
    promotion = _promotion(promotion_id)
    if promotion.redemptions:
        return _redeemed(promotion)
    return _edit_page(promotion, PromotionTerms(formdata=None, data=edit_data(promotion)))


@bp.post("/catalog/promotions/<int:promotion_id>/edit")
@brand_only
@staff_required("catalog.manage")
def promotion_update(promotion_id: int) -> Any:
    """Save the changes to a promotion; once redeemed, it is refused."""
    promotion = _promotion(promotion_id)
    form = PromotionTerms()
    done = saved(
        form,
        lambda: catalog.edit_promotion(
            db.session, promotion, catalog.edited(promotion, form.changes(promotion.kind))
        ),
        NAMES,
    )
    if done is not None:
        flash(_("Promotion %(name)s saved.", name=promotion.name), "success")
        return redirect(url_for("admin.promotion_detail", promotion_id=promotion.id))
    tell(form, _l("Promotion not saved: %(error)s"))
    return _edit_page(promotion, form, INVALID)


@bp.post("/catalog/promotions/<int:promotion_id>/end")
@brand_only
@staff_required("catalog.manage")
def promotion_end(promotion_id: int) -> Any:
    """End a promotion now: no more redemptions; those who took it keep their discount."""
    promotion = scoped(M.Promotion, promotion_id)
    with unit_of_work():
        catalog.end_promotion(db.session, promotion)
    flash(_("Promotion %(name)s has ended.", name=promotion.name), "success")
    return redirect(url_for("admin.promotion_detail", promotion_id=promotion.id))
