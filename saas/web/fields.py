"""Typed fields of console, portal and platform forms: locale numbers, local times, choices.

Numbers are read and written the way the reader's language writes them (`19,99` in German,
`19.99` in English) and always as Decimal; input that could be read two ways is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_decimal,
)
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import DateTimeLocalInput, TextInput

from saas.catalog.periods import NotAnInstant, instant
from saas.db import row_id
from saas.web.widgets import Select

NOT_A_NUMBER = _l("Enter a number like %(example)s.")
AMBIGUOUS = _l("%(value)s could mean more than one number: write it like %(example)s.")
NOT_A_TIME = _l("Enter a date and time like %(example)s.")
CHOOSE = _l("Choose one of the options offered.")
NOT_WHOLE = _l("Enter a whole number like %(example)s.")
TOO_SMALL = _l("Enter %(minimum)s or more.")
TOO_PRECISE = _l("Use at most %(places)d decimal places.")
NOT_AS_WRITTEN = _l("This page's own field was changed: ask again.")
EXAMPLE, WHOLE_EXAMPLE = Decimal("1234.56"), Decimal("12")
# Longer text is no amount anyone types; refusing it early keeps parsing cheap.
MAX_TYPED = 40
# How a page writes a number for itself: plain digits and a point, never an exponent.
EXACT = re.compile(r"^-?\d{1,20}(\.\d{1,12})?$")
# One separator followed by exactly three digits: 1.234 is 1234 in German and 1.234 in English.
LONE_GROUP = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
SPACES = (" ", "\u00a0", "\u202f")


class NumberError(ValueError):
    """Typed text that is not a number in the reader's locale; the message says how to write it."""


def locale() -> Locale:
    """The request's locale, English outside a request."""
    return get_locale() or Locale.parse("en")


def write_number(value: Decimal | int, where: Locale | None = None) -> str:
    """Write a number exactly, with the locale's decimal sign and no thousands separators."""
    where = where or locale()
    text = format(Decimal(value), "f")
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    minus = get_minus_sign_symbol(where) if sign else ""
    return minus + digits.replace(".", get_decimal_symbol(where))


def _spaced(text: str, where: Locale) -> str:
    """Read any space as the group sign where the locale groups with a space (Polish 1 234,56)."""
    group = get_group_symbol(where)
    if group not in SPACES:
        return text
    for space in SPACES:
        text = text.replace(space, group)
    return text


def parse_number(typed: str, where: Locale | None = None) -> Decimal:
    """Read a number as the locale writes it; refuse what is not one or could be read two ways."""
    where = where or locale()
    text = typed.strip()
    example = {"example": write_number(EXAMPLE, where)}
    if not text or len(text) > MAX_TYPED or re.search(r"[^\d\s.,'+\-\u2212\u00a0\u202f]", text):
        raise NumberError(NOT_A_NUMBER % example)
    if LONE_GROUP.match(text):
        raise NumberError(AMBIGUOUS % {"value": text, **example})
    try:
        number = parse_decimal(_spaced(text, where), locale=where, strict=True)
    except NumberFormatError as exc:
        message = AMBIGUOUS if getattr(exc, "suggestions", None) else NOT_A_NUMBER
        raise NumberError(message % {"value": text, **example}) from None
    except InvalidOperation:
        raise NumberError(NOT_A_NUMBER % example) from None
    if not number.is_finite():
        raise NumberError(NOT_A_NUMBER % example)
    return number


class LocaleDecimalField(Field):
    """A decimal typed the reader's way (`19,99`, `1.234,56`, `19.99`), held as Decimal."""

    widget = TextInput()
    data: Decimal | None

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        minimum: Decimal | None = None,
        places: int | None = None,
        **kwargs: Any,
    ) -> None:
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.places = minimum, places

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])  # what was typed stays, even when it was refused
        return "" if self.data is None else write_number(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = self.checked(parse_number(text))
        except NumberError as exc:
            raise ValueError(str(exc)) from None

    def checked(self, number: Decimal) -> Decimal:
        """Refuse a number below the minimum or with more places than the field keeps."""
        if self.minimum is not None and number < self.minimum:
            raise NumberError(TOO_SMALL % {"minimum": write_number(self.minimum)})
        places = -int(number.normalize().as_tuple().exponent) if number else 0
        if self.places is not None and places > self.places:
            raise NumberError(TOO_PRECISE % {"places": self.places})
        return number


class LocaleIntegerField(LocaleDecimalField):
    """A whole number typed the reader's way (`1.000` is not accepted: it could mean 1)."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, places=0, **kwargs)

    def checked(self, number: Decimal) -> Decimal:
        if number != number.to_integral_value():
            raise NumberError(NOT_WHOLE % {"example": write_number(WHOLE_EXAMPLE)})
        return super().checked(number.to_integral_value())

    @property
    def number(self) -> int | None:
        """The typed value as an int, or None when empty."""
        return None if self.data is None else int(self.data)


def strip(value: Any) -> Any:
    """Trim typed text; a field left out of the form reads as empty text."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Options for a select from (value, words) pairs."""
    return [SelectChoice(value=value, label=words) for value, words in pairs]


class Choice(SelectField):
    """A select whose refusal is in the reader's language; `blank_ok` lets it be left empty."""

    widget = Select()

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        message: Any = CHOOSE,
        blank_ok: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.message, self.blank_ok = message, blank_ok

    def pre_validate(self, form: Any) -> None:
        if self.process_errors or not self.validate_choice or (self.blank_ok and not self.data):
            return
        if not any(choice.selected for choice in self._iter_choices_normalized()):
            raise ValidationError(str(self.message))


class LocalTimeField(Field):
    """A date and time typed in the brand's zone, held as an aware UTC instant."""

    widget = DateTimeLocalInput()
    data: datetime | None
    SHOWN = "%Y-%m-%dT%H:%M"

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return (
            "" if self.data is None else self.data.astimezone(get_timezone()).strftime(self.SHOWN)
        )

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if text:
            self.data = local_instant(text)


def zone() -> ZoneInfo:
    """The request's time zone (the brand's) as a zoneinfo zone; Babel hands out pytz ones."""
    return ZoneInfo(str(get_timezone() or "UTC"))


def local_instant(text: str) -> datetime:
    """Read `2026-01-31T14:00` as a time in the brand's zone (or at the offset typed) in UTC."""
    try:
        return instant(text, zone())
    except NotAnInstant:
        raise ValueError(str(NOT_A_TIME % {"example": "2026-01-31 14:00"})) from None


def write_exact(value: Decimal) -> str:
    """Write a number for the page itself to read back (a price shown), whatever the locale."""
    return format(value, "f")


def read_exact(text: str) -> Decimal:
    """Read back a number `write_exact` wrote; anything else is refused, not guessed at."""
    if not EXACT.match(text):
        raise ValueError(str(NOT_AS_WRITTEN))
    return Decimal(text)


class ExactDecimalField(HiddenField):
    """A number the page wrote for itself, such as the price a confirmation was shown."""

    data: Decimal | None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else write_exact(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = read_exact(text) if text else None


class RowIdField(HiddenField):
    """A record's id the page wrote for itself; empty is None, anything but an id is refused."""

    data: int | None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = row_id(text) if text else None
        if text and self.data is None:
            raise ValueError(str(NOT_AS_WRITTEN))
