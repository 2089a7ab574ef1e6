"""Staff management: who works in the console, with which roles, and whether they may log in."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from saas.db import db
from saas.identity import audit
from saas.identity.models import STAFF, Role, User
from saas.identity.roles import OWNER, STAFF_ROLES
from saas.identity.services import (
    EMAIL,
    MIN_PASSWORD,
    IdentityError,
    create_user,
    find_by_email,
    get_user,
    people,
    set_active,
    set_roles,
)
from saas.web.admin import bp
from saas.web.admin.forms import checked, found, refuse, text
from saas.web.auth import brand_only, staff_required

ROLES_CHANGED = "staff.roles"
NEW_FORM = {"roles": STAFF_ROLES, "min_password": MIN_PASSWORD}


def _member(user_id: int) -> User:
    return found(get_user, db.session, user_id, STAFF)


def _other_active_owners(user: User) -> int:
    stmt = (
        select(func.count(User.id))
        .join(User.roles)
        .where(Role.name == OWNER, User.kind == STAFF, User.active.is_(True), User.id != user.id)
    )
    return db.session.scalar(stmt) or 0


def _is_last_owner(user: User) -> bool:
    """Whether the brand would be left without an active owner if this one went."""
    return user.active and OWNER in user.role_names and _other_active_owners(user) == 0


def _new_member_problems(email: str, password: str, roles: list[str]) -> list[str]:
    problems = []
    if not EMAIL.match(email):
        problems.append(_("E-mail: enter an address like name@example.com."))
    elif find_by_email(db.session, email) is not None:
        problems.append(_("E-mail: %(email)s already has an account at this brand.", email=email))
    if len(password) < MIN_PASSWORD:
        problems.append(
            _("Initial password: use at least %(count)d characters.", count=MIN_PASSWORD)
        )
    if not roles:
        problems.append(_("Roles: choose at least one role."))
    return problems


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


def _detail(user: User, status: int = 200) -> Any:
    return render_template("admin/staff/detail.html", member=user, roles=STAFF_ROLES), status


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
    return render_template("admin/staff/new.html", form={}, **NEW_FORM)


@bp.post("/staff/new")
@brand_only
@staff_required("staff.manage")
def staff_create() -> Any:
    """Create a staff member with an initial password and roles."""
    email, password = text("email"), request.form.get("password", "")
    roles = checked("roles", STAFF_ROLES)
    problems = _new_member_problems(email, password, roles)
    if problems:
        return refuse(problems, "admin/staff/new.html", **NEW_FORM)
    try:
        user = create_user(
            db.session,
            kind=STAFF,
            email=email,
            password=password,
            full_name=text("full_name")[:200],
            roles=roles,
        )
    except IdentityError as exc:
        return refuse(
            [_("Staff member not created: %(reason)s", reason=str(exc))],
            "admin/staff/new.html",
            **NEW_FORM,
        )
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
    """Replace a staff member's roles, keeping at least one active owner."""
    user, wanted = _member(user_id), checked("roles", STAFF_ROLES)
    if not wanted:
        flash(_("Roles: choose at least one role."), "error")
        return _detail(user, 400)
    if OWNER not in wanted and _is_last_owner(user):
        flash(
            _(
                "Roles: %(name)s is the last owner of this brand; make someone else an owner "
                "first.",
                name=user.display_name,
            ),
            "error",
        )
        return _detail(user, 400)
    before = user.role_names
    set_roles(db.session, user, wanted)
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
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return _detail(user, 400)
    if _is_last_owner(user):
        flash(
            _(
                "%(name)s is the last owner of this brand and cannot be deactivated.",
                name=user.display_name,
            ),
            "error",
        )
        return _detail(user, 400)
    set_active(user, False)
    db.session.commit()
    flash(_("%(name)s was deactivated.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.post("/staff/<int:user_id>/reactivate")
@brand_only
@staff_required("staff.manage")
def staff_reactivate(user_id: int) -> Any:
    """Let a deactivated staff member log in again."""
    user = _member(user_id)
    set_active(user, True)
    db.session.commit()
    flash(_("%(name)s can log in again.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))
