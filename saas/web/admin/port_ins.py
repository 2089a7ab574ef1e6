"""Number porting in the console: the requests, one request's course, and filing a new one."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.db import db, unit_of_work
from saas.network.provisioning import models as M
from saas.network.provisioning import porting
from saas.network.provisioning.donors import donors
from saas.network.provisioning.errors import ProvisioningError
from saas.web.admin import bp, paging
from saas.web.admin.forms import found
from saas.web.admin.provisioning_forms import PortInFilter, PortInForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell

INVALID = 400
NOT_FILED = _l("Not filed: %(reason)s")
# The rules name the request's fields as the form does, but for the subscription's.
FIELDS = {"subscription_id": "subscription"}


@bp.get("/port-ins")
@brand_only
@staff_required("provisioning.read")
def port_ins() -> Any:
    """List the brand's port-in requests, newest first, in one state if asked."""
    form = PortInFilter()
    valid = form.read()
    stmt = porting.summaries(form.state.data or None)
    ids = stmt.with_only_columns(M.PortIn.id)
    page = paging.page(db.session, stmt, ids, M.PortIn.id, form.before.data, form.after.data)
    return render_template(
        "admin/provisioning/port_ins.html", page=page, filter_form=form, kept=form.kept()
    ), (200 if valid else INVALID)


@bp.get("/port-ins/<int:port_in_id>")
@brand_only
@staff_required("provisioning.read")
def port_in_detail(port_in_id: int) -> Any:
    """Show a port-in request: who holds the number at the donor, the decision, its order."""
    port_in = found(porting.get, db.session, port_in_id)
    return render_template("admin/provisioning/port_in.html", port_in=port_in)


def _form(formdata: Any = None) -> PortInForm:
    return PortInForm(donors(g.tenant.country), formdata=formdata)


def _new_page(form: PortInForm, status: int = 200) -> Any:
    return render_template("admin/provisioning/port_in_new.html", form=form), status


@bp.get("/port-ins/new")
@brand_only
@staff_required("provisioning.write")
def port_in_new() -> Any:
    """The form for filing a port-in request, for the subscription asked if any."""
    form = _form(formdata=None)
    form.subscription.data = request.args.get("subscription", "")[:10]
    return _new_page(form)


@bp.post("/port-ins/new")
@brand_only
@staff_required("provisioning.write")
def port_in_file() -> Any:
    """File a port-in request; its order goes to the network once it is saved."""
    form = _form(formdata=request.form)
    if not form.validate():
        tell(form, NOT_FILED, "reason")
        return _new_page(form, INVALID)
    try:
        with unit_of_work() as session:
            made = porting.file_port_in(
                session, form.subscription_id, form.request(), g.tenant.country
            )
            made_id = made.id
    except ProvisioningError as exc:
        refuse(form, exc, FIELDS)
        tell(form, NOT_FILED, "reason")
        return _new_page(form, INVALID)
    flash(_("The port-in request was filed; the donor is being asked."), "success")
    return redirect(url_for("admin.port_in_detail", port_in_id=made_id))
