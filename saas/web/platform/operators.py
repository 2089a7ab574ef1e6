"""Platform pages: the operators who run the platform."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from saas.db import db
from saas.identity.models import OPERATOR
from saas.identity.services import MIN_PASSWORD, IdentityError, create_user, people
from saas.web.auth import operator_required, platform_only
from saas.web.platform import bp
from saas.web.refusals import by_field


def _form(values: dict[str, str], errors: dict[str, list[str]] | None = None) -> Any:
    return render_template(
        "platform/operator_form.html",
        values=values,
        errors=errors or {},
        min_password=MIN_PASSWORD,
    )


@bp.get("/operators")
@platform_only
@operator_required
def operators() -> Any:
    """List the platform's operators."""
    return render_template("platform/operators.html", operators=people(db.session, OPERATOR))


@bp.route("/operators/new", methods=["GET", "POST"])
@platform_only
@operator_required
def new_operator() -> Any:
    """Add an operator with a first password they share privately and change later."""
    values = {k: request.form.get(k, "").strip() for k in ("email", "full_name")}
    if request.method == "GET":
        return _form(values)
    try:
        create_user(
            db.session,
            kind=OPERATOR,
            email=values["email"],
            password=request.form.get("password", ""),
            full_name=values["full_name"],
            by=current_user,
        )
    except IdentityError as exc:
        return _form(values, by_field(exc.each())), 422
    db.session.commit()
    flash(_("Operator %(email)s added.", email=values["email"]), "success")
    return redirect(url_for("platform.operators"))
