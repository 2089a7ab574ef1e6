"""Say a domain refusal in the reader's language: its code picks the template to translate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask_babel import gettext

from saas.errors import MESSAGES, Refusal

R = TypeVar("R", bound=Refusal)


def say(refusal: Refusal) -> str:
    """The refusal as a sentence in the current locale."""
    template = MESSAGES.get(refusal.code)
    if template is None:
        return refusal.english()
    return gettext(template, **refusal.params)


def by_field(refusals: Iterable[R], speak: Callable[[R], str] = say) -> dict[str, list[str]]:
    """Group the refusals' sentences by the form field each concerns; "" holds the others."""
    errors: dict[str, list[str]] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or "", []).append(speak(refusal))
    return errors
