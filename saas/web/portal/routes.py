"""Portal pages: the brand's front page, the subscriber's home and profile."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from saas.db import unit_of_work
from saas.identity.models import STAFF
from saas.web.auth import brand_only, subscriber_required
from saas.web.portal import bp
from saas.web.portal.forms import ProfileForm

UNPROCESSABLE = 422


@bp.before_request
def _staff_to_console() -> Any:
    """Staff have their own home on a brand host: the console."""
    if current_user.is_authenticated and current_user.kind == STAFF:
        return redirect(url_for("admin.index"))
    return None


@bp.get("/")
def index() -> Any:
    """Show the brand's front page, or the subscriber's home when logged in."""
    if g.tenant.is_platform:
        return redirect(url_for("platform.index"))
    if current_user.is_authenticated:
        return render_template("portal/home.html")
    return render_template("portal/welcome.html")


@bp.route("/profile", methods=["GET", "POST"])
@brand_only
@subscriber_required
def profile() -> Any:
    """Let subscribers keep their name and preferred language up to date."""
    known = {
        "full_name": current_user.full_name,
        "locale": current_user.locale or str(get_locale()),
    }
    form = ProfileForm(data=known)
    if request.method == "GET":
        return render_template("portal/profile.html", form=form)
    if not form.validate():
        return render_template("portal/profile.html", form=form), UNPROCESSABLE
    with unit_of_work():
        current_user.full_name = form.full_name.data
        current_user.locale = session["locale"] = form.locale.data
    with force_locale(form.locale.data):
        flash(_("Your profile was saved."), "success")
    return redirect(url_for("portal.profile"))
