"""The credit scorecard in the brand's settings: everyone with credit.read sees it."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.customers.credit import policy
from saas.customers.credit.errors import CreditError
from saas.customers.credit.scorecard import Scorecard
from saas.db import db, unit_of_work
from saas.web.admin import bp
from saas.web.admin.credit_forms import ScorecardForm, scorecard_form
from saas.web.admin.forms import INVALID
from saas.web.auth import brand_only, staff_required
from saas.web.forms import field_at, refuse, tell
from saas.web.i18n import offered_locales
from saas.web.refusals import say

NOT_SAVED = _l("Scorecard not saved: %(error)s")


def _page(form: ScorecardForm, card: Scorecard, status: int = 200) -> Any:
    page = render_template(
        "admin/credit/settings.html",
        form=form,
        card=card,
        locales=offered_locales(),
        currency=g.tenant.currency,
    )
    return page, status


@bp.get("/settings/credit")
@brand_only
@staff_required("credit.read")
def credit_settings() -> Any:
    """Show the brand's credit scorecard, with the form to change it for those who may."""
    card = policy.scorecard(db.session)
    return _page(scorecard_form(card), card)


def _placed(form: ScorecardForm, exc: CreditError) -> None:
    """Put each of the scorecard's refusals beside the row field it names."""
    for refusal in exc.each():
        refusal.field = form.where(refusal.field)
        if field_at(form, refusal.field) is None:
            refusal.field = None
    refuse(form, exc, speak=lambda r: say(r, record=False))


@bp.post("/settings/credit")
@brand_only
@staff_required("credit.manage")
def credit_settings_save() -> Any:
    """Check and save the scorecard; every problem is shown beside its field."""
    card = policy.scorecard(db.session)
    form = scorecard_form(card, request.form)
    if form.validate():
        try:
            with unit_of_work() as session:
                policy.save(session, form.spec(offered_locales(), card))
        except CreditError as exc:
            _placed(form, exc)
        else:
            flash(_("The credit scorecard was saved."), "success")
            return redirect(url_for("admin.credit_settings"))
    tell(form, NOT_SAVED)
    return _page(form, card, INVALID)
