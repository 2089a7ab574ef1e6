"""Platform pages: the operators who run the platform."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.db import db, unit_of_work
from saas.identity.models import OPERATOR
from saas.identity.services import MIN_PASSWORD, IdentityError, create_user, people
from saas.web.auth import operator_required, platform_only
from saas.web.forms import refuse, tell
from saas.web.platform import bp
from saas.web.platform.forms import OperatorForm

UNPROCESSABLE = 422


def _form(form: OperatorForm, status: int = 200) -> Any:
    page = render_template("platform/operator_form.html", form=form, min_password=MIN_PASSWORD)
    return page, status


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
    if request.method == "GET":
        return _form(OperatorForm(formdata=None))
    form = OperatorForm()
    if form.validate():
        try:
            with unit_of_work():
                create_user(
                    db.session,
                    kind=OPERATOR,
                    email=form.email.data,
                    password=form.password.data or "",
                    full_name=form.full_name.data,
                    by=current_user,
                )
        except IdentityError as exc:
            refuse(form, exc)
        else:
            flash(_("Operator %(email)s added.", email=form.email.data), "success")
            return redirect(url_for("platform.operators"))
    tell(form, _l("Operator not added: %(error)s"))
    return _form(form, UNPROCESSABLE)
