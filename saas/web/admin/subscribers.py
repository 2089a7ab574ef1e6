"""Subscribers as people with a log-in: find them, look at one, add one."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from saas.db import db, fixed_limit, unit_of_work
from saas.identity.audit import AuditEvent
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import IdentityError, create_user, get_user, people_rows
from saas.web.admin import bp, exports, paging
from saas.web.admin.filter_forms import PeopleSearch
from saas.web.admin.forms import INVALID, SubscriberForm, found
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell

HISTORY = 50


def _history(user: User) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.object_type == "users", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id.desc())
        .limit(fixed_limit(HISTORY))
    )
    return list(db.session.scalars(stmt))


def _listed(form: PeopleSearch) -> Any:
    """The subscribers the search finds, and their ids alone for counting them."""
    shown = people_rows(SUBSCRIBER, form.q.data)
    return shown, shown.with_only_columns(User.id)


@bp.get("/subscribers")
@brand_only
@staff_required("subscribers.read")
def subscribers_list() -> Any:
    """List subscribers newest first, a page at a time, filtered by e-mail or name."""
    form = PeopleSearch()
    valid = form.read()
    shown, ids = _listed(form)
    found = paging.page(db.session, shown, ids, User.id, form.before.data, form.after.data)
    return render_template(
        "admin/subscribers/list.html", search_form=form, page=found, kept=form.kept()
    ), (200 if valid else INVALID)


def _cells(sheet: exports.Sheet) -> Any:
    active, inactive = _("Active"), _("Deactivated")
    return lambda row: [
        row.id,
        sheet.text(row.full_name),
        sheet.text(row.email),
        active if row.active else inactive,
        sheet.moment(row.created_at),
    ]


@bp.get("/subscribers/export")
@brand_only
@staff_required("subscribers.read")
def subscribers_export() -> Any:
    """Download every subscriber the search finds as CSV, for the reader's spreadsheet."""
    form = PeopleSearch()
    if not form.read():
        return subscribers_list()
    sheet = exports.reader_sheet()
    header = ["#", _("Name"), _("E-mail"), _("State"), _("Created (%(zone)s)", zone=sheet.zone)]
    rows = paging.batches(db.session, _listed(form)[0], User.id)
    return exports.streamed_csv("subscribers", sheet, header, rows, _cells(sheet))


def _new_page(form: SubscriberForm, status: int = 200) -> Any:
    return render_template("admin/subscribers/new.html", form=form), status


@bp.get("/subscribers/new")
@brand_only
@staff_required("subscribers.write")
def subscriber_new() -> Any:
    """Show the form for a new subscriber."""
    return _new_page(SubscriberForm(formdata=None))


@bp.post("/subscribers/new")
@brand_only
@staff_required("subscribers.write")
def subscriber_create() -> Any:
    """Create a subscriber's log-in; without a password they set one through a reset."""
    form = SubscriberForm()
    if form.validate():
        try:
            with unit_of_work():
                user = create_user(
                    db.session,
                    kind=SUBSCRIBER,
                    email=form.email.data,
                    password=form.password.data or None,
                    full_name=form.full_name.data,
                    locale=form.locale.data or None,
                    by=current_user,
                )
        except IdentityError as exc:
            refuse(form, exc)
        else:
            flash(_("Subscriber %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.subscriber_detail", user_id=user.id))
    tell(form, _l("Subscriber not created: %(error)s"))
    return _new_page(form, INVALID)


@bp.get("/subscribers/<int:user_id>")
@brand_only
@staff_required("subscribers.read")
def subscriber_detail(user_id: int) -> Any:
    """Show one subscriber's account details and history."""
    user = found(get_user, db.session, user_id, SUBSCRIBER)
    history = _history(user) if current_user.has_permission("audit.read") else None
    return render_template("admin/subscribers/detail.html", subscriber=user, history=history)
