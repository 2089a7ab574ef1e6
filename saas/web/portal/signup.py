"""Sign-up in the brand's portal: a page a step, left and resumed, then sent to be checked."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding import steps as S
from saas.customers.onboarding.models import DRAFT, Application
from saas.customers.onboarding.stages import subscriptions_of
from saas.db import db
from saas.errors import Refusal
from saas.subscriptions.models import Subscription
from saas.web.auth import brand_only
from saas.web.forms import message, saved
from saas.web.portal import bp
from saas.web.portal.forms import language_choices
from saas.web.signup import StartForm, helpers, keep_step, send, step_form

TOKEN = "signup_token"
INVALID = 422


@bp.context_processor
def _answers() -> dict[str, Any]:
    return helpers()


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


@bp.route("/signup/step/<name>", methods=["GET", "POST"])
@brand_only
def signup_step(name: str) -> Any:
    """One step of the sign-up: what was told before, kept when the step is saved again."""
    application = _applying()
    if application.status != DRAFT:
        return redirect(url_for("portal.signup_status"))
    form = step_form(name, application)
    if request.method == "POST" and keep_step(form, application, name):
        return redirect(_where(application))
    context = {"form": form, "step": name, "steps": S.NAMES}
    return render_template("portal/signup/step.html", application=application, **context), _status(
        form
    )


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
            send(application, _link)
        except Refusal as exc:
            flash(message(exc), "error")
        else:
            return redirect(url_for("portal.signup_status"))
    told = {name: onboarding.answers(application, name) for name in S.NAMES}
    return render_template("portal/signup/review.html", told=told, application=application)


@bp.get("/signup/status")
@brand_only
def signup_status() -> Any:
    """Where the sent sign-up stands, in words."""
    application = _applying()
    if application.status == DRAFT:
        return redirect(_where(application))
    made = [db.session.get(Subscription, i) for i in subscriptions_of(application)]
    return render_template("portal/signup/status.html", application=application, subs=made)
