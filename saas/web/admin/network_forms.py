"""The console's forms for number ranges, SIM files, network settings and line changes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from saas.network.lines import SWAP_REASONS
from saas.web import network_labels as labels
from saas.web.admin.filter_forms import ALL, Paged, _search
from saas.web.admin.forms import REQUIRED, TOO_LONG
from saas.web.fields import Choice, LocalTimeField, choices, strip
from saas.web.forms import Form, QueryForm

NUMBER_TYPED = 32
ICCID_TYPED = 22
WHOLE = _l("Enter a whole number.")
OUT_OF_BOUNDS = _l("Enter a number between %(min)s and %(max)s.")
CHOOSE_FILE = _l("Choose a CSV file.")


def _number(label: Any, *, required: bool = True, **kwargs: Any) -> StringField:
    checks = [InputRequired(message=REQUIRED)] if required else []
    checks.append(Length(max=NUMBER_TYPED, message=TOO_LONG))
    attrs = {"maxlength": NUMBER_TYPED, "inputmode": "tel", "autocomplete": "off"}
    return StringField(label, checks, filters=[strip], render_kw=attrs, **kwargs)


def _options(table: dict[str, Any], blank: Any = None) -> Any:
    pairs = [("", blank)] if blank is not None else []
    return lambda: choices([*pairs, *table.items()])


def _whole(label: Any, low: int, high: int) -> IntegerField:
    bounds = NumberRange(min=low, max=high, message=OUT_OF_BOUNDS)
    return IntegerField(
        label,
        [InputRequired(message=WHOLE), bounds],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class RangeForm(Form):
    """A range of numbers to load: its first and last number in international format."""

    first = _number(_l("First number"))
    last = _number(_l("Last number"))


class NumberFilter(Paged):
    """Numbers in a state, found by their first digits."""

    state = Choice(_l("State"), default="", choices=_options(labels.NUMBER_STATES, ALL))
    q = _search(_l("Number starts with"))


class SimFilter(Paged):
    """SIMs in a state and of a kind, found by ICCID or IMSI."""

    state = Choice(_l("State"), default="", choices=_options(labels.SIM_STATES, ALL))
    kind = Choice(_l("Kind"), default="", choices=_options(labels.SIM_KINDS, ALL))
    q = _search(_l("ICCID or IMSI"))


class SimImportForm(Form):
    """A CSV file of SIMs from the card vendor."""

    file = FileField(_l("SIM file (CSV)"), render_kw={"accept": ".csv,text/csv"})


class NetworkSettingsForm(Form):
    """The brand's rules for numbers and eSIMs."""

    quarantine_days = _whole(_l("Quarantine after a line ends (days)"), 0, 3650)
    reservation_minutes = _whole(_l("Reservation during sign-up (minutes)"), 1, 10_080)
    golden_run = _whole(_l("Golden numbers: final digits repeated or in sequence"), 0, 8)
    smdp_address = StringField(
        _l("SM-DP+ address for eSIMs"),
        [Length(max=253, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": 253, "autocomplete": "off", "placeholder": "smdp.example.com"},
    )


class SwapForm(Form):
    """Another SIM for a line: why, and the card handed over (or one from stock)."""

    reason = Choice(_l("Why"), choices=_options({r: labels.SWAP_REASONS[r] for r in SWAP_REASONS}))
    kind = Choice(_l("New SIM"), choices=_options(labels.SIM_KINDS))
    iccid = StringField(
        _l("ICCID of the card handed over (optional)"),
        [Length(max=ICCID_TYPED, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": ICCID_TYPED, "inputmode": "numeric", "autocomplete": "off"},
    )


class LineForm(Form):
    """A line for a subscription: the number (chosen, golden too, or at random) and the SIM."""

    msisdn = _number(_l("Number (empty: one at random)"), required=False)
    kind = Choice(_l("SIM"), choices=_options(labels.SIM_KINDS))
    iccid = SwapForm.iccid


class LineChangeForm(Form):
    """A lifecycle change asked for by staff, with a reason."""

    reason = StringField(
        _l("Reason (optional)"),
        [Length(max=200, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": 200},
    )


class LineLookup(QueryForm):
    """A number or IMSI, and the instant whose holder is asked (now when left empty)."""

    q = _search(_l("Number or IMSI"))
    at = LocalTimeField(_l("At (local time)"))
