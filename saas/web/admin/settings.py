"""The brand's own settings: all staff see them, admins change names and contact."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.db import db
from saas.identity.services import EMAIL
from saas.web.admin import bp
from saas.web.admin.forms import refuse, text
from saas.web.auth import brand_only, staff_required

MAX_NAME = 200
MAX_EMAIL = 254


def _problems(name: str, legal_name: str, support_email: str) -> list[str]:
    problems = []
    if not name:
        problems.append(_("Display name: the brand needs a name."))
    elif len(name) > MAX_NAME:
        problems.append(_("Display name: use at most %(count)d characters.", count=MAX_NAME))
    if len(legal_name) > MAX_NAME:
        problems.append(_("Legal name: use at most %(count)d characters.", count=MAX_NAME))
    if support_email and (len(support_email) > MAX_EMAIL or not EMAIL.match(support_email)):
        problems.append(
            _("Support e-mail: enter an address like help@example.com, or leave it empty.")
        )
    return problems


def _page() -> dict[str, Any]:
    settings = g.settings
    return {"brand": g.tenant, "default_host": f"{g.tenant.slug}.{settings.base_domain}"}


@bp.get("/settings")
@brand_only
@staff_required()
def brand_settings() -> Any:
    """Show the brand's settings."""
    form = {
        "name": g.tenant.name,
        "legal_name": g.tenant.legal_name,
        "support_email": g.tenant.support_email,
    }
    return render_template("admin/settings.html", form=form, **_page())


@bp.post("/settings")
@brand_only
@staff_required("brand.manage")
def brand_settings_save() -> Any:
    """Change the brand's names and support address; the rest belongs to the platform."""
    name, legal_name, support_email = text("name"), text("legal_name"), text("support_email")
    problems = _problems(name, legal_name, support_email)
    if problems:
        return refuse(problems, "admin/settings.html", **_page())
    g.tenant.name, g.tenant.legal_name, g.tenant.support_email = name, legal_name, support_email
    db.session.commit()
    flash(_("The brand's settings were saved."), "success")
    return redirect(url_for("admin.brand_settings"))
