"""Say a domain refusal in the reader's language: the code picks the template, the screen translates it."""

from __future__ import annotations

from flask_babel import gettext

from saas.errors import MESSAGES, Refusal


def say(refusal: Refusal) -> str:
    """The refusal as a sentence in the current locale."""
    template = MESSAGES.get(refusal.code)
    if template is None:
        return refusal.english()
    return gettext(template, **refusal.params)
