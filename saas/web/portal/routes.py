"""Portal pages: home and profile."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from saas.db import db
from saas.identity.models import OPERATOR, STAFF
from saas.web.auth import brand_only, subscriber_required
from saas.web.portal import bp


@bp.get("/")
def index() -> Any:
    """Show the brand's front page, or the subscriber's home when logged in."""
    if g.tenant.is_platform:
        return redirect(url_for("platform.index"))
    if current_user.is_authenticated and current_user.kind in (STAFF, OPERATOR):
        return redirect(url_for("admin.index"))
    if current_user.is_authenticated:
        return render_template("portal/home.html")
    return render_template("portal/welcome.html")


@bp.route("/profile", methods=["GET", "POST"])
@brand_only
@subscriber_required
def profile() -> Any:
    """Let subscribers keep their name and language up to date."""
    if request.method == "POST":
        current_user.full_name = request.form.get("full_name", "").strip()[:200]
        db.session.commit()
        flash(_("Your profile was saved."), "success")
        return redirect(url_for("portal.profile"))
    return render_template("portal/profile.html")
