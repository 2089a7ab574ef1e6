"""API keys: issue one (its token is shown once), see them all, revoke one."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from saas.db import db
from saas.identity import api_keys
from saas.identity.models import User
from saas.identity.roles import API_SCOPES
from saas.web.admin import bp
from saas.web.admin.forms import checked, found, refuse, text
from saas.web.auth import brand_only, staff_required
from saas.web.refusals import say

MAX_NAME = 100


def _creators(keys: list[api_keys.ApiKey]) -> dict[int, str]:
    ids = {k.created_by_id for k in keys if k.created_by_id}
    if not ids:
        return {}
    return {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _problems(name: str, scopes: list[str]) -> list[str]:
    problems = []
    if not name:
        problems.append(_("Name: give the key a name that says who uses it."))
    elif len(name) > MAX_NAME:
        problems.append(_("Name: use at most %(count)d characters.", count=MAX_NAME))
    if not scopes:
        problems.append(_("Scopes: choose at least one scope."))
    return problems


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
    return render_template("admin/apikeys/new.html", form={}, scopes=API_SCOPES)


@bp.post("/api-keys/new")
@brand_only
@staff_required("apikeys.manage")
def apikey_create() -> Any:
    """Issue a key and show its token this once; only its hash is kept."""
    name, scopes = text("name"), checked("scopes", API_SCOPES)
    problems = _problems(name, scopes)
    if problems:
        return refuse(problems, "admin/apikeys/new.html", scopes=API_SCOPES)
    try:
        issued = api_keys.issue(db.session, name, scopes, current_user.id)
    except api_keys.ApiKeyError as exc:
        return refuse(
            [_("API key not created: %(reason)s", reason=say(exc))],
            "admin/apikeys/new.html",
            scopes=API_SCOPES,
        )
    db.session.commit()
    response = make_response(
        render_template("admin/apikeys/created.html", key=issued.key, token=issued.token)
    )
    # The token must not linger in a cache or the browser's back button.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/api-keys/<int:key_id>/revoke")
@brand_only
@staff_required("apikeys.manage")
def apikey_revoke(key_id: int) -> Any:
    """Revoke a key at once; calls with it fail from now on."""
    key = found(api_keys.revoke, db.session, key_id)
    db.session.commit()
    flash(_("API key %(name)s revoked.", name=key.name), "success")
    return redirect(url_for("admin.apikeys_list"))
