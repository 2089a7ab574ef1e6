"""Routes shared by every host: language choice and where to go after log-in."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, request, session, url_for
from flask_login import current_user

from saas.db import unit_of_work
from saas.identity.models import OPERATOR, STAFF
from saas.web.i18n import offered_locales

bp = Blueprint("site", __name__)
UNSAFE_IN_PATH = re.compile(r"[\\\x00-\x1f\x7f]")


@bp.post("/locale")
def choose_locale() -> Any:
    """Remember the language a visitor picked, and keep it on their account."""
    locale = request.form.get("locale", "")
    if locale not in offered_locales():
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        with unit_of_work():
            current_user.locale = locale
    return redirect(_local_path(request.form.get("next", "")))


def _local_path(target: str) -> str:
    """Return the target if it stays on this host, else the home page."""
    # Browsers read "/\\evil.example" like "//evil.example" and drop tabs and line breaks from
    # "/\t/evil.example": a backslash or a control character never passes (nor splits a header).
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or UNSAFE_IN_PATH.search(target):
        return "/"
    return target


@bp.get("/after-login")
def after_login() -> Any:
    """Send each kind of person to their own home."""
    if not current_user.is_authenticated:
        return redirect(url_for("security.login"))
    if current_user.kind == OPERATOR:
        return redirect(url_for("platform.index"))
    if current_user.kind == STAFF:
        return redirect(url_for("admin.index"))
    return redirect(url_for("portal.index") if not g.tenant.is_platform else "/")
