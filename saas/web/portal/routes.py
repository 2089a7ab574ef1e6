"""Portal pages: the brand's front page, the subscriber's home and profile."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from saas.db import db
from saas.identity.models import STAFF
from saas.web.auth import brand_only, subscriber_required
from saas.web.i18n import offered_locales
from saas.web.portal import bp

MAX_NAME = 200


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
    if request.method == "GET":
        return render_template("portal/profile.html")
    locale = request.form.get("locale", "")
    if locale not in offered_locales():
        flash(_("Please choose one of the languages offered."), "error")
        return render_template("portal/profile.html"), 422
    current_user.full_name = request.form.get("full_name", "").strip()[:MAX_NAME]
    current_user.locale = session["locale"] = locale
    db.session.commit()
    with force_locale(locale):
        flash(_("Your profile was saved."), "success")
    return redirect(url_for("portal.profile"))
