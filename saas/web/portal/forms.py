"""The portal's forms: the subscriber's profile, taking a plan, booking an add-on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from saas.catalog import models as M
from saas.subscriptions import charges as C
from saas.web import subscription_labels as labels
from saas.web.change_forms import PROMO_MAX, TOO_LONG, Pinned, text_field
from saas.web.fields import Choice, RowIdField, choices, strip
from saas.web.forms import Form, QueryForm
from saas.web.i18n import LANGUAGE_NAMES, money, offered_locales, plan_name

NAME_MAX = 200


def addon_choices(versions: Iterable[M.PlanVersion], currency: str) -> list[Any]:
    """Add-ons on sale as options: name, price per period and any one-time fees."""
    pairs = []
    for v in versions:
        words = [plan_name(v.plan)]
        price = C.per_period(v, None, currency)
        if price:
            interval = labels.named(labels.INTERVALS, v.billing_interval)
            words.append(f"{money(price, currency)} {interval}")
        fees = [f.amount for f in labels.one_time_fees(v) if f.amount]
        words += [f"{money(amount, currency)} {_('once')}" for amount in fees]
        pairs.append((v.plan.code, " \u00b7 ".join(words)))
    return choices(pairs)


def language_choices() -> list[Any]:
    """The brand's languages, each named in itself (and marked as written in it)."""
    return [
        SelectChoice(value=loc, label=LANGUAGE_NAMES.get(loc, loc), render_kw={"lang": loc})
        for loc in offered_locales()
    ]


class ProfileForm(Form):
    """The subscriber's name and preferred language."""

    full_name = StringField(
        _l("Full name"),
        [Length(max=NAME_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": NAME_MAX, "autocomplete": "name"},
    )
    locale = Choice(
        _l("Preferred language"),
        choices=language_choices,
        message=_l("Please choose one of the languages offered."),
    )


class TakePlanForm(Form):
    """A plan on sale to take, with an optional promo code."""

    plan = Choice(_l("Plan"))
    promo_code = text_field(_l("Promo code"), PROMO_MAX)

    def params(self) -> dict[str, str]:
        """What the domain's subscribe preview reads."""
        return {"plan": self.plan.data or "", "promo_code": self.promo_code.data or ""}


class ConfirmTakePlanForm(TakePlanForm, Pinned):
    """Taking a plan as previewed: the plan, the promo code and the price shown."""

    def params(self) -> dict[str, str]:
        return TakePlanForm.params(self)


class PlansQuery(QueryForm):
    """Which of the subscriber's lines the plans on sale are shown for; their newest if none."""

    subscription = RowIdField()
