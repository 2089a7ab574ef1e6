"""The sign-up's forms: one a step, each field refused beside itself in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import Locale
from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from saas.customers.onboarding.steps import BY_NAME
from saas.web.fields import Choice, choices, strip
from saas.web.forms import Form

REQUIRED = _l("Fill this in.")
TOO_LONG = _l("Use at most %(max)d characters.")
CHOOSE = _l("Choose one of the options offered.")
NOT_A_DATE = _l("Enter your date of birth.")
NAME_MAX, LINE_MAX = 100, 200


def text(
    label: Any,
    limit: int = NAME_MAX,
    required: bool = True,
    also: tuple[Any, ...] = (),
    **kwargs: Any,
) -> StringField:
    """A trimmed text of bounded length; required unless said otherwise."""
    checks: list[Any] = [DataRequired(REQUIRED)] if required else []
    checks += [Length(max=limit, message=TOO_LONG), *also]
    render_kw = {"maxlength": limit} | kwargs.pop("render_kw", {})
    return StringField(label, checks, filters=[strip], render_kw=render_kw, **kwargs)


def radio(label: Any, pairs: list[tuple[str, Any]]) -> RadioField:
    """One of a few options, each shown."""
    return RadioField(label, [DataRequired(CHOOSE)], choices=pairs)


def needed_when(other: str, value: str) -> Any:
    """Require a field when another field holds a given value."""

    def check(form: Any, field: Any) -> None:
        if form[other].data == value and not field.data:
            raise ValidationError(str(REQUIRED))

    return check


# Where a subscriber may live: the European Economic Area, Switzerland and the United Kingdom.
COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]


def country_choices() -> list[Any]:
    """The countries a subscriber may live in, named in the reader's language, the brand's first."""
    names = Locale.parse(str(get_locale())).territories
    pairs = sorted(((code, names.get(code, code)) for code in COUNTRIES), key=lambda p: p[1])
    own = [p for p in pairs if p[0] == g.tenant.country]
    return choices(own + [p for p in pairs if p[0] != g.tenant.country])


class StepForm(Form):
    """A step's form; its answers are its fields, named as the step names them."""

    step: str = ""

    def answers(self) -> dict[str, Any]:
        """The typed answers, as the sign-up keeps them."""
        return {name: self[name].data for name in BY_NAME[self.step].fields if name in self}

    @classmethod
    def of(cls, told: dict[str, Any], **kwargs: Any) -> StepForm:
        """The form filled with what was told before (dates kept as text are read back)."""
        data = {
            name: _date_or_text(value)
            if name.endswith("_date") and isinstance(value, str)
            else value
            for name, value in told.items()
        }
        return cls(data=data, **kwargs)


def _date_or_text(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


class StartForm(Form):
    """Who to write to, and in which language."""

    email = text(_l("E-mail"), 254, render_kw={"type": "email", "autocomplete": "email"})
    locale = Choice(_l("Language"))


class PersonForm(StepForm):
    """Who signs up: a person, or a company and its contact."""

    step = "person"
    kind = radio(
        _l("I sign up as"), [("individual", _l("a private person")), ("company", _l("a company"))]
    )
    first_name = text(_l("First name"), render_kw={"autocomplete": "given-name"})
    last_name = text(_l("Last name"), render_kw={"autocomplete": "family-name"})
    birth_date = DateField(_l("Date of birth"), [DataRequired(NOT_A_DATE)], format="%Y-%m-%d")
    company_name = text(_l("Company name"), LINE_MAX, required=False)
    vat_id = text(_l("VAT number"), 20, required=False)


class AddressForm(StepForm):
    """Where the person lives (or the company sits)."""

    step = "address"
    street = text(_l("Street and number"), LINE_MAX, render_kw={"autocomplete": "street-address"})
    postcode = text(_l("Postcode"), 16, render_kw={"autocomplete": "postal-code"})
    city = text(_l("City"), render_kw={"autocomplete": "address-level2"})
    country = Choice(_l("Country"), choices=country_choices)


class DocumentForm(StepForm):
    """The identity document, as its machine-readable zone reads, and a national number."""

    step = "document"
    document_kind = radio(
        _l("Identity document"), [("id_card", _l("Identity card")), ("passport", _l("Passport"))]
    )
    mrz = TextAreaField(
        _l("Machine-readable lines"),
        [DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 3, "spellcheck": "false", "autocapitalize": "characters"},
    )
    national_id = text(_l("National identity number"), 20, required=False)


class PlanForm(StepForm):
    """The plan to start with."""

    step = "plan"
    plan_version_id = RadioField(_l("Plan"), [DataRequired(CHOOSE)], coerce=int, choices=[])


class SimForm(StepForm):
    """An eSIM, or a SIM card by post."""

    step = "sim"
    sim_kind = radio(
        _l("SIM"),
        [("esim", _l("eSIM, ready at once")), ("physical", _l("SIM card, sent by post"))],
    )


class NumberForm(StepForm):
    """A new number, or the one the person has with another operator."""

    step = "number"
    number_choice = radio(
        _l("Phone number"),
        [("new", _l("Give me a new number")), ("keep", _l("Keep my number from another operator"))],
    )
    msisdn = text(
        _l("Number to keep"),
        20,
        required=False,
        also=(needed_when("number_choice", "keep"),),
        render_kw={"type": "tel", "autocomplete": "tel"},
    )
    donor = text(
        _l("Current operator"), required=False, also=(needed_when("number_choice", "keep"),)
    )
    donor_account = text(_l("Customer number there"), 40, required=False)


class ConsentsForm(StepForm):
    """How to pay, and what the person agrees to."""

    step = "consents"
    payment = radio(
        _l("Payment"), [("direct_debit", _l("Direct debit from my account")), ("card", _l("Card"))]
    )
    iban = text(_l("IBAN"), 34, required=False, also=(needed_when("payment", "direct_debit"),))
    terms = BooleanField(_l("I accept the terms of service"))
    privacy = BooleanField(_l("I have read how my data is used"))
    marketing = BooleanField(_l("Send me offers now and then (optional)"))


FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (PersonForm, AddressForm, DocumentForm, PlanForm, SimForm, NumberForm, ConsentsForm)
}
