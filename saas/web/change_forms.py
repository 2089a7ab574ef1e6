"""The forms that ask for a subscription change's price, and confirm it, in console and portal.

A confirmation carries the change's own fields and, hidden, the price it was shown; the rule
that makes a change only at that price is `saas.subscriptions.changes.confirm`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import InputRequired, Length

from saas.catalog import models as M
from saas.db import db, utcnow
from saas.errors import Refusal
from saas.subscriptions import charges as C
from saas.subscriptions.changes import STEPS, Shown, Step
from saas.subscriptions.models import Subscription
from saas.web import subscription_labels as labels
from saas.web.fields import Choice, ExactDecimalField, RowIdField, choices, strip, write_exact
from saas.web.forms import Form, refuse
from saas.web.i18n import money, plan_name

TOO_LONG = _l("Use at most %(max)d characters.")
UNREAD = _l("the price shown could not be read: please ask for the price again.")
REASON_MAX, LINE_MAX, PROMO_MAX, NAME_MAX = 500, 120, 64, 200
WHEN = (
    ("period_end", _l("At the end of the period")),
    ("now", _l("Now, crediting the unused days")),
)


def step(action: str, offered: Collection[str]) -> Step:
    """The kind of change an action names, if this screen offers it; any other answers 404."""
    if action not in offered:
        abort(404)
    return STEPS[action]


def text_field(label: Any, limit: int, **kwargs: Any) -> StringField:
    """Optional short text, trimmed, no longer than what is kept of it."""
    checks = [Length(max=limit, message=TOO_LONG)]
    return StringField(label, checks, filters=[strip], render_kw={"maxlength": limit}, **kwargs)


def version_choices(versions: Iterable[M.PlanVersion], currency: str) -> list[Any]:
    """Plans or add-ons on sale as options: their name, price and billing interval."""
    pairs = []
    for v in versions:
        price = C.per_period(v, None, currency)
        interval = labels.named(labels.INTERVALS, v.billing_interval)
        label = f"{plan_name(v.plan)} v{v.number}"
        pairs.append((v.plan.code, f"{label} \u00b7 {money(price, currency)} {interval}"))
    return choices(pairs)


def params_of(form: Form) -> dict[str, str]:
    """A form's fields as the domain reads a change's parameters: text by name, no price pins."""
    return {name: str(field.data or "") for name, field in form._fields.items() if name not in PINS}


class ChangeForm(Form):
    """The parameters one kind of change takes, read from the query that asks for its price."""

    def params(self) -> dict[str, str]:
        """The change's parameters as the domain's previews read them."""
        return params_of(self)


class Pinned(Form):
    """The price a confirmation was shown, carried in hidden fields the page wrote itself."""

    expected_total = ExactDecimalField(validators=[InputRequired(UNREAD)])
    expected_next = ExactDecimalField(validators=[InputRequired(UNREAD)])
    expected_version = RowIdField()

    def params(self) -> dict[str, str]:
        """The change's own parameters, without the price pins."""
        return params_of(self)

    def shown(self) -> Shown:
        """The price shown, as the domain compares it with the price now."""
        total, following = self.expected_total.data, self.expected_next.data
        assert total is not None and following is not None  # required, so valid means present
        return Shown(total, following, self.expected_version.data)

    def lift_pins(self) -> None:
        """Say once, above the page, that the hidden price could not be read."""
        if any(self[name].errors for name in PINS):
            self.form_errors.append(str(UNREAD))
        for name in PINS:
            self[name].errors = []


PINS = ("expected_total", "expected_next", "expected_version")


def pinned(preview: C.Preview) -> dict[str, str]:
    """The hidden fields that pin a confirmation to the price it was shown with."""
    version = preview.plan_version_id
    return {
        "expected_total": write_exact(preview.total),
        "expected_next": write_exact(preview.next_recurring),
        "expected_version": "" if version is None else str(version),
    }


class PlanChangeForm(ChangeForm):
    plan = Choice(_l("Change plan"))


class AddonForm(ChangeForm):
    addon = Choice(_l("Add an add-on"))


class SuspendForm(ChangeForm):
    reason = text_field(_l("Suspend: reason"), REASON_MAX, id="suspend-reason")


class CancelForm(ChangeForm):
    when = Choice(_l("End the subscription"), choices=lambda: choices(WHEN), default="period_end")
    reason = text_field(_l("Reason"), REASON_MAX, id="cancel-reason")


class RemoveAddonForm(ChangeForm):
    item = HiddenField()


class ResumeForm(ChangeForm):
    pass


def lift_errors(form: Form) -> None:
    """Show above the page what is wrong with fields the page has no form for (links)."""
    lifted = [*form.form_errors, *(e for field in form for e in field.errors)]
    form.form_errors = list(dict.fromkeys(lifted))  # hidden fields may share one message
    for field in form:
        field.errors = []


FORMS: dict[str, type[ChangeForm]] = {
    "change": PlanChangeForm,
    "addon": AddonForm,
    "suspend": SuspendForm,
    "resume": ResumeForm,
    "cancel": CancelForm,
    "remove-addon": RemoveAddonForm,
}


def _confirming(form_class: type[ChangeForm]) -> type[ChangeForm]:
    """The form that confirms a change: its own fields and the price it was shown."""
    return type(f"Confirm{form_class.__name__}", (form_class, Pinned), {})


CONFIRMS = {action: _confirming(form_class) for action, form_class in FORMS.items()}


def change_forms(
    plans: list[Any],
    addons: list[Any],
    asked: str | None = None,
    query: Any = None,
    *,
    confirming: bool = False,
) -> dict[str, ChangeForm]:
    """Every change form of a subscription's page; the one asked for holds what was sent.

    When `confirming`, the one asked for also reads the price its confirmation was shown.
    """

    def build(action: str) -> ChangeForm:
        data = query if action == asked else None
        form_class = CONFIRMS[action] if data is not None and confirming else FORMS[action]
        form = form_class(formdata=MultiDict(data) if data is not None else None)
        if isinstance(form, PlanChangeForm):
            form.plan.choices = plans
        if isinstance(form, AddonForm):
            form.addon.choices = addons
        return form

    return ChangeForms(build)


class ChangeForms(dict[str, ChangeForm]):
    """A page's change forms by action, each built when first asked for: a page shows a few."""

    def __init__(self, build: Callable[[str], ChangeForm]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, action: str) -> ChangeForm:
        if action not in FORMS:
            raise KeyError(action)
        form = self[action] = self._build(action)
        return form


ACCOUNTS = (("own", _l("Their own account")), ("existing", _l("An existing company account")))


class SubscribeForm(Form):
    """A plan for a subscriber, with a promo code and the account the line joins."""

    plan = Choice(_l("Plan"), blank_ok=True)
    promo_code = text_field(_l("Promo code (optional)"), PROMO_MAX)
    account = RadioField(
        _l("Account"),
        choices=lambda: choices([*ACCOUNTS, ("new", _l("A new company account"))]),
        default="own",
        validate_choice=False,
    )
    # Another brand's account answers 404 through the domain's lookup, not a form error.
    account_id = Choice(_l("Company account"), validate_choice=False)
    account_name = StringField(_l("Company name"), filters=[strip])
    line_label = text_field(_l("Line name (optional)"), LINE_MAX)

    def params(self) -> dict[str, str]:
        """What the domain's subscribe preview and account choice read."""
        return params_of(self)


class ConfirmSubscribeForm(SubscribeForm, Pinned):
    """Subscribing as previewed: the plan, code and account, and the price shown."""


def confirmation(forms: dict[str, ChangeForm], action: str) -> Pinned:
    """The form of `change_forms(..., confirming=True)` that confirms the change asked for."""
    form = forms[action]
    assert isinstance(form, Pinned)
    return form


def unconfirmed(form: Pinned, linked: bool = False) -> None:
    """Move what the page cannot show beside a field above it: the price pins, or all (links)."""
    form.lift_pins()
    if linked:
        lift_errors(form)


def priced(form: ChangeForm, change: Step, sub: Subscription) -> C.Preview | None:
    """Price the change a valid form asks for; a refusal lands on the form and prices nothing."""
    if not form.validate():
        return None
    try:
        return change.preview(db.session, sub, form.params(), utcnow())
    except Refusal as exc:
        refuse(form, exc)
        return None
