"""A subscriber's credit in the console: decisions with their reasons, checks, overrides."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.customers.credit import policy
from saas.customers.credit import services as credit
from saas.customers.credit.errors import CreditError
from saas.customers.credit.models import CreditDecision
from saas.customers.credit.reports import applicant
from saas.db import db, unit_of_work, utcnow
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import get_user
from saas.web.admin import bp
from saas.web.admin.credit_forms import CheckForm, OverrideForm
from saas.web.admin.forms import INVALID, found
from saas.web.auth import brand_only, staff_required
from saas.web.fields import choices
from saas.web.forms import refuse, tell
from saas.web.refusals import say

NOT_CHECKED = _l("Not checked: %(error)s")
NOT_OVERRIDDEN = _l("Not overridden: %(error)s")


def _person(user_id: int) -> User:
    return found(get_user, db.session, user_id, SUBSCRIBER)


def _check_form(person: User, formdata: Any = None) -> CheckForm:
    given, _, surname = (person.full_name or "").strip().rpartition(" ")
    prefilled = {"given_names": given, "surname": surname, "country": g.tenant.country}
    return CheckForm(formdata=formdata, data=None if formdata is not None else prefilled)


def _override_form(formdata: Any = None) -> OverrideForm:
    form = OverrideForm(formdata=formdata)
    classes = policy.scorecard(db.session).classes
    locale, default = str(get_locale()), g.tenant.default_locale
    options = [(c.code, f"{c.code} \u00b7 {c.name(locale, default)}") for c in classes]
    form.class_code.choices = choices(options)
    return form


def _page(
    person: User,
    check_form: CheckForm | None = None,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> Any:
    decisions = credit.decisions(db.session, person)
    return render_template(
        "admin/credit/subscriber.html",
        subscriber=person,
        decisions=decisions,
        allowance=credit.allowance(db.session, person),
        check_form=check_form or _check_form(person),
        override_form=override_form or _override_form(),
    ), status


@bp.get("/subscribers/<int:user_id>/credit")
@brand_only
@staff_required("credit.read")
def subscriber_credit(user_id: int) -> Any:
    """Show a subscriber's credit decisions, newest first, each with its reasons in words."""
    return _page(_person(user_id))


def _speak(refusal: Any) -> str:
    return say(refusal, record=False)


@bp.post("/subscribers/<int:user_id>/credit/check")
@brand_only
@staff_required("credit.write")
def subscriber_credit_check(user_id: int) -> Any:
    """Check a subscriber with the bureau and the brand's scorecard."""
    person = _person(user_id)
    form = _check_form(person, formdata=request.form)
    if form.validate():
        try:
            with unit_of_work() as session:
                who = applicant(form.data_for_check(), utcnow().date())
                decision = credit.check(session, person, who)
        except CreditError as exc:
            refuse(form, exc, speak=_speak)
        else:
            flash(_("Checked: credit class %(name)s.", name=_named(decision)), "success")
            return redirect(url_for("admin.subscriber_credit", user_id=person.id))
    tell(form, NOT_CHECKED)
    return _page(person, check_form=form, status=INVALID)


def _named(decision: CreditDecision) -> str:
    return decision.class_name(str(get_locale()), g.tenant.default_locale)


@bp.post("/subscribers/<int:user_id>/credit/override")
@brand_only
@staff_required("credit.override")
def subscriber_credit_override(user_id: int) -> Any:
    """Set another credit class for a subscriber, with the reason."""
    person = _person(user_id)
    form = _override_form(formdata=request.form)
    if form.validate():
        try:
            with unit_of_work() as session:
                by = current_user._get_current_object()
                code, reason = form.class_code.data or "", form.reason.data or ""
                decision = credit.override(session, person, code, reason, by)
        except CreditError as exc:
            refuse(form, exc, speak=_speak)
        else:
            flash(_("Overridden: credit class %(name)s.", name=_named(decision)), "success")
            return redirect(url_for("admin.subscriber_credit", user_id=person.id))
    tell(form, NOT_OVERRIDDEN)
    return _page(person, override_form=form, status=INVALID)


@bp.get("/subscribers/<int:user_id>/credit/<int:decision_id>/bureau")
@brand_only
@staff_required("credit.bureau")
def subscriber_credit_bureau(user_id: int, decision_id: int) -> Any:
    """Show what the person gave and what the bureau answered; the view is audited."""
    person = _person(user_id)
    decision = credit.get(db.session, decision_id)
    if decision is None or decision.subscriber_id != person.id:
        abort(404)
    with unit_of_work() as session:
        shown = credit.disclose(session, decision)
    return render_template("admin/credit/bureau.html", subscriber=person, shown=shown)
