"""SIMs in the console: import a vendor's file, list the stock (never its keys)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from saas.db import db, unit_of_work
from saas.network import sims
from saas.network.errors import ImportRefused, NetworkError
from saas.network.models import SIM_KINDS, SIM_STATES, Sim
from saas.web.admin import bp, paging
from saas.web.admin.forms import INVALID
from saas.web.admin.network_forms import CHOOSE_FILE, SimFilter, SimImportForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import add_error, message, refuse

SHOWN_ROWS = 50


def _list_page(import_form: SimImportForm, status: int = 200, bad: list[str] | None = None) -> Any:
    form = SimFilter()
    valid = form.read()
    stmt = sims.listed(form.state.data or "", form.kind.data or "", form.q.data or "")
    ids = stmt.with_only_columns(Sim.id)
    found = paging.page(db.session, stmt, ids, Sim.id, form.before.data, form.after.data)
    page = render_template(
        "admin/network/sims.html",
        page=found,
        filter_form=form,
        kept=form.kept(),
        import_form=import_form,
        bad_rows=bad or [],
        counts=sims.counts(db.session),
        kinds=SIM_KINDS,
        states=SIM_STATES,
        imports=sims.imported(db.session),
    )
    return page, (status if valid else INVALID)


@bp.get("/network/sims")
@brand_only
@staff_required("network.read")
def sims_list() -> Any:
    """The brand's SIMs, a page at a time, with the form to import a file."""
    return _list_page(SimImportForm(formdata=None))


@bp.post("/network/sims")
@brand_only
@staff_required("network.write")
def sims_import() -> Any:
    """Import a CSV file of SIMs: all of it, or nothing with every bad row named."""
    form = SimImportForm()
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        add_error(form.file, str(CHOOSE_FILE))
        return _list_page(form, INVALID)
    data, name = upload.read(), str(upload.filename)
    try:
        with unit_of_work():
            batch = sims.import_file(db.session, data, name)
    except ImportRefused as exc:
        add_error(form.file, message(exc, record=False))
        return _list_page(form, INVALID, [message(e) for e in exc.each()[:SHOWN_ROWS]])
    except NetworkError as exc:
        refuse(form, exc)
        return _list_page(form, INVALID)
    flash(_("%(count)s SIMs imported from %(name)s.", count=batch.count, name=name), "success")
    return redirect(url_for("admin.sims_list"))
