"""A subscription's allowances and consumption this period, its prepaid balance and top-ups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.db import db, unit_of_work
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from saas.usage import balances
from saas.usage.allowance_use import use_of
from saas.usage.balances import BalanceError
from saas.web import allowance_labels
from saas.web.admin import bp
from saas.web.admin.allowance_forms import TopUpForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse
from saas.web.i18n import money

UNPROCESSABLE = 422


@bp.context_processor
def _usage_helpers() -> dict[str, Any]:
    return allowance_labels.helpers()


def _subscription(sub_id: int) -> Subscription:
    sub = subs.get(db.session, sub_id)
    if sub is None:
        abort(404)
    return sub


def _page(sub: Subscription, form: TopUpForm | None = None, status: int = 200) -> Any:
    prepaid = balances.is_prepaid(db.session, sub.account_id)
    return render_template(
        "admin/subscriptions/allowances.html",
        sub=sub,
        uses=use_of(db.session, sub),
        prepaid=prepaid,
        wallet=balances.balance(db.session, sub.account_id, entries=50) if prepaid else None,
        form=form or TopUpForm(formdata=None),
    ), status


@bp.get("/subscriptions/<int:sub_id>/allowances")
@brand_only
@staff_required("subscriptions.read")
def subscription_allowances(sub_id: int) -> Any:
    """What the subscription has used of its allowances, and its account's balance."""
    return _page(_subscription(sub_id))


@bp.post("/subscriptions/<int:sub_id>/top-up")
@brand_only
@staff_required("prepaid.topup")
def subscription_top_up(sub_id: int) -> Any:
    """Credit the subscription's prepaid account; a line the empty balance barred is restored."""
    sub = _subscription(sub_id)
    form = TopUpForm()
    if form.validate():
        try:
            with unit_of_work():
                entry = balances.top_up(
                    db.session,
                    sub.account_id,
                    form.amount.data or Decimal(0),
                    form.reason.data or "",
                )
                done = money(entry.balance_after)
        except BalanceError as exc:
            refuse(form, exc, {"account": "amount"})
        else:
            flash(_("Balance topped up: now %(balance)s.", balance=done), "success")
            return redirect(url_for("admin.subscription_allowances", sub_id=sub.id))
    return _page(sub, form, UNPROCESSABLE)
