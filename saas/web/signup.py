"""The sign-up's forms and its steps as the portal and the console both run them.

One form a step, each field refused beside itself in the reader's language; answers shown back
as the applicant would say them, identifiers masked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale
from flask import abort, g, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security.recoverable import generate_reset_password_token
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from saas.customers.onboarding import services as onboarding
from saas.customers.onboarding.models import APPROVED, COMPANY, Application
from saas.customers.onboarding.steps import BY_NAME
from saas.db import db, unit_of_work
from saas.db.sealed import masked
from saas.errors import Refusal
from saas.identity.models import User
from saas.network.provisioning.donors import donors
from saas.subscriptions import charges as C
from saas.web import subscription_labels as labels
from saas.web.catalogue import catalogue
from saas.web.fields import Choice, LocaleIntegerField, choices, strip
from saas.web.forms import Form, refuse
from saas.web.i18n import money, plan_name
from saas.web.refusals import say

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
    # Asked of companies only: each line is a subscription to the plan with a new number.
    lines = LocaleIntegerField(
        _l("Number of lines"), [InputRequired(REQUIRED)], minimum=Decimal(1), default=1
    )

    def answers(self) -> dict[str, Any]:
        """The plan, and the number of lines as a whole number when it was asked."""
        told = super().answers()
        if "lines" in told:
            told["lines"] = int(told["lines"])
        return told


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
    donor = Choice(
        _l("Current operator"),
        [needed_when("number_choice", "keep")],
        choices=lambda: choices([("", _l("Choose…")), *donors(g.tenant.country).items()]),
        blank_ok=True,
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


TITLES = {
    "person": _l("About you"),
    "address": _l("Address"),
    "document": _l("Identity document"),
    "plan": _l("Plan"),
    "sim": _l("SIM"),
    "number": _l("Phone number"),
    "consents": _l("Payment and consent"),
}


MASKED = {"mrz", "national_id", "iban"}


def helpers() -> dict[str, Any]:
    """What the sign-up's templates call to show answers."""
    return {
        "answer_label": answer_label,
        "answer_text": answer_text,
        "reason_text": reason_text,
        "titles": TITLES,
    }


def reason_text(reason: dict[str, Any]) -> str:
    """Why a sign-up waits or was refused, in the reader's language."""
    params = {k: v for k, v in reason.items() if k not in ("stage", "code")}
    return say(Refusal(str(reason.get("code", "")), **params))


def answer_label(step: str, key: str) -> str:
    """The question an answer answers, as its field is labelled."""
    return str(FORMS[step]()[key].label.text)


def answer_text(step: str, key: str, value: Any) -> str:
    """An answer as the applicant would say it: the option's words, a date, a masked number."""
    if key in MASKED:
        # Only the end shows, and never more than a few marks: a zone's lines are long, and
        # its fillers (<) say nothing.
        return masked(str(value).replace("\n", "").replace("<", ""))[-8:]
    if value is True:
        return _("Yes")
    if key.endswith("_date"):
        return format_date(date.fromisoformat(str(value)), "long")
    field = FORMS[step]()[key]
    if key == "plan_version_id":
        version = catalogue().plan_version(int(value))
        return plan_name(version.plan) if version else ""
    options = {str(c[0]): c[1] for c in field.iter_choices()} if hasattr(field, "choices") else {}
    return str(options.get(str(value), value))


def plan_choices() -> list[Any]:
    """The plans on sale, with their price per period."""
    currency = g.tenant.currency
    pairs = []
    for version in catalogue().sellable(currency=currency):
        price = C.per_period(version, None, currency)
        interval = labels.named(labels.INTERVALS, version.billing_interval)
        pairs.append(
            (version.id, f"{plan_name(version.plan)} \u00b7 {money(price, currency)} {interval}")
        )
    return choices(pairs)


def step_form(name: str, application: Application) -> StepForm:
    """The step's form: what was told before on a GET, what was typed on a POST."""
    form_class = FORMS.get(name) or abort(404)
    told = onboarding.answers(application, name)
    form = form_class.of(told) if request.method == "GET" else form_class()
    if isinstance(form, PlanForm):
        form.plan_version_id.choices = plan_choices()
        if application.kind != COMPANY:
            del form.lines
    return form


def keep_step(form: StepForm, application: Application, name: str) -> bool:
    """Validate a step's form and keep its answers; a refusal lands beside its field."""
    if not form.validate():
        return False
    try:
        with unit_of_work():
            onboarding.save(db.session, application, name, form.answers())
    except Refusal as exc:
        refuse(form, exc)
        return False
    return True


def send(application: Application, link: Callable[[str], str]) -> None:
    """Send a sign-up to its checks as one unit of work (see `submitted`)."""
    with unit_of_work():
        submitted(application, link)


def submitted(application: Application, link: Callable[[str], str]) -> Application:
    """Send a sign-up to its checks; an approved applicant is mailed a password link."""
    onboarding.submit(db.session, application)
    if application.status == APPROVED:
        onboarding.welcome(db.session, application, lambda p: link(_password_path(p)))
    return application


def _password_path(person: User) -> str:
    return url_for("security.reset_password", token=generate_reset_password_token(person))
