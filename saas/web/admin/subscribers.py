"""Subscribers as people with a log-in: find them, look at one, add one."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from saas.db import db
from saas.identity.audit import AuditEvent
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import MIN_PASSWORD, IdentityError, create_user, get_user, people
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, found, text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import by_field

HISTORY = 50
LISTED = 200


def _history(user: User) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.object_type == "users", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id.desc())
        .limit(HISTORY)
    )
    return list(db.session.scalars(stmt))


@bp.get("/subscribers")
@brand_only
@staff_required("subscribers.read")
def subscribers_list() -> Any:
    """List subscribers, filtered by e-mail or name."""
    search = request.args.get("q", "").strip()
    found_people = people(db.session, SUBSCRIBER, search, limit=LISTED)
    return render_template(
        "admin/subscribers/list.html",
        search=search,
        subscribers=found_people,
        truncated=len(found_people) == LISTED,
    )


@bp.get("/subscribers/new")
@brand_only
@staff_required("subscribers.write")
def subscriber_new() -> Any:
    """Show the form for a new subscriber."""
    return render_template(
        "admin/subscribers/new.html", form={}, errors={}, min_password=MIN_PASSWORD
    )


@bp.post("/subscribers/new")
@brand_only
@staff_required("subscribers.write")
def subscriber_create() -> Any:
    """Create a subscriber's log-in; without a password they set one through a reset."""
    try:
        user = create_user(
            db.session,
            kind=SUBSCRIBER,
            email=text("email"),
            password=request.form.get("password", "") or None,
            full_name=text("full_name")[:200],
            locale=text("locale") or None,
            by=current_user,
        )
    except IdentityError as exc:
        page = render_template(
            "admin/subscribers/new.html",
            form=request.form,
            errors=by_field(exc.each()),
            min_password=MIN_PASSWORD,
        )
        return page, INVALID
    db.session.commit()
    flash(_("Subscriber %(email)s created.", email=user.email), "success")
    return redirect(url_for("admin.subscriber_detail", user_id=user.id))


@bp.get("/subscribers/<int:user_id>")
@brand_only
@staff_required("subscribers.read")
def subscriber_detail(user_id: int) -> Any:
    """Show one subscriber's account details and history."""
    user = found(get_user, db.session, user_id, SUBSCRIBER)
    history = _history(user) if current_user.has_permission("audit.read") else None
    return render_template("admin/subscribers/detail.html", subscriber=user, history=history)
