"""Lines in the console: a line's history, SIM swaps and lifecycle changes, a new line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.db import db, unit_of_work, utcnow
from saas.network import lines, numbers, sims
from saas.network.errors import NetworkError
from saas.network.models import Line
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription
from saas.web.admin import bp
from saas.web.admin.forms import INVALID
from saas.web.admin.network_forms import LineChangeForm, LineForm, LineLookup, SwapForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import message, refuse, tell

# Activation is the host network's confirmation; staff may give it by hand too.
CHANGES: dict[str, Any] = {
    "activate": lines.activate,
    "suspend": lines.suspend,
    "restore": lines.restore,
    "terminate": lines.terminate,
}
NOT_CHANGED = _l("Not changed: %(reason)s")


@bp.context_processor
def _line_helpers() -> dict[str, Any]:
    return {"line_of_subscription": _line_of}


def _line_of(sub: Subscription) -> tuple[Line, str | None] | None:
    line = lines.of_subscription(db.session, sub.id)
    return None if line is None else (line, lines.current_msisdn(db.session, line))


def _line(line_id: int) -> Line:
    line = lines.get(db.session, line_id)
    if line is None:
        abort(404)
    return line


def _page(line: Line, swap: SwapForm | None = None, status: int = 200) -> Any:
    sim = lines.current_sim(db.session, line)
    code = None
    if sim is not None and sim.kind == "esim":
        try:
            code = sims.activation_code(db.session, sim)
        except NetworkError:
            code = None
    return render_template(
        "admin/network/line.html",
        line=line,
        sim=sim,
        held_msisdn=lines.current_msisdn(db.session, line),
        activation_code=code,
        swap_form=swap or SwapForm(formdata=None),
        change_form=LineChangeForm(formdata=None),
        changes=[c for c in CHANGES if _allowed(line, c)],
    ), status


def _allowed(line: Line, change: str) -> bool:
    kind = {"activate": "activated", "suspend": "suspended", "restore": "restored"}.get(
        change, "terminated"
    )
    return line.state in lines.LIFECYCLE[kind][0]


@bp.get("/network/lines/<int:line_id>")
@brand_only
@staff_required("network.read")
def line_detail(line_id: int) -> Any:
    """A line: its number and SIM now and over time, and every change of its lifecycle."""
    return _page(_line(line_id))


@bp.post("/network/lines/<int:line_id>/swap")
@brand_only
@staff_required("network.write")
def line_swap(line_id: int) -> Any:
    """Give a line another SIM; the old card is marked lost or swapped, the number stays."""
    line, form = _line(line_id), SwapForm()
    if form.validate():
        try:
            with unit_of_work():
                given = sims.chosen(db.session, form.iccid.data) if form.iccid.data else None
                lines.swap_sim(db.session, line, form.reason.data, sim=given, kind=form.kind.data)
        except NetworkError as exc:
            refuse(form, exc)
        else:
            flash(_("The line has a new SIM."), "success")
            return redirect(url_for("admin.line_detail", line_id=line.id))
    tell(form, NOT_CHANGED, "reason")
    return _page(_line(line_id), form, INVALID)


@bp.post("/network/lines/<int:line_id>/<change>")
@brand_only
@staff_required("network.write")
def line_change(line_id: int, change: str) -> Any:
    """Activate, suspend, restore or terminate a line."""
    if change not in CHANGES:
        abort(404)
    line, form = _line(line_id), LineChangeForm()
    if not form.validate():
        tell(form, NOT_CHANGED, "reason")
        return _page(line, status=INVALID)
    try:
        with unit_of_work():
            if change == "activate":
                lines.activate(db.session, line)
            else:
                CHANGES[change](db.session, line, reason=form.reason.data)
    except NetworkError as exc:
        flash(NOT_CHANGED % {"reason": message(exc)}, "error")
        return _page(_line(line_id), status=INVALID)
    flash(_("The line's state was changed."), "success")
    return redirect(url_for("admin.line_detail", line_id=line_id))


@bp.get("/network/lines")
@brand_only
@staff_required("network.read")
def lines_lookup() -> Any:
    """Which line held a number or an IMSI at an instant."""
    form = LineLookup()
    valid = form.read()
    found = None
    if valid and form.q.data:
        at: datetime = form.at.data or utcnow()
        digits = form.q.data
        found = lines.line_at(db.session, msisdn=digits, at=at) or lines.line_at(
            db.session, imsi=digits, at=at
        )
    page = render_template(
        "admin/network/lookup.html", form=form, found=found, asked=bool(form.q.data)
    )
    return page, (200 if valid else INVALID)


def _subscription(sub_id: int) -> Subscription:
    sub = subs.get(db.session, sub_id)
    if sub is None:
        abort(404)
    return sub


def _new_page(sub: Subscription, form: LineForm, status: int = 200) -> Any:
    offered = numbers.offer(db.session)
    return render_template(
        "admin/network/line_new.html", sub=sub, form=form, offered=offered
    ), status


@bp.get("/subscriptions/<int:sub_id>/line")
@brand_only
@staff_required("network.write")
def line_new(sub_id: int) -> Any:
    """The form giving a subscription its line: a number and a SIM."""
    sub = _subscription(sub_id)
    line = lines.of_subscription(db.session, sub.id)
    if line is not None:
        return redirect(url_for("admin.line_detail", line_id=line.id))
    return _new_page(sub, LineForm(formdata=None))


@bp.post("/subscriptions/<int:sub_id>/line")
@brand_only
@staff_required("network.write")
def line_create(sub_id: int) -> Any:
    """Give a subscription a pending line: the number chosen (golden too) or at random."""
    sub, form = _subscription(sub_id), LineForm()
    if form.validate():
        try:
            with unit_of_work():
                held = numbers.reserve(db.session, form.msisdn.data or None, golden=True)
                given = sims.chosen(db.session, form.iccid.data) if form.iccid.data else None
                line = lines.create(db.session, sub, held.token, sim=given, kind=form.kind.data)
        except NetworkError as exc:
            refuse(form, exc, {"subscription": "msisdn", "sim": "kind"})
        else:
            flash(_("The line was set up; it goes live once the network confirms it."), "success")
            return redirect(url_for("admin.line_detail", line_id=line.id))
    tell(form, _l("Line not set up: %(error)s"))
    return _new_page(sub, form, INVALID)
