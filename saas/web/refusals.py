"""Say a domain refusal in the reader's language: the code picks the template, gettext the words."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from babel.numbers import format_decimal
from flask_babel import format_date, format_datetime, get_locale, gettext

from saas.errors import ABOUT, N_, Refusal, Term, fill, register

R = TypeVar("R", bound=Refusal)


def say(refusal: Refusal | Term | BaseException | str, *, record: bool = True) -> str:
    """The refusal (or term) as a sentence in the current locale; without its record if asked.

    Any other error is shown by its own text, so screens may pass what they caught.
    """
    if isinstance(refusal, Term):
        return fill(refusal.code, refusal.params, _value, gettext)
    if not isinstance(refusal, Refusal):
        return str(refusal)
    reason = fill(refusal.code, refusal.params, _value, gettext)
    if refusal.record is None or not record:
        return reason
    return fill(ABOUT, {"record": refusal.record, "reason": reason}, _value, gettext)


def by_field(refusals: Iterable[R], speak: Callable[[R], str] = say) -> dict[str, list[str]]:
    """Group the refusals' sentences by the form field each concerns; "" holds the others."""
    errors: dict[str, list[str]] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or "", []).append(speak(refusal))
    return errors


def _value(value: Any) -> Any:
    """A parameter in the reader's words: terms translated, numbers and dates the local way."""
    if isinstance(value, Term | Refusal):
        return say(value)
    if isinstance(value, Decimal):
        # All places kept: a refused value is shown as it was given, only written locally.
        return format_decimal(value, locale=get_locale(), decimal_quantization=False)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_value(item)) for item in value)
    return value


# What Python's JSON reader says, word for word, as terms a screen translates.
JSON_TERMS = {
    "json.value": N_("Expecting value"),
    "json.property_name": N_("Expecting property name enclosed in double quotes"),
    "json.colon": N_("Expecting ':' delimiter"),
    "json.comma": N_("Expecting ',' delimiter"),
    "json.unterminated_string": N_("Unterminated string starting at"),
    "json.control_character": N_("Invalid control character at"),
    "json.escape": N_("Invalid \\escape"),
    "json.unicode_escape": N_("Invalid \\uXXXX escape"),
    "json.extra_data": N_("Extra data"),
    "json.too_deep": N_("number too long or nesting too deep"),
}
register(JSON_TERMS)
JSON_CODES = {message: code for code, message in JSON_TERMS.items()}


def json_problem(exc: json.JSONDecodeError) -> Term | str:
    """What is wrong with a piece of JSON, as a term a screen translates."""
    code = JSON_CODES.get(exc.msg)
    # Anything the reader may say that is not listed is shown as it is.
    return Term(code) if code else exc.msg
