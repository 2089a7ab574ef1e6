"""Staff management: who works in the console, with which roles, and whether they may log in."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.db import db, unit_of_work
from saas.errors import MESSAGES
from saas.identity import audit
from saas.identity.models import STAFF, User
from saas.identity.roles import STAFF_ROLES
from saas.identity.services import (
    IdentityError,
    create_user,
    deactivate,
    get_user,
    people,
    reactivate,
    set_roles,
)
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, RolesForm, StaffForm, found
from saas.web.admin.labels import role_label
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell

ROLES_CHANGED = "staff.roles"


def _member(user_id: int) -> User:
    return found(get_user, db.session, user_id, STAFF)


def _said(refusal: IdentityError) -> str:
    """Say an identity refusal in the reader's language, naming a role by its label."""
    params = dict(refusal.params)
    if "role" in params:
        params["role"] = role_label(params["role"])
    return _(MESSAGES[refusal.code], **params)


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


def _detail(user: User, form: RolesForm | None = None, status: int = 200) -> Any:
    form = form or RolesForm(formdata=None, data={"roles": user.role_names})
    page = render_template("admin/staff/detail.html", member=user, roles=STAFF_ROLES, form=form)
    return page, status


def _refused(user: User, form: RolesForm, exc: IdentityError, headline: Any) -> Any:
    """Show the member's page again with each refusal beside its field or at the top."""
    refuse(form, exc, speak=_said)
    tell(form, headline)
    return _detail(user, form, INVALID)


def _new_page(form: StaffForm, status: int = 200) -> Any:
    return render_template("admin/staff/new.html", form=form, roles=STAFF_ROLES), status


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
    return _new_page(StaffForm(formdata=None))


@bp.post("/staff/new")
@brand_only
@staff_required("staff.manage")
def staff_create() -> Any:
    """Create a staff member with an initial password and roles no wider than the creator's."""
    form = StaffForm()
    if form.validate():
        try:
            with unit_of_work():
                user = create_user(
                    db.session,
                    kind=STAFF,
                    email=form.email.data,
                    password=form.password.data or "",
                    full_name=form.full_name.data,
                    roles=form.roles.data,
                    by=current_user,
                )
                _record_roles(user, [])
        except IdentityError as exc:
            refuse(form, exc, speak=_said)
        else:
            flash(_("%(email)s can now log in to the console.", email=user.email), "success")
            return redirect(url_for("admin.staff_detail", user_id=user.id))
    tell(form, _l("Staff member not created: %(error)s"))
    return _new_page(form, INVALID)


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
    user, form = _member(user_id), RolesForm()
    before = user.role_names
    try:
        with unit_of_work():
            set_roles(db.session, user, form.roles.data, by=current_user)
            if before != user.role_names:
                _record_roles(user, before)
    except IdentityError as exc:
        return _refused(user, form, exc, _l("Roles not saved: %(error)s"))
    flash(_("Roles of %(name)s saved.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.post("/staff/<int:user_id>/deactivate")
@brand_only
@staff_required("staff.manage")
def staff_deactivate(user_id: int) -> Any:
    """Stop a staff member's log-in and end their sessions."""
    user = _member(user_id)
    try:
        with unit_of_work():
            deactivate(db.session, user, by=current_user)
    except IdentityError as exc:
        form = RolesForm(formdata=None, data={"roles": user.role_names})
        return _refused(user, form, exc, _l("Not deactivated: %(error)s"))
    flash(_("%(name)s was deactivated.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))


@bp.post("/staff/<int:user_id>/reactivate")
@brand_only
@staff_required("staff.manage")
def staff_reactivate(user_id: int) -> Any:
    """Let a deactivated staff member log in again."""
    user = _member(user_id)
    with unit_of_work():
        reactivate(user)
    flash(_("%(name)s can log in again.", name=user.display_name), "success")
    return redirect(url_for("admin.staff_detail", user_id=user.id))
