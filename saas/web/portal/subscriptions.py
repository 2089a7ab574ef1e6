"""The subscriber's plans in the portal: what is on sale, what they hold, priced changes."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from saas.catalog import models as M
from saas.catalog.specs import CatalogError
from saas.customers.credit.errors import CreditError
from saas.db import db, get_scoped, unit_of_work, utcnow
from saas.identity.models import User
from saas.subscriptions import changes
from saas.subscriptions import charges as C
from saas.subscriptions import services as subs
from saas.subscriptions.models import Subscription, SubscriptionEvent
from saas.web import subscription_labels as labels
from saas.web.auth import brand_only, subscriber_required
from saas.web.catalogue import catalogue
from saas.web.change_forms import (
    ChangeForm,
    change_forms,
    confirmation,
    lift_errors,
    pinned,
    priced,
    step,
    unconfirmed,
    version_choices,
)
from saas.web.forms import add_error, message, tell
from saas.web.portal import bp
from saas.web.portal.forms import ConfirmTakePlanForm, PlansQuery, TakePlanForm, addon_choices
from saas.web.portal.held import Line, active_addons, live_lines

ERRORS = (subs.SubscriptionError, CatalogError, CreditError)
# The changes a subscriber made and may call off; a price list's move is the brand's.
OWN_CHANGES = {subs.CANCEL, subs.PLAN_CHANGED}
RECENT = 10
INVALID, PRICE_MOVED, NOT_ALLOWED = 400, 409, 409
DID_NOT_WORK = _l("That did not work: %(reason)s")
LINKED = ("change", "remove-addon")  # asked from a link, not from a form on the page
F = TypeVar("F", bound=TakePlanForm)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return labels.helpers() | {
        "my_subscription": _current,
        "shown_fields": pinned,
        "priced_version": lambda sub: catalogue().plan_version(sub.plan_version_id),
    }


def _held() -> list[Line | Subscription]:
    """The subscriber's subscriptions that have not ended, newest first (read once a request)."""
    if not current_user.is_authenticated or current_user.kind != "subscriber":
        return []
    if "portal_held" not in g:
        shown = live_lines(db.session, current_user.id, catalogue())
        # A line on a version published since the catalogue was read is read as it is.
        g.portal_held = (
            changes.live(subs.held_by(db.session, current_user)) if shown is None else shown
        )
    return list(g.portal_held)


def _current() -> Line | Subscription | None:
    """The subscriber's newest subscription that has not ended."""
    held = _held()
    return held[0] if held else None


def _mine(sub_id: int) -> Subscription:
    """One of the subscriber's own subscriptions; anyone else's does not exist here."""
    sub = subs.get(db.session, sub_id)
    if sub is None or sub.subscriber_id != current_user.id:
        abort(404)
    return sub


def _refused(exc: Exception) -> None:
    flash(DID_NOT_WORK % {"reason": message(exc)}, "error")


def _forms(
    sub: Line | Subscription,
    asked: str | None = None,
    query: Any = None,
    confirming: bool = False,
) -> dict[str, ChangeForm]:
    """The line's change forms, offering what is on sale in its plan's currency.

    Only the forms that show or read a choice are given one: the plans for a change asked for,
    the add-ons for the page (its booking form) or a booking asked for.
    """
    currency, on_sale = sub.plan_version.plan.currency, catalogue()
    plans = (
        version_choices(on_sale.sellable(M.PLAN, currency), currency) if asked == "change" else []
    )
    offers = on_sale.sellable(M.ADDON, currency) if asked in (None, "addon") else []
    addons = addon_choices(offers, currency)
    return change_forms(plans, addons, asked, query, confirming=confirming)


def _plan_page(
    sub: Line | Subscription | None,
    status: int = 200,
    forms: dict[str, ChangeForm] | None = None,
) -> Any:
    if sub is None:
        return render_template("portal/plan.html", sub=None, others=[]), status
    held = _held()
    history = subs.shown_history(db.session, sub.id)
    upcoming, recent = changes.waiting(history), list(reversed(history))[:RECENT]
    addons, prices = active_addons(sub), catalogue()
    # Prices, allowances and the version on sale come from the catalogue kept in memory.
    version = prices.plan_version(sub.plan_version_id)
    interval = sub.plan_version.billing_interval
    return render_template(
        "portal/plan.html",
        sub=sub,
        version=version,
        sold=prices.sold(version.plan_id) if version else None,
        others=[s for s in held if s.id != sub.id],
        period=subs.period_on(db.session, sub.tenant_id, sub.anchor_date, interval, utcnow()),
        addons=addons,
        forms=forms or _forms(sub),
        upcoming=upcoming,
        recent=recent,
        version_named=prices.plan_version,
    ), status


def _preview_page(
    preview: C.Preview,
    confirm_url: str,
    params: dict[str, str],
    sub: Subscription | None = None,
    status: int = 200,
    promo: TakePlanForm | None = None,
) -> Any:
    return render_template(
        "portal/preview.html",
        preview=preview,
        target=changes.version_named(db.session, preview.plan_version_id),
        confirm_url=confirm_url,
        params=params,
        sub=sub,
        promo_form=promo,
    ), status


def _after(sub: Line | Subscription) -> Any:
    current = _current()
    if current is None or current.id == sub.id:
        return redirect(url_for("portal.my_plan"))
    return redirect(url_for("portal.plan_of", sub_id=sub.id))


@bp.get("/plan")
@brand_only
@subscriber_required
def my_plan() -> Any:
    """Show the subscriber's plan, or the way to choose one."""
    return _plan_page(_current())


@bp.get("/plan/<int:sub_id>")
@brand_only
@subscriber_required
def plan_of(sub_id: int) -> Any:
    """Show one of the subscriber's lines."""
    return _plan_page(_mine(sub_id))


@bp.get("/plans")
@brand_only
@subscriber_required
def plans() -> Any:
    """Show the plans on sale, to take one or to change to one."""
    query = PlansQuery()
    query.read()  # asked from a link: an id no line can have shows the newest line's plans
    asked = query.subscription.data
    return _plans_page(_mine(asked) if asked is not None else _current())


def _plans_page(sub: Line | Subscription | None, refused: dict[str, str] | None = None) -> Any:
    """The plans on sale; `refused` says beside a plan why it cannot be taken (a 409)."""
    currency = sub.plan_version.plan.currency if sub else g.tenant.currency
    # With a cancellation coming the plan stays as it is: the page says so and offers no change.
    ending = _ending(sub) if sub else None
    page = render_template(
        "portal/plans.html",
        sub=sub,
        ending=ending,
        offers=catalogue().sellable(M.PLAN, currency),
        refused=refused or {},
    )
    return page, NOT_ALLOWED if refused else 200


def _not_allowed(form: TakePlanForm, exc: CreditError) -> Any:
    """The plans page, saying beside the plan chosen why the person's class does not allow it."""
    return _plans_page(None, {form.plan.data or "": message(exc, record=False)})


def _ending(sub: Line | Subscription) -> Any:
    """The cancellation the line has coming, if any."""
    waiting = changes.waiting(subs.shown_history(db.session, sub.id))
    return next((e for e in waiting if e.kind == subs.CANCEL), None)


@bp.post("/plan/<int:sub_id>/scheduled/<int:event_id>/revoke")
@brand_only
@subscriber_required
def change_revoke(sub_id: int, event_id: int) -> Any:
    """Call off one of the subscriber's own changes (a cancellation, a downgrade) not yet due."""
    sub = _mine(sub_id)
    event = get_scoped(db.session, SubscriptionEvent, event_id)
    if event is None or event.subscription_id != sub.id or event.kind not in OWN_CHANGES:
        abort(404)
    try:
        with unit_of_work() as session:
            subs.revoke(session, event, utcnow())
    except ERRORS as exc:
        _refused(exc)
        return _plan_page(sub, INVALID)
    flash(_("Called off: nothing changes."), "success")
    return _after(sub)


def _offering(form: F) -> F:
    """The form to take a plan with, offering the plans on sale."""
    form.plan.choices = version_choices(
        catalogue().sellable(M.PLAN, g.tenant.currency), g.tenant.currency
    )
    return form


def _priced_without_promo(form: TakePlanForm, exc: Exception) -> C.Preview | None:
    """When the promo code is what was refused, the plan's price without it; else None."""
    if not form.promo_code.data:
        return None
    try:
        plan = {"plan": form.plan.data or ""}
        preview = changes.preview_subscribe(db.session, plan, utcnow(), _me())
    except ERRORS:
        return None
    add_error(form.promo_code, message(exc))
    form.promo_code.raw_data = [form.promo_code.data]  # shown again as typed
    return preview


@bp.get("/plans/subscribe")
@brand_only
@subscriber_required
def subscribe_preview() -> Any:
    """Price taking a plan (with an optional promo code); nothing is taken yet."""
    form = _offering(TakePlanForm(formdata=request.args))
    current = _current()
    if current is not None:
        return redirect(
            url_for(
                "portal.change_preview", sub_id=current.id, action="change", plan=form.plan.data
            )
        )
    confirm_url = url_for("portal.subscribe_confirm")
    if not form.validate():
        tell(form, DID_NOT_WORK, "reason")
        return redirect(url_for("portal.plans"))
    try:
        preview = changes.preview_subscribe(db.session, form.params(), utcnow(), _me())
    except CreditError as exc:
        return _not_allowed(form, exc)
    except ERRORS as exc:
        fallback = _priced_without_promo(form, exc)
        if fallback is None:
            _refused(exc)
            return redirect(url_for("portal.plans"))
        params = {"plan": form.plan.data or "", "promo_code": ""}
        return _preview_page(fallback, confirm_url, params, status=INVALID, promo=form)
    return _preview_page(preview, confirm_url, form.params(), promo=form)


@bp.post("/plans/subscribe")
@brand_only
@subscriber_required
def subscribe_confirm() -> Any:
    """Take the previewed plan, unless its price moved since it was shown."""
    form = _offering(ConfirmTakePlanForm(formdata=request.form))
    if not form.validate():
        unconfirmed(form, linked=True)
        tell(form, DID_NOT_WORK, "reason")
        return redirect(url_for("portal.plans"))
    params = form.params()
    try:
        with unit_of_work() as session:
            outcome = changes.subscribe(session, _me(), params, form.shown(), utcnow())
    except CreditError as exc:
        return _not_allowed(form, exc)
    except ERRORS as exc:
        _refused(exc)
        return redirect(url_for("portal.plans"))
    if outcome.price_moved:
        flash(labels.price_moved(), "error")
        url = url_for("portal.subscribe_confirm")
        return _preview_page(outcome.preview, url, params, status=PRICE_MOVED, promo=form)
    flash(labels.done(outcome.preview, outcome.made.plan_version), "success")
    return redirect(url_for("portal.my_plan"))


def _me() -> User:
    # The domain stores the person on the subscription: the real object, not the proxy.
    return current_user._get_current_object()


@bp.get("/plan/<int:sub_id>/preview/<action>")
@brand_only
@subscriber_required
def change_preview(sub_id: int, action: str) -> Any:
    """Price a change to one of the subscriber's lines; nothing is changed yet."""
    sub, change = _mine(sub_id), step(action, changes.PORTAL_STEPS)
    forms = _forms(sub, action, request.args)
    form = forms[action]
    preview = priced(form, change, sub)
    if preview is not None:
        url = url_for("portal.change_confirm", sub_id=sub.id, action=action)
        return _preview_page(preview, url, form.params(), sub)
    if action in LINKED:
        lift_errors(form)  # asked from a link, not from a form on the page
    tell(form, DID_NOT_WORK, "reason")
    return _plan_page(sub, INVALID, forms)


@bp.post("/plan/<int:sub_id>/<action>")
@brand_only
@subscriber_required
def change_confirm(sub_id: int, action: str) -> Any:
    """Make a previewed change, unless its price moved since it was shown."""
    sub, change = _mine(sub_id), step(action, changes.PORTAL_STEPS)
    forms = _forms(sub, action, request.form, confirming=True)
    form = confirmation(forms, action)
    if not form.validate():
        unconfirmed(form, linked=action in LINKED)
        tell(form, DID_NOT_WORK, "reason")
        return _plan_page(sub, INVALID, forms)
    params, shown = form.params(), form.shown()
    try:
        with unit_of_work() as session:
            outcome = changes.confirm(session, sub, change, params, shown, utcnow())
    except ERRORS as exc:
        _refused(exc)
        return _plan_page(sub, INVALID)
    preview = outcome.preview
    if outcome.price_moved:
        flash(labels.price_moved(), "error")
        url = url_for("portal.change_confirm", sub_id=sub.id, action=action)
        return _preview_page(preview, url, params, sub, PRICE_MOVED)
    flash(
        labels.done(preview, changes.version_named(db.session, preview.plan_version_id)), "success"
    )
    return _after(sub)
