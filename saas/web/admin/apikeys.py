"""API keys: issue one (its token is shown once), see them all, revoke one."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from saas.db import db, unit_of_work
from saas.identity import api_keys
from saas.identity.models import User
from saas.identity.roles import API_SCOPES, permissions_of, scopes_beyond
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, ApiKeyForm, found
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell


def _creators(keys: list[api_keys.ApiKey]) -> dict[int, str]:
    ids = {k.created_by_id for k in keys if k.created_by_id}
    if not ids:
        return {}
    return {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _new_page(form: ApiKeyForm, status: int = 200) -> Any:
    # Only the scopes the person may give are offered.
    held = permissions_of(current_user.role_names)
    offered = {s: text for s, text in API_SCOPES.items() if not scopes_beyond([s], held)}
    return render_template("admin/apikeys/new.html", form=form, scopes=offered), status


@bp.get("/api-keys")
@brand_only
@staff_required("apikeys.manage")
def apikeys_list() -> Any:
    """List the brand's API keys, newest first."""
    keys = api_keys.listing(db.session)
    return render_template("admin/apikeys/list.html", keys=keys, creators=_creators(keys))


@bp.get("/api-keys/new")
@brand_only
@staff_required("apikeys.manage")
def apikey_new() -> Any:
    """Show the form for a new API key."""
    return _new_page(ApiKeyForm(formdata=None))


@bp.post("/api-keys/new")
@brand_only
@staff_required("apikeys.manage")
def apikey_create() -> Any:
    """Issue a key and show its token this once; only its hash is kept."""
    form = ApiKeyForm()
    if form.validate():
        try:
            with unit_of_work():
                issued = api_keys.issue(
                    db.session,
                    form.name.data,
                    form.scopes.data,
                    current_user.id,
                    held=permissions_of(current_user.role_names),
                )
        except api_keys.ApiKeyError as exc:
            refuse(form, exc)
        else:
            response = make_response(
                render_template("admin/apikeys/created.html", key=issued.key, token=issued.token)
            )
            # The token must not linger in a cache or the browser's back button.
            response.headers["Cache-Control"] = "no-store"
            return response
    tell(form, _l("API key not created: %(reason)s"), "reason")
    return _new_page(form, INVALID)


@bp.post("/api-keys/<int:key_id>/revoke")
@brand_only
@staff_required("apikeys.manage")
def apikey_revoke(key_id: int) -> Any:
    """Revoke a key at once; calls with it fail from now on."""
    with unit_of_work():
        key = found(api_keys.revoke, db.session, key_id)
    flash(_("API key %(name)s revoked.", name=key.name), "success")
    return redirect(url_for("admin.apikeys_list"))
