"""The brand's own settings: all staff see them, admins change names and contact."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.db import db, unit_of_work
from saas.tenancy.models import Tenant
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, BrandSettingsForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import tell


def _page(form: BrandSettingsForm, status: int = 200) -> Any:
    host = f"{g.tenant.slug}.{g.settings.base_domain}"
    page = render_template("admin/settings.html", form=form, brand=g.tenant, default_host=host)
    return page, status


@bp.get("/settings")
@brand_only
@staff_required()
def brand_settings() -> Any:
    """Show the brand's settings."""
    return _page(BrandSettingsForm(formdata=None, obj=g.tenant))


@bp.post("/settings")
@brand_only
@staff_required("brand.manage")
def brand_settings_save() -> Any:
    """Change the brand's names and support address; the rest belongs to the platform."""
    form = BrandSettingsForm()
    if not form.validate():
        tell(form, _l("Settings not saved: %(error)s"))
        return _page(form, INVALID)
    with unit_of_work():
        # g.tenant is the registry's read-only snapshot: the change goes to the brand's row.
        form.populate_obj(db.session.get(Tenant, g.tenant.id))
    flash(_("The brand's settings were saved."), "success")
    return redirect(url_for("admin.brand_settings"))
