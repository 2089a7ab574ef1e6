"""The console's forms for rating: a CGRateS tariff plan to import, a record to price."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import Choice, LocalTimeField, choices, strip
from saas.web.forms import Form
from saas.web.rating_labels import SERVICES

CHOOSE_ZIP = _l("Choose a zip file of the tariff plan's CSV files.")
WHOLE = _l("Enter a whole number.")
CODE = r"^[a-z0-9][a-z0-9_-]*$"


class ImportForm(Form):
    """A CGRateS tariff plan as a zip file, and the deck it becomes a version of."""

    deck = StringField(
        _l("Deck"),
        [InputRequired(message=REQUIRED), Length(max=64, message=TOO_LONG),
         Regexp(CODE, message=_l("Lower-case letters, digits, dashes and underscores."))],
        filters=[strip],
        default="retail",
    )  # fmt: skip
    file = FileField(_l("Tariff plan (zip)"), render_kw={"accept": ".zip,application/zip"})
    activates_at = LocalTimeField(_l("In force from (optional)"), [Optional()])


class SimulatorForm(Form):
    """A record to price: service, plan, number, time and how long or how much."""

    category = Choice(_l("Service"), choices=lambda: choices(SERVICES.items()), default="voice")
    subject = StringField(
        _l("Plan"), [Optional(), Length(max=64, message=TOO_LONG)], filters=[strip]
    )
    destination = StringField(
        _l("Number called (or APN)"),
        [InputRequired(message=REQUIRED), Length(max=32, message=TOO_LONG)],
        filters=[strip],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    answer_time = LocalTimeField(_l("Answered at"), [InputRequired(message=REQUIRED)])
    usage = IntegerField(
        _l("Usage: seconds, messages or bytes"),
        [InputRequired(message=WHOLE), NumberRange(min=0, message=WHOLE)],
        render_kw={"min": 0, "inputmode": "numeric"},
    )
    visited_network = StringField(
        _l("Visited network when roaming (MCC and MNC, optional)"),
        [Optional(), Regexp(r"^\d{5,6}$", message=_l("Five or six digits, e.g. 20801."))],
        filters=[strip],
    )
