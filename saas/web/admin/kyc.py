"""The KYC console: the review queue, a case with each check's verdict, the decision, MRZ lines.

Personal data is shown masked; a person holding `personal_data.read` may open it, and each such
view is written to the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.customers.kyc import mrz
from saas.customers.kyc import services as kyc
from saas.customers.kyc.models import API, STAFF, SYSTEM, KycCase
from saas.customers.kyc.outcome import (
    APPROVED,
    MANUAL_REVIEW,
    PASS,
    REJECT,
    REJECTED,
    REVIEW,
    Reason,
)
from saas.db import db, unit_of_work
from saas.errors import Term
from saas.identity.models import User
from saas.web.admin import bp
from saas.web.admin.forms import INVALID, found
from saas.web.admin.kyc_forms import DecisionForm, MrzForm, QueueQuery
from saas.web.auth import brand_only, staff_required
from saas.web.forms import refuse, saved, tell
from saas.web.i18n import when
from saas.web.refusals import say

PAGE = 50
STATUSES = {
    APPROVED: _l("Approved"),
    MANUAL_REVIEW: _l("Waiting for review"),
    REJECTED: _l("Rejected"),
}
VERDICTS = {PASS: _l("Passed"), REVIEW: _l("Needs a look"), REJECT: _l("Failed")}
DECIDERS = {SYSTEM: _l("the system"), STAFF: _l("a staff member"), API: _l("an API key")}
SEXES = {"F": _l("female"), "M": _l("male")}


def kyc_status(status: str) -> str:
    """A case's status in words."""
    return str(STATUSES.get(status, status))


def kyc_verdict(verdict: str) -> str:
    """A check's verdict in words."""
    return str(VERDICTS.get(verdict, verdict))


def kyc_reason(stored: dict[str, Any]) -> str:
    """A stored reason as a sentence in the reader's language."""
    return say(Reason.from_json(stored).term())


def kyc_term(code: str) -> str:
    """A KYC term (a check's name, a check digit's field) in words."""
    return say(Term(code))


def kyc_decider(case: KycCase) -> str:
    """Who decided a case, in words."""
    if case.decided_by == STAFF and case.decided_by_user_id is not None:
        person = db.session.get(User, case.decided_by_user_id)
        if person is not None:
            return person.display_name
    return str(DECIDERS.get(case.decided_by, case.decided_by))


def kyc_sex(sex: str) -> str:
    """A person's sex as a document states it, in words."""
    return str(SEXES.get(sex, ""))


@bp.context_processor
def _kyc_words() -> dict[str, Any]:
    return {
        "kyc_status": kyc_status,
        "kyc_verdict": kyc_verdict,
        "kyc_reason": kyc_reason,
        "kyc_term": kyc_term,
        "kyc_decider": kyc_decider,
        "kyc_sex": kyc_sex,
        "kyc_said": say,
        "kyc_date": format_date,
        "kyc_moment": lambda iso: when(datetime.fromisoformat(iso)),
    }


@bp.get("/kyc")
@brand_only
@staff_required("kyc.read")
def kyc_queue() -> Any:
    """The cases waiting for review, oldest first, a page at a time."""
    form = QueueQuery()
    form.read()
    rows, after, waiting = kyc.queue(db.session, form.after.data, PAGE)
    return render_template("admin/kyc/queue.html", cases=rows, after=after, waiting=waiting)


def _case_page(case: KycCase, form: DecisionForm, shown: Any = None, status: int = 200) -> Any:
    page = render_template(
        "admin/kyc/case.html",
        case=case,
        form=form,
        masked=kyc.masked(case),
        shown=shown,
        birth_date=kyc.birth_date(case) if shown else None,
    )
    return page, status


@bp.get("/kyc/cases/<int:case_id>")
@brand_only
@staff_required("kyc.read")
def kyc_case(case_id: int) -> Any:
    """One case: who, what was checked (masked), each check's verdict, the decision."""
    return _case_page(found(kyc.get, db.session, case_id), DecisionForm(formdata=None))


@bp.post("/kyc/cases/<int:case_id>/decision")
@brand_only
@staff_required("kyc.review")
def kyc_decide(case_id: int) -> Any:
    """Approve or reject a case waiting for review, with the reason."""
    case = found(kyc.get, db.session, case_id)
    form = DecisionForm()
    done = saved(
        form,
        lambda: kyc.decide(db.session, case, form.decision.data, form.reason.data, current_user.id),
    )
    if done is None:
        tell(form, _l("Not decided: %(error)s"))
        db.session.expire_all()
        return _case_page(found(kyc.get, db.session, case_id), form, status=INVALID)
    said = say(Term(f"kyc.status.{done.status}"))
    flash(_("KYC case %(id)s: %(status)s.", id=case_id, status=said), "success")
    return redirect(url_for("admin.kyc_queue"))


@bp.post("/kyc/cases/<int:case_id>/personal-data")
@brand_only
@staff_required("personal_data.read")
def kyc_personal_data(case_id: int) -> Any:
    """Show a case's personal data in full; the view is written to the audit log."""
    with unit_of_work() as session:
        case = found(kyc.get, session, case_id)
        shown = kyc.personal_data(session, case)
    return _case_page(found(kyc.get, db.session, case_id), DecisionForm(formdata=None), shown)


def _mrz_page(form: MrzForm, zone: mrz.Zone | None = None, status: int = 200) -> Any:
    return render_template("admin/kyc/mrz.html", form=form, zone=zone), status


@bp.get("/kyc/mrz")
@brand_only
@staff_required("kyc.read")
def kyc_mrz() -> Any:
    """A form to check the lines of a machine-readable zone by hand."""
    return _mrz_page(MrzForm(formdata=None))


@bp.post("/kyc/mrz")
@brand_only
@staff_required("kyc.read")
def kyc_mrz_check() -> Any:
    """Check the lines typed in: each check digit's verdict; nothing is stored."""
    form = MrzForm()
    if not form.validate():
        return _mrz_page(form, status=INVALID)
    try:
        zone = mrz.parse(form.lines.data.splitlines())
    except mrz.MrzError as exc:
        refuse(form, exc)
        return _mrz_page(form, status=INVALID)
    return _mrz_page(form, zone)
