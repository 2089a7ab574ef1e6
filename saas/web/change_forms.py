"""The forms that ask for a subscription change's price, in the console and the portal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import Length

from saas.catalog import models as M
from saas.db import db, utcnow
from saas.errors import Refusal
from saas.subscriptions import charges as C
from saas.subscriptions.changes import Step
from saas.subscriptions.models import Subscription
from saas.web import subscription_labels as labels
from saas.web.fields import Choice, choices, strip
from saas.web.forms import Form, refuse
from saas.web.i18n import money

TOO_LONG = _l("Use at most %(max)d characters.")
REASON_MAX, LINE_MAX, PROMO_MAX, NAME_MAX = 500, 120, 64, 200
WHEN = (
    ("period_end", _l("At the end of the period")),
    ("now", _l("Now, crediting the unused days")),
)


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
        pairs.append((v.plan.code, f"{v.label} \u00b7 {money(price, currency)} {interval}"))
    return choices(pairs)


class ChangeForm(Form):
    """The parameters one kind of change takes, read from the query that asks for its price."""

    def params(self) -> dict[str, str]:
        """The change's parameters as the domain's previews read them."""
        return {name: str(field.data or "") for name, field in self._fields.items()}


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


def lift_errors(form: ChangeForm) -> None:
    """Show above the page what is wrong with fields the page has no form for (links)."""
    form.form_errors = [*form.form_errors, *(e for field in form for e in field.errors)]
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


def change_forms(
    plans: list[Any], addons: list[Any], asked: str | None = None, query: Any = None
) -> dict[str, ChangeForm]:
    """Every change form of a subscription's page; the one asked for holds what was sent."""
    forms = {}
    for action, form_class in FORMS.items():
        data = query if action == asked else None
        form = form_class(formdata=MultiDict(data) if data is not None else None)
        if isinstance(form, PlanChangeForm):
            form.plan.choices = plans
        if isinstance(form, AddonForm):
            form.addon.choices = addons
        forms[action] = form
    return forms


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
        return {name: str(field.data or "") for name, field in self._fields.items()}


def priced(form: ChangeForm, change: Step, sub: Subscription) -> C.Preview | None:
    """Price the change a valid form asks for; a refusal lands on the form and prices nothing."""
    if not form.validate():
        return None
    try:
        return change.preview(db.session, sub, form.params(), utcnow())
    except Refusal as exc:
        refuse(form, exc)
        return None
