"""A subscriber's personal data in the console: what is held, what an erasure would take, erasing.

What is shown here is masked; the erasure form (personal_data.erase) asks for a reason, and a
refused request is written into the audit log as well as the erasure itself.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.customers.privacy import erasure, holdings
from saas.customers.privacy.errors import PrivacyError
from saas.db import db, unit_of_work
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import get_user
from saas.web import privacy_labels as labels
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, found
from saas.web.admin.privacy_forms import ErasureForm
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, tell

NOT_ERASED = _l("Not erased: %(error)s")


@bp.context_processor
def _privacy_words() -> dict[str, Any]:
    return labels.helpers()


def _person(user_id: int) -> User:
    return found(get_user, db.session, user_id, SUBSCRIBER)


def _page(person: User, form: ErasureForm, status: int = 200) -> Any:
    page = render_template(
        "admin/privacy/subscriber.html",
        subscriber=person,
        held=holdings.of(db.session, person),
        plan=erasure.plan(db.session, person),
        form=form,
    )
    return page, status


@bp.get("/subscribers/<int:user_id>/personal-data")
@brand_only
@staff_required("subscribers.read")
def subscriber_privacy(user_id: int) -> Any:
    """What the brand holds about a subscriber, and what an erasure would take and leave."""
    return _page(_person(user_id), ErasureForm(formdata=None))


@bp.post("/subscribers/<int:user_id>/erasure")
@brand_only
@staff_required("personal_data.erase")
def subscriber_erase(user_id: int) -> Any:
    """Erase a subscriber's personal data at their request; a refusal says why, and is logged."""
    person, form = _person(user_id), ErasureForm()
    if not form.validate():
        tell(form, NOT_ERASED)
        return _page(person, form, INVALID)
    try:
        with unit_of_work():
            done = erasure.request(db.session, person, form.reason.data, current_user.id)
    except PrivacyError as exc:
        with unit_of_work():
            erasure.refused(db.session, person.id, form.reason.data, exc)
        refuse(form, exc)
        tell(form, NOT_ERASED)
        return _page(_person(user_id), form, INVALID)
    what = labels.erased_text(done.erased)
    flash(_("The personal data was erased: %(what)s.", what=what), "success")
    return redirect(url_for("admin.subscriber_privacy", user_id=user_id))
