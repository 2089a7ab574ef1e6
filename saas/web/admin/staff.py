"""Staff management: who works in the console, with which roles, and whether they may log in."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from saas.db import db
from saas.errors import MESSAGES
from saas.identity import audit
from saas.identity.models import STAFF, User
from saas.identity.roles import STAFF_ROLES
from saas.identity.services import (
    MIN_PASSWORD,
    IdentityError,
    create_user,
    deactivate,
    get_user,
    people,
    reactivate,
    set_roles,
)
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, found, text
from saas.web.admin.labels import role_label
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import by_field

ROLES_CHANGED = "staff.roles"
NEW_FORM = {"roles": STAFF_ROLES, "min_password": MIN_PASSWORD}


def _member(user_id: int) -> User:
    return found(get_user, db.session, user_id, STAFF)


def _said(refusal: IdentityError) -> str:
    """Say an identity refusal in the reader's language, naming a role by its label."""
    params = dict(refusal.params)
    if "role" in params:
        params["role"] = role_label(params["role"])
    return _(MESSAGES[refusal.code], **params)


def _errors(exc: IdentityError) -> dict[str, list[str]]:
    return by_field(exc.each(), _said)


def _record_roles(user: User, before: list[str]) -> None:
    # Roles are a relationship: the automatic row audit does not see them change.
    audit.record(
        db.session,
        ROLES_CHANGED,
        "users",
        user.id,
        email=user.email,
        before=before,
        after=user.role_names,
    )


def _detail(user: User, errors: dict[str, list[str]] | None = None) -> Any:
    errors = errors or {}
    for message in errors.get("", []):
        flash(message, "error")
    page = render_template(
        "admin/staff/detail.html",
        member=user,
        roles=STAFF_ROLES,
        chosen=request.form.getlist("roles") if "roles" in errors else user.role_names,
        errors=errors,
    )
    return page, INVALID if errors else 200


@bp.get("/staff")
@brand_only
@staff_required("staff.read")
def staff_list() -> Any:
    """List the brand's staff with roles, state and last log-in."""
    return render_template("admin/staff/list.html", members=people(db.session, STAFF))


@bp.get("/staff/new")
@brand_only
@staff_required("staff.manage")
def staff_new() -> Any:
    """Show the form for a new staff member."""
    return render_template("admin/staff/new.html", form={}, errors={}, **NEW_FORM)


@bp.post("/staff/new")
@brand_only
@staff_required("staff.manage")
def staff_create() -> Any:
    """Create a staff member with an initial password and roles no wider than the creator's."""
    try:
        user = create_user(
            db.session,
            kind=STAFF,
            email=text("email"),
            password=request.form.get("password", ""),
            full_name=text("full_name")[:200],
            roles=request.form.getlist("roles"),
            by=current_user,
        )
    except IdentityError as exc:
        page = render_template(
            "admin/staff/new.html", form=request.form, errors=_errors(exc), **NEW_FORM
        )
        return page, INVALID
    _record_roles(user, [])
    db.session.commit()
    flash(_("%(email)s can now log in to the console.", email=user.email), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.get("/staff/<int:user_id>")
@brand_only
@staff_required("staff.read")
def staff_detail(user_id: int) -> Any:
    """Show one staff member with their roles and state."""
    return _detail(_member(user_id))


@bp.post("/staff/<int:user_id>/roles")
@brand_only
@staff_required("staff.manage")
def staff_roles(user_id: int) -> Any:
    """Replace another staff member's roles with ones the editor holds the permissions of."""
    user = _member(user_id)
    before = user.role_names
    try:
        set_roles(db.session, user, request.form.getlist("roles"), by=current_user)
    except IdentityError as exc:
        return _detail(user, _errors(exc))
    if before != user.role_names:
        _record_roles(user, before)
    db.session.commit()
    flash(_("Roles of %(name)s saved.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.post("/staff/<int:user_id>/deactivate")
@brand_only
@staff_required("staff.manage")
def staff_deactivate(user_id: int) -> Any:
    """Stop a staff member's log-in and end their sessions."""
    user = _member(user_id)
    try:
        deactivate(db.session, user, by=current_user)
    except IdentityError as exc:
        return _detail(user, _errors(exc))
    db.session.commit()
    flash(_("%(name)s was deactivated.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.post("/staff/<int:user_id>/reactivate")
@brand_only
@staff_required("staff.manage")
def staff_reactivate(user_id: int) -> Any:
    """Let a deactivated staff member log in again."""
    user = _member(user_id)
    reactivate(user)
    db.session.commit()
    flash(_("%(name)s can log in again.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))
