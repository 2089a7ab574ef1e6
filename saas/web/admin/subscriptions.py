"""Subscriptions in the console: list, one subscription's history, priced changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.catalog import models as M
from saas.catalog.services import sellable
from saas.catalog.specs import CatalogError
from saas.customers import services as customers
from saas.customers.credit.errors import CreditError
from saas.db import db, get_scoped, unit_of_work, utcnow
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import get_user
from saas.subscriptions import changes, listing
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription, SubscriptionEvent
from saas.web import subscription_labels as labels
from saas.web.admin import bp, exports, paging, subscription_rows
from saas.web.admin.filter_forms import STATUSES, SubscriptionFilter
from saas.web.admin.forms import found
from saas.web.auth import brand_only, staff_required
from saas.web.change_forms import (
    ChangeForm,
    ConfirmSubscribeForm,
    SubscribeForm,
    change_forms,
    confirmation,
    lift_errors,
    pinned,
    priced,
    step,
    unconfirmed,
    version_choices,
)
from saas.web.fields import LocalTimeField, choices
from saas.web.forms import Form, message, refuse, tell

ERRORS = (subs.SubscriptionError, CatalogError, customers.CustomerError, CreditError)
SUBSCRIBE_FIELDS = changes.SUBSCRIBE_FIELDS + changes.ACCOUNT_FIELDS
INVALID, PRICE_MOVED = 400, 409
NOT_CHANGED = _l("Not changed: %(reason)s")
F = TypeVar("F", bound=SubscribeForm)


class StateAtForm(Form):
    """The instant whose state of the subscription is asked, typed in the brand's zone."""

    at = LocalTimeField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.at.label.text = _("Local time (%(zone)s)", zone=g.tenant.timezone)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return labels.helpers() | {"subscriptions_of": _subscriptions_of, "shown_fields": pinned}


def _subscriptions_of(user: User) -> list[Subscription]:
    return subs.of_subscriber(db.session, user)


def _subscription(sub_id: int) -> Subscription:
    sub = subs.get(db.session, sub_id)
    if sub is None:
        abort(404)
    return sub


def _refused(exc: Exception) -> None:
    flash(NOT_CHANGED % {"reason": message(exc)}, "error")


def _state(state: subs.State | None, named: changes.Named) -> dict[str, Any]:
    """The subscription as it stood at an instant, with its versions loaded for display."""
    if state is None:
        return {"state": None}
    addons = [named(v) for v in state.addon_version_ids.values()]
    return {
        "state": state,
        "state_version": named(state.plan_version_id),
        "state_addons": [a for a in addons if a is not None],
    }


def _forms(
    sub: Subscription, asked: str | None = None, query: Any = None, confirming: bool = False
) -> dict[str, ChangeForm]:
    """The page's change forms, offering the plans and add-ons on sale in the plan's currency."""
    currency = sub.plan_version.plan.currency
    plans = [
        v for v in sellable(db.session, M.PLAN, currency) if v.plan_id != sub.plan_version.plan_id
    ]
    addons = sellable(db.session, M.ADDON, currency)
    offers = version_choices(plans, currency), version_choices(addons, currency)
    return change_forms(*offers, asked, query, confirming=confirming)


def _detail(
    sub: Subscription,
    status: int = 200,
    at: datetime | None = None,
    forms: dict[str, ChangeForm] | None = None,
    state_form: StateAtForm | None = None,
) -> Any:
    now = utcnow()
    history = subs.history(db.session, sub)
    state = subs.state_at(db.session, sub, at) if at is not None else None
    named = changes.versions_named(db.session, history)  # a state is replayed from these events
    context = {
        "sub": sub,
        "period": subs.current_period(db.session, sub, now),
        "addons": subs.active_addons(sub),
        "upcoming": changes.waiting(history),
        "history": history,
        "state_form": state_form or StateAtForm(formdata=None, data={"at": at or now}),
        "asked_at": at,
        "version_named": named,
        "forms": forms or _forms(sub),
    }
    context |= _state(state, named)
    return render_template("admin/subscriptions/detail.html", **context), status


def _preview(sub: Subscription, action: str, preview: Any, params: Any, status: int = 200) -> Any:
    version = changes.version_named(db.session, preview.plan_version_id)
    return render_template(
        "admin/subscriptions/preview.html",
        sub=sub,
        action=action,
        preview=preview,
        params=params,
        target=version,
    ), status


def _filter() -> SubscriptionFilter:
    return SubscriptionFilter(*listing.filter_names(db.session))


@bp.get("/subscriptions")
@brand_only
@staff_required("subscriptions.read")
def subscriptions_list() -> Any:
    """List the brand's subscriptions newest first, a page at a time, filtered."""
    form = _filter()
    valid = form.read()
    wanted = form.wanted()
    shown, ids = listing.rows(wanted), listing.matching(wanted)
    key, before, after = Subscription.id, form.before.data, form.after.data
    every = ("subscriptions", g.tenant.id) if wanted == listing.Wanted() else None
    found = paging.page(db.session, shown, ids, key, before, after, growing=every)
    return render_template(
        "admin/subscriptions/list.html",
        page=replace(found, rows=subscription_rows.shown(found.rows)),
        filter_form=form,
        kept=form.kept(),
    ), (200 if valid else INVALID)


def _cells(sheet: exports.Sheet) -> Any:
    status = {s: labels.named(labels.STATUSES, s) for s in STATUSES}
    return lambda row: [
        row.id,
        sheet.text(row.full_name),
        sheet.text(row.email),
        sheet.text(row.line_label),
        sheet.text(row.plan_name),
        row.version,
        status.get(row.status, row.status),
        sheet.text(row.promotion),
        sheet.amount(row.price, row.currency),
        row.currency,
        sheet.moment(row.started_at),
    ]


def _header(sheet: exports.Sheet) -> list[str]:
    words = (_("Name"), _("E-mail"), _("Line"), _("Plan"), _("Version"), _("Status"))
    more = (_("Promotion"), _("Price per period"), _("Currency"))
    return ["#", *words, *more, _("Started (%(zone)s)", zone=sheet.zone)]


@bp.get("/subscriptions/export")
@brand_only
@staff_required("subscriptions.read")
def subscriptions_export() -> Any:
    """Download every subscription the filter shows as CSV, for the reader's spreadsheet."""
    form = _filter()
    if not form.read():
        return subscriptions_list()
    sheet = exports.reader_sheet()
    rows = paging.batches(db.session, listing.rows(form.wanted()), Subscription.id)
    return exports.streamed_csv("subscriptions", sheet, _header(sheet), rows, _cells(sheet))


@bp.get("/subscriptions/<int:sub_id>")
@brand_only
@staff_required("subscriptions.read")
def subscription_detail(sub_id: int) -> Any:
    """Show a subscription, its changes to come, its history and its state at a chosen time."""
    sub = _subscription(sub_id)
    if "at" not in request.args:
        return _detail(sub)
    form = StateAtForm(formdata=request.args)
    if not form.validate():
        tell(form, NOT_CHANGED, "reason")
        return _detail(sub, INVALID, state_form=form)
    return _detail(sub, at=form.at.data, state_form=form)


@bp.get("/subscriptions/<int:sub_id>/preview/<action>")
@brand_only
@staff_required("subscriptions.write")
def subscription_preview(sub_id: int, action: str) -> Any:
    """Price a change and ask for confirmation; nothing is changed yet."""
    sub, change = _subscription(sub_id), step(action, changes.STEPS)
    forms = _forms(sub, action, request.args)
    form = forms[action]
    preview = priced(form, change, sub)
    if preview is not None:
        return _preview(sub, action, preview, form.params())
    if action == "remove-addon":
        lift_errors(form)  # asked from a link beside the add-on, not from a form
    tell(form, NOT_CHANGED, "reason")
    return _detail(sub, INVALID, forms=forms)


@bp.post("/subscriptions/<int:sub_id>/<action>")
@brand_only
@staff_required("subscriptions.write")
def subscription_confirm(sub_id: int, action: str) -> Any:
    """Make a previewed change, unless its price moved since it was shown."""
    sub, change = _subscription(sub_id), step(action, changes.STEPS)
    forms = _forms(sub, action, request.form, confirming=True)
    form = confirmation(forms, action)
    if not form.validate():
        unconfirmed(form, linked=action == "remove-addon")
        tell(form, NOT_CHANGED, "reason")
        return _detail(sub, INVALID, forms=forms)
    params, shown = form.params(), form.shown()
    try:
        with unit_of_work() as session:
            outcome = changes.confirm(session, sub, change, params, shown, utcnow())
    except ERRORS as exc:
        _refused(exc)
        return _detail(sub, INVALID)
    preview = outcome.preview
    if outcome.price_moved:
        flash(labels.price_moved(), "error")
        return _preview(sub, action, preview, params, PRICE_MOVED)
    flash(
        labels.done(preview, changes.version_named(db.session, preview.plan_version_id)), "success"
    )
    return redirect(url_for("admin.subscription_detail", sub_id=sub.id))


@bp.post("/subscriptions/<int:sub_id>/events/<int:event_id>/revoke")
@brand_only
@staff_required("subscriptions.write")
def subscription_revoke(sub_id: int, event_id: int) -> Any:
    """Call off a scheduled change before it takes effect."""
    sub = _subscription(sub_id)
    event = get_scoped(db.session, SubscriptionEvent, event_id)
    if event is None or event.subscription_id != sub.id:
        abort(404)
    try:
        with unit_of_work() as session:
            subs.revoke(session, event)
    except ERRORS as exc:
        _refused(exc)
        return _detail(sub, INVALID)
    flash(_("The scheduled change was called off."), "success")
    return redirect(url_for("admin.subscription_detail", sub_id=sub.id))


def _offering(form: F) -> F:
    """The subscribe form with the plans on sale and the brand's company accounts to choose."""
    plans = sellable(db.session, M.PLAN, g.tenant.currency)
    form.plan.choices = [
        *choices([("", _("Choose a plan"))]),
        *version_choices(plans, g.tenant.currency),
    ]
    form.account_id.choices = choices(
        [("", _("Choose a company account"))]
        + [
            (str(a.id), _("%(name)s, lines: %(count)d", name=a.name, count=count))
            for a, count in customers.companies(db.session)
        ]
    )
    return form


def _subscribe_page(
    user: User,
    form: SubscribeForm,
    preview: Any = None,
    status: int = 200,
    choice: changes.AccountChoice | None = None,
) -> Any:
    return render_template(
        "admin/subscriptions/subscribe.html",
        subscriber=user,
        form=form,
        params={k: v for k, v in form.params().items() if k in SUBSCRIBE_FIELDS},
        preview=preview,
        choice=choice,
        target=changes.version_named(db.session, preview.plan_version_id) if preview else None,
    ), status


@bp.get("/subscribers/<int:user_id>/subscribe")
@brand_only
@staff_required("subscriptions.write")
def subscriber_subscribe(user_id: int) -> Any:
    """Choose a plan for a subscriber and, once chosen, show its price to confirm."""
    user = found(get_user, db.session, user_id, SUBSCRIBER)
    form = _offering(SubscribeForm(formdata=request.args))
    if not form.plan.data:
        return _subscribe_page(user, form)
    if form.validate():
        fields = form.params()
        try:
            choice = found(changes.account_choice, db.session, fields)
            preview = changes.preview_subscribe(db.session, fields, utcnow(), user)
        except ERRORS as exc:
            refuse(form, exc)
        else:
            return _subscribe_page(user, form, preview, choice=choice)
    tell(form, NOT_CHANGED, "reason")
    return _subscribe_page(user, form, status=INVALID)


@bp.post("/subscribers/<int:user_id>/subscribe")
@brand_only
@staff_required("subscriptions.write")
def subscriber_subscribe_confirm(user_id: int) -> Any:
    """Subscribe the subscriber to the previewed plan, unless its price moved meanwhile."""
    user = found(get_user, db.session, user_id, SUBSCRIBER)
    form = _offering(ConfirmSubscribeForm(formdata=request.form))
    if not form.validate():
        form.lift_pins()
        tell(form, NOT_CHANGED, "reason")
        return _subscribe_page(user, form, status=INVALID)
    fields, shown = form.params(), form.shown()
    try:
        choice = found(changes.account_choice, db.session, fields)
        with unit_of_work() as session:
            outcome = changes.subscribe(session, user, fields, shown, utcnow())
    except CreditError as exc:
        refuse(form, exc)  # beside the plan its class does not allow
        tell(form, NOT_CHANGED, "reason")
        return _subscribe_page(user, form, status=INVALID)
    except ERRORS as exc:
        _refused(exc)
        return _subscribe_page(user, form, status=INVALID)
    if outcome.price_moved:
        flash(labels.price_moved(), "error")
        return _subscribe_page(user, form, outcome.preview, PRICE_MOVED, choice)
    sub = outcome.made
    flash(labels.done(outcome.preview, sub.plan_version), "success")
    return redirect(url_for("admin.subscription_detail", sub_id=sub.id))
