"""Sign-up in the brand's portal: a page a step, left and resumed, then sent to be checked."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security.recoverable import generate_reset_password_token

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding import steps as S
from saas.customers.onboarding.models import APPROVED, DRAFT, Application
from saas.db import db, unit_of_work
from saas.db.sealed import masked
from saas.errors import Refusal
from saas.identity.models import User
from saas.subscriptions import charges as C
from saas.web import subscription_labels as labels
from saas.web.auth import brand_only
from saas.web.catalogue import catalogue
from saas.web.fields import choices
from saas.web.forms import message, refuse, saved
from saas.web.i18n import money, plan_name
from saas.web.portal import bp
from saas.web.portal.forms import language_choices
from saas.web.portal.signup_forms import FORMS, PlanForm, StartForm, StepForm

TOKEN = "signup_token"
INVALID = 422
TITLES = {
    "person": _l("About you"),
    "address": _l("Address"),
    "document": _l("Identity document"),
    "plan": _l("Plan"),
    "sim": _l("SIM"),
    "number": _l("Phone number"),
    "consents": _l("Payment and consent"),
}


MASKED = {"mrz", "national_id", "iban"}


@bp.context_processor
def _answers() -> dict[str, Any]:
    return {"answer_label": _answer_label, "answer_text": _answer_text}


def _answer_label(step: str, key: str) -> str:
    return str(FORMS[step]()[key].label.text)


def _answer_text(step: str, key: str, value: Any) -> str:
    """An answer as the applicant would say it: the option's words, a date, a masked number."""
    if key in MASKED:
        return masked(str(value).replace("\n", ""))
    if value is True:
        return _("Yes")
    if key.endswith("_date"):
        return format_date(date.fromisoformat(str(value)), "medium")
    field = FORMS[step]()[key]
    if key == "plan_version_id":
        version = catalogue().plan_version(int(value))
        return plan_name(version.plan) if version else ""
    options = {str(c[0]): c[1] for c in field.iter_choices()} if hasattr(field, "choices") else {}
    return str(options.get(str(value), value))


def _current() -> Application | None:
    token = session.get(TOKEN)
    return onboarding.resume(db.session, token) if token else None


def _link(path: str) -> str:
    return request.host_url.rstrip("/") + path


@bp.route("/signup", methods=["GET", "POST"])
@brand_only
def signup() -> Any:
    """Start a sign-up with an address and a language, or go on with the one under way."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.index"))
    application = _current()
    if application is not None:
        return redirect(_where(application))
    form = StartForm(data={"locale": session.get("locale") or g.tenant.default_locale})
    form.locale.choices = language_choices()
    started = saved(form, lambda: onboarding.start(db.session, form.email.data, form.locale.data))
    if started is None:
        return render_template("portal/signup/start.html", form=form), _status(form)
    application, token = started
    with_link = _link(url_for("portal.signup_resume", token=token))
    saved(form, lambda: onboarding.send_link(db.session, application, with_link))
    session[TOKEN], session["locale"] = token, application.locale
    return redirect(url_for("portal.signup_step", name=S.NAMES[0]))


def _status(form: Any) -> int:
    return INVALID if request.method == "POST" else 200


def _where(application: Application) -> str:
    if application.status != DRAFT:
        return url_for("portal.signup_status")
    following = S.next_step(application.steps_done)
    return (
        url_for("portal.signup_step", name=following)
        if following
        else url_for("portal.signup_review")
    )


@bp.get("/signup/resume/<token>")
@brand_only
def signup_resume(token: str) -> Any:
    """Open a sign-up from the link mailed to the applicant."""
    application = onboarding.resume(db.session, token)
    if application is None:
        # A sign-up under way in this browser stays open: /signup leads back to it.
        flash(_("This sign-up link has expired or is not known. Please start again."), "error")
        return redirect(url_for("portal.signup"))
    session[TOKEN], session["locale"] = token, application.locale
    return redirect(_where(application))


def _applying() -> Application:
    application = _current()
    if application is None:
        abort(redirect(url_for("portal.signup")))
    return application


def _plan_choices() -> list[Any]:
    currency = g.tenant.currency
    pairs = []
    for version in catalogue().sellable(currency=currency):
        price = C.per_period(version, None, currency)
        interval = labels.named(labels.INTERVALS, version.billing_interval)
        pairs.append(
            (version.id, f"{plan_name(version.plan)} \u00b7 {money(price, currency)} {interval}")
        )
    return choices(pairs)


def _form(name: str, application: Application) -> StepForm:
    form_class = FORMS.get(name) or abort(404)
    told = onboarding.answers(application, name)
    form = form_class.of(told) if request.method == "GET" else form_class()
    if isinstance(form, PlanForm):
        form.plan_version_id.choices = _plan_choices()
    return form


@bp.route("/signup/step/<name>", methods=["GET", "POST"])
@brand_only
def signup_step(name: str) -> Any:
    """One step of the sign-up: what was told before, kept when the step is saved again."""
    application = _applying()
    if application.status != DRAFT:
        return redirect(url_for("portal.signup_status"))
    form = _form(name, application)
    if request.method == "POST" and _kept(form, application, name):
        return redirect(_where(application))
    context = {"form": form, "step": name, "steps": S.NAMES, "titles": TITLES}
    return render_template("portal/signup/step.html", application=application, **context), _status(
        form
    )


def _kept(form: StepForm, application: Application, name: str) -> bool:
    if not form.validate():
        return False
    try:
        with unit_of_work():
            onboarding.save(db.session, application, name, form.answers())
    except Refusal as exc:
        refuse(form, exc)
        return False
    return True


@bp.route("/signup/review", methods=["GET", "POST"])
@brand_only
def signup_review() -> Any:
    """Everything told, to check once more; sending it starts the checks."""
    application = _applying()
    if application.status != DRAFT:
        return redirect(url_for("portal.signup_status"))
    missing = S.next_step(application.steps_done)
    if missing:
        return redirect(url_for("portal.signup_step", name=missing))
    if request.method == "POST":
        try:
            _send(application)
        except Refusal as exc:
            flash(message(exc), "error")
        else:
            return redirect(url_for("portal.signup_status"))
    told = {name: onboarding.answers(application, name) for name in S.NAMES}
    return render_template(
        "portal/signup/review.html", told=told, titles=TITLES, application=application
    )


def _send(application: Application) -> None:
    with unit_of_work():
        onboarding.submit(db.session, application)
        if application.status == APPROVED:
            onboarding.welcome(db.session, application, _password_link)


def _password_link(person: User) -> str:
    return _link(url_for("security.reset_password", token=generate_reset_password_token(person)))


@bp.get("/signup/status")
@brand_only
def signup_status() -> Any:
    """Where the sent sign-up stands, in words."""
    application = _applying()
    if application.status == DRAFT:
        return redirect(_where(application))
    return render_template("portal/signup/status.html", application=application)
