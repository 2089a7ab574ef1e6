"""The platform console's form for a new version of a brand's wholesale agreement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FormField, StringField
from wtforms.validators import InputRequired, Length

from saas.usage.wholesale import GroupSpec, RateSpec
from saas.web.fields import Choice, LocaleDecimalField, choices, strip
from saas.web.forms import Form, RowForm, Rows

REQUIRED = _l("Fill this in.")
TOO_LONG = _l("Use at most %(max)d characters.")
SERVICES = {
    "voice": _l("Calls, per minute"),
    "sms": _l("Text messages, per message"),
    "data": _l("Data, per MB"),
}


def _text(label: Any, limit: int, **render_kw: Any) -> StringField:
    checks = [Length(max=limit, message=TOO_LONG)]
    return StringField(label, checks, filters=[strip], render_kw={"maxlength": limit, **render_kw})


class GroupRow(RowForm):
    """A destination group: a code the rates name, and its number prefixes."""

    code = _text(_l("Code"), 64, placeholder="de_mobile")
    name = _text(_l("Name"), 200)
    prefixes = _text(_l("Number prefixes"), 2000, placeholder="4915 4916 4917")

    def is_blank(self) -> bool:
        return not (self.code.data or self.prefixes.data)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not self.code.data:
            self.code.errors = [*self.code.errors, str(REQUIRED)]
            return False
        if not self.prefixes.data:
            self.prefixes.errors = [*self.prefixes.errors, str(REQUIRED)]
            return False
        return valid

    def spec(self) -> GroupSpec:
        prefixes = tuple(
            p.lstrip("+") for p in (self.prefixes.data or "").replace(",", " ").split()
        )
        return GroupSpec(self.code.data or "", self.name.data or "", prefixes)


class RateRow(RowForm):
    """A per-unit price by service, and optionally zone, destination group and volume tier."""

    service = Choice(
        _l("Service"),
        choices=lambda: choices([("", ""), *SERVICES.items()]),
        blank_ok=True,
    )
    zone = _text(_l("Zone (empty: every zone)"), 32, placeholder="eu")
    group = _text(_l("Destination group (empty: any)"), 64)
    from_volume = LocaleDecimalField(
        _l("From the brand's monthly volume"), minimum=Decimal(0), places=6
    )
    price = LocaleDecimalField(_l("Price per unit"), minimum=Decimal(0), places=6)

    def is_blank(self) -> bool:
        return not self.service.data

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.price.data is None and not self.price.errors:
            self.price.errors = [*self.price.errors, str(REQUIRED)]
            return False
        return valid

    def spec(self) -> RateSpec:
        return RateSpec(
            service=self.service.data or "",
            price=self.price.data or Decimal(0),
            zone=self.zone.data or None,
            group=self.group.data or None,
            from_volume=self.from_volume.data or Decimal(0),
        )


class AgreementForm(Form):
    """A new version: from when, the fee per line, destination groups and rates."""

    name = _text(_l("Name"), 200)
    valid_from = DateField(
        _l("Valid from (the brand's local day)"), [InputRequired(message=REQUIRED)]
    )
    line_fee = LocaleDecimalField(
        _l("Monthly fee per active line"),
        [InputRequired(message=REQUIRED)],
        minimum=Decimal(0),
        places=6,
    )
    groups = Rows(FormField(GroupRow), min_entries=3)
    rates = Rows(FormField(RateRow), min_entries=6)
