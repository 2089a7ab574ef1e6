"""Sign-ups in the console: the brand's applications, and a shop agent signing someone up."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding import steps as S
from saas.customers.onboarding.models import DRAFT, STATUSES, Application
from saas.db import db, unit_of_work
from saas.errors import Refusal
from saas.web.admin import bp, paging
from saas.web.admin.filter_forms import Paged, _all_or
from saas.web.admin.forms import INVALID, scoped
from saas.web.auth import brand_only, staff_required
from saas.web.fields import Choice
from saas.web.forms import message, refuse
from saas.web.portal.forms import language_choices
from saas.web.signup import StartForm, helpers, keep_step, send, step_form

STATUS_NAMES = {
    "draft": _l("Being filled in"),
    "checking": _l("Being checked"),
    "review": _l("Waiting for review"),
    "rejected": _l("Refused"),
    "approved": _l("Accepted"),
    "active": _l("Line active"),
}


class SignupFilter(Paged):
    """Sign-ups in one state."""

    status = Choice(
        _l("Status"),
        default="",
        choices=lambda: _all_or(STATUSES, lambda s: STATUS_NAMES[s]),
    )


@bp.context_processor
def _signup_helpers() -> dict[str, Any]:
    return helpers() | {"signup_status": lambda s: str(STATUS_NAMES.get(s, s))}


def _link(path: str) -> str:
    return request.host_url.rstrip("/") + path


@bp.get("/signups")
@brand_only
@staff_required("subscribers.read")
def signups_list() -> Any:
    """Sign-ups newest first, a page at a time, optionally in one state."""
    form = SignupFilter()
    valid = form.read()
    shown = select(Application)
    if form.status.data:
        shown = shown.where(Application.status == form.status.data)
    ids = shown.with_only_columns(Application.id)
    found = paging.page(db.session, shown, ids, Application.id, form.before.data, form.after.data)
    rows = found.rows  # plain rows of the columns shown
    return render_template(
        "admin/signups/list.html", filter_form=form, page=found, rows=rows, kept=form.kept()
    ), (200 if valid else INVALID)


@bp.get("/signups/<int:application_id>")
@brand_only
@staff_required("subscribers.read")
def signup_detail(application_id: int) -> Any:
    """One sign-up: its answers (identifiers masked), where it stands and why."""
    application = scoped(Application, application_id)
    told = {name: onboarding.answers(application, name) for name in S.NAMES}
    return render_template("admin/signups/detail.html", application=application, told=told)


@bp.route("/signups/new", methods=["GET", "POST"])
@brand_only
@staff_required("subscribers.write")
def signup_new() -> Any:
    """Sign someone up on their behalf: their address and language first."""
    form = StartForm()
    form.locale.choices = language_choices()
    if request.method == "POST" and form.validate():
        try:
            with unit_of_work():
                application, _token = onboarding.start(
                    db.session, form.email.data, form.locale.data, agent_id=current_user.id
                )
        except Refusal as exc:
            refuse(form, exc)
        else:
            return redirect(
                url_for("admin.signup_step", application_id=application.id, name="person")
            )
    status = INVALID if request.method == "POST" else 200
    return render_template("admin/signups/new.html", form=form), status


@bp.route("/signups/<int:application_id>/step/<name>", methods=["GET", "POST"])
@brand_only
@staff_required("subscribers.write")
def signup_step(application_id: int, name: str) -> Any:
    """One step of a sign-up an agent fills in with the customer."""
    application = scoped(Application, application_id)
    if application.status != DRAFT:
        return redirect(url_for("admin.signup_detail", application_id=application.id))
    form = step_form(name, application)
    if request.method == "POST" and keep_step(form, application, name):
        following = S.next_step(application.steps_done)
        if following is None:
            return redirect(url_for("admin.signup_review", application_id=application.id))
        return redirect(url_for("admin.signup_step", application_id=application.id, name=following))
    status = INVALID if request.method == "POST" else 200
    return render_template(
        "admin/signups/step.html", application=application, form=form, step=name, steps=S.NAMES
    ), status


@bp.route("/signups/<int:application_id>/review", methods=["GET", "POST"])
@brand_only
@staff_required("subscribers.write")
def signup_review(application_id: int) -> Any:
    """Check the answers with the customer, then send the sign-up to its checks."""
    application = scoped(Application, application_id)
    if application.status != DRAFT:
        return redirect(url_for("admin.signup_detail", application_id=application.id))
    if request.method == "POST":
        try:
            send(application, _link)
        except Refusal as exc:
            flash(message(exc), "error")
        else:
            flash(
                _("The sign-up was sent: %(status)s.", status=STATUS_NAMES[application.status]),
                "success",
            )
            return redirect(url_for("admin.signup_detail", application_id=application.id))
    told = {name: onboarding.answers(application, name) for name in S.NAMES}
    return render_template("admin/signups/review.html", application=application, told=told)
