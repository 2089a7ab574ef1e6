"""The promotion form: a discount, how long it lasts, and who may redeem it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from saas.catalog import models as M
from saas.catalog import services as catalog
from saas.db import db
from saas.money import money_text
from saas.web.admin.catalog_forms import REQUIRED, TOO_LONG, code_field, labelled, name_field
from saas.web.fields import (
    Choice,
    LocaleDecimalField,
    LocaleIntegerField,
    LocalTimeField,
    choices,
    strip,
)
from saas.web.forms import Form

KINDS = ("percent", "fixed")
DURATIONS = ("once", "repeating", "forever")


def plan_choices() -> list[Any]:
    """Any plan, or one of the brand's plans by code."""
    plans = [(p.code, f"{p.name} ({p.code})") for p in catalog.plans(db.session)]
    return choices([("", _l("any plan")), *plans])


def upper(value: Any) -> Any:
    """Write codes and currencies in capitals, as they are stored."""
    return value.upper() if isinstance(value, str) else value


class PromotionTerms(Form):
    """What a promotion offers and to whom; times are typed in the brand's zone."""

    name = name_field(_l("Name"), required=True)
    value = LocaleDecimalField(
        _l("Value (percent, or amount off)"),
        [InputRequired(message=REQUIRED)],
        minimum=Decimal(0),
        places=10,
    )
    currency = StringField(
        _l("Currency (fixed amounts)"),
        [Length(max=3, message=TOO_LONG)],
        filters=[strip, upper],
        render_kw={"maxlength": 3},
    )
    component = code_field(
        _l("Only for the recurring component (code)"), required=False, render_kw={"maxlength": 64}
    )
    duration = Choice(_l("Lasts"), choices=lambda: labelled(DURATIONS), default="once")
    cycles = LocaleIntegerField(_l("Periods (repeating)"), minimum=Decimal(1))
    promo_code = StringField(
        _l("Promo code"),
        [Length(max=64, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": 64},
    )
    max_redemptions = LocaleIntegerField(_l("At most this many redemptions"), minimum=Decimal(1))
    valid_from = LocalTimeField()
    valid_until = LocalTimeField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = str(get_timezone())
        self.valid_from.label.text = _("Valid from (%(zone)s)", zone=zone)
        self.valid_until.label.text = _("Valid until (%(zone)s)", zone=zone)

    def changes(self, kind: str) -> dict[str, Any]:
        """The editable members as the domain reads them; a currency only for a fixed amount."""
        currency = {"currency": self.currency.data} if kind == "fixed" else {}
        return currency | {
            "name": self.name.data,
            "value": self.value.data,
            "component": self.component.data or None,
            "duration": self.duration.data,
            "cycles": self.cycles.number,
            "promo_code": self.promo_code.data or None,
            "max_redemptions": self.max_redemptions.number,
            "valid_from": self.valid_from.data,
            "valid_until": self.valid_until.data,
        }


class PromotionForm(PromotionTerms):
    """A new promotion: its code, kind and plan too, which stay once it exists."""

    code = code_field(_l("Code"), render_kw={"maxlength": 64, "autocomplete": "off"})
    kind = Choice(_l("Discount kind"), choices=lambda: labelled(KINDS), default="percent")
    plan = Choice(_l("Only for plan"), choices=plan_choices, blank_ok=True)

    def spec_data(self) -> dict[str, Any]:
        """The form as the mapping PromotionSpec.parse reads; only a fixed amount has a currency."""
        kept = {"code": self.code.data, "kind": self.kind.data, "plan": self.plan.data or None}
        return kept | {"currency": None} | self.changes(str(self.kind.data))


def edit_data(promotion: M.Promotion) -> dict[str, Any]:
    """The promotion as the edit form shows it; a fixed amount with its currency's decimals."""
    data = catalog.promotion_data(promotion)
    if promotion.currency and promotion.kind == "fixed":
        data["value"] = Decimal(money_text(promotion.value, promotion.currency))
    return data
