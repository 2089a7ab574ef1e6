"""The console's credit forms: run a check, override a class, the scorecard's settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, FormField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import DateInput

from saas.customers.credit import reports
from saas.customers.credit.reports import NEGATIVE_KINDS
from saas.customers.credit.scorecard import Band, CreditClass, Scorecard
from saas.customers.credit.services import REASON_MAX
from saas.customers.credit.spec import NAME_MAX
from saas.i18n_locales import SUPPORTED_LOCALES
from saas.web.fields import Choice, LocaleDecimalField, LocaleIntegerField, choices, strip
from saas.web.forms import Form, RowForm, Rows

REQUIRED = _l("Fill this in.")
TOO_LONG = _l("Use at most %(max)d characters.")
NOT_A_DATE = _l("Enter a date like %(example)s.")
BAND_LISTS = ("score_bands", "age_bands", "line_bands")


def _text(label: Any, limit: int, required: bool = False, **kwargs: Any) -> StringField:
    checks = [DataRequired(message=REQUIRED)] if required else []
    checks.append(Length(max=limit, message=TOO_LONG))
    render_kw = {"maxlength": limit, **kwargs.pop("render_kw", {})}
    return StringField(label, checks, filters=[strip], render_kw=render_kw, **kwargs)


class DayField(Field):
    """A calendar date, typed or picked (YYYY-MM-DD, as the browser's date input sends it)."""

    widget = DateInput()
    data: date | None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = date.fromisoformat(text)
            except ValueError:
                raise ValueError(str(NOT_A_DATE % {"example": "1990-05-31"})) from None


class CheckForm(Form):
    """The person to check, as the bureau is asked about them, and how they would pay."""

    given_names = _text(
        _l("Given names"), reports.NAME_MAX, True, render_kw={"autocomplete": "off"}
    )
    surname = _text(_l("Surname"), reports.NAME_MAX, True, render_kw={"autocomplete": "off"})
    birth_date = DayField(_l("Date of birth"), [InputRequired(message=REQUIRED)])
    street = _text(_l("Street and number"), reports.ADDRESS_MAX)
    postcode = _text(_l("Postcode"), 16)
    city = _text(_l("City"), reports.ADDRESS_MAX)
    country = _text(_l("Country (two letters, such as DE)"), 2)
    direct_debit = BooleanField(_l("Pays by direct debit"))

    def data_for_check(self) -> dict[str, Any]:
        """What the domain's applicant check reads."""
        return {name: field.data for name, field in self._fields.items()}


class OverrideForm(Form):
    """Another class for the person, and why."""

    class_code = Choice(_l("New credit class"))
    reason = TextAreaField(
        _l("Reason"),
        [DataRequired(message=REQUIRED), Length(max=REASON_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"maxlength": REASON_MAX, "rows": 3},
    )


def _whole(label: Any, minimum: int | None = None) -> LocaleIntegerField:
    low = None if minimum is None else Decimal(minimum)
    return LocaleIntegerField(label, [InputRequired(message=REQUIRED)], minimum=low)


class BandRow(RowForm):
    """One band: the values from its start up, and their points."""

    start = _whole(_l("From"), 0)
    points = _whole(_l("Points"))

    def is_blank(self) -> bool:
        return all(not str((f.raw_data or [""])[0]).strip() and f.data is None for f in self)


class NegativesForm(Form):
    """Points for each kind of negative entry the bureau reports."""

    default = _whole(_l("Payment default"))
    insolvency = _whole(_l("Insolvency"))
    collection = _whole(_l("Debt in collection"))
    other = _whole(_l("Other negative entry"))


def _amount(label: Any) -> LocaleDecimalField:
    return LocaleDecimalField(label, [InputRequired(message=REQUIRED)], minimum=Decimal(0))


class ClassRow(RowForm):
    """One credit class: its code and names, where it starts, and what it allows."""

    code = _text(_l("Code"), 8, render_kw={"size": 3})
    name_en = _text(_l("Name (English)"), NAME_MAX)
    name_de = _text(_l("Name (German)"), NAME_MAX)
    name_pl = _text(_l("Name (Polish)"), NAME_MAX)
    min_points = _whole(_l("From points"))
    deposit = _amount(_l("Deposit"))
    credit_limit = _amount(_l("Credit limit per month"))
    max_lines = _whole(_l("Lines at most"), 0)
    postpaid = BooleanField(_l("Postpaid allowed"))

    def is_blank(self) -> bool:
        typed = [str((f.raw_data or [""])[0]).strip() for f in self if f.name != self.postpaid.name]
        return not any(typed) and all(f.data in (None, "") for f in self if f is not self.postpaid)


class ScorecardForm(Form):
    """The brand's scorecard: every rule's points, the classes and the fallback class."""

    required = BooleanField(_l("A credit check is needed before anything is sold"))
    no_record = _whole(_l("Points when the bureau has no record"))
    direct_debit = _whole(_l("Points for paying by direct debit"))
    negatives = FormField(NegativesForm)
    score_bands = Rows(FormField(BandRow))
    age_bands = Rows(FormField(BandRow))
    line_bands = Rows(FormField(BandRow))
    classes = Rows(FormField(ClassRow))
    fallback = Choice(_l("Class while the bureau cannot be asked"), validate_choice=False)

    def spec(self, locales: list[str], kept: Scorecard) -> dict[str, Any]:
        """The form as the scorecard's data; names in languages not offered are kept as they are."""
        data: dict[str, Any] = {
            "required": bool(self.required.data),
            "no_record": self.no_record.number,
            "direct_debit": self.direct_debit.number,
            "fallback": self.fallback.data or "",
            "negatives": {k: self.negatives.form[k].number for k in NEGATIVE_KINDS},
        }
        for name in BAND_LISTS:
            rows = self[name].filled()
            data[name] = [{"start": r.start.number, "points": r.points.number} for r in rows]
        data["classes"] = [_class(row, locales, kept) for row in self.classes.filled()]
        return data

    def where(self, path: str | None) -> str | None:
        """The form's own name of a field the scorecard's check names (rows counted as filled)."""
        if not path:
            return path
        head, bracket, rest = path.partition("[")
        if not bracket or head not in (*BAND_LISTS, "classes"):
            return path
        index, _, tail = rest.partition("]")
        rows = [entry for entry in self[head].entries if not entry.form.is_blank()]
        number = int(index) if index.isdigit() else -1
        return f"{head}[{rows[number].index}]{tail}" if 0 <= number < len(rows) else head


def _class(row: ClassRow, locales: list[str], kept: Scorecard) -> dict[str, Any]:
    code = (row.code.data or "").strip().upper()
    old = kept.class_named(code)
    names = {k: v for k, v in (old.names if old else {}).items() if k not in locales}
    names |= {loc: row[f"name_{loc}"].data for loc in locales if row[f"name_{loc}"].data}
    return {
        "code": code,
        "names": names,
        "min_points": row.min_points.number,
        "deposit": _exact(row.deposit.data),
        "credit_limit": _exact(row.credit_limit.data),
        "max_lines": row.max_lines.number,
        "postpaid": bool(row.postpaid.data),
    }


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _bands(bands: tuple[Band, ...]) -> list[dict[str, Any]]:
    return [{"start": Decimal(b.start), "points": Decimal(b.points)} for b in bands]


def _row(c: CreditClass) -> dict[str, Any]:
    names = {f"name_{loc}": c.names.get(loc, "") for loc in SUPPORTED_LOCALES}
    numbers = {"min_points": Decimal(c.min_points), "max_lines": Decimal(c.max_lines)}
    money = {"deposit": c.deposit, "credit_limit": c.credit_limit}
    return {"code": c.code, **names, **numbers, **money, "postpaid": c.postpaid}


def scorecard_form(card: Scorecard, formdata: Any = None) -> ScorecardForm:
    """The settings form, filled from the scorecard (or from what was sent), one empty row more."""
    data = {
        "required": card.required,
        "no_record": Decimal(card.no_record),
        "direct_debit": Decimal(card.direct_debit),
        "fallback": card.fallback,
        "negatives": {k: Decimal(v) for k, v in card.negatives.items()},
        **{name: _bands(getattr(card, name)) for name in BAND_LISTS},
        "classes": [_row(c) for c in card.classes],
    }
    form = ScorecardForm(formdata=formdata, data=None if formdata is not None else data)
    for name in (*BAND_LISTS, "classes"):
        rows = form[name]
        if not rows.entries or not rows.entries[-1].form.is_blank():
            rows.append_entry()
    form.fallback.choices = choices([(c.code, c.code) for c in card.classes])
    return form
