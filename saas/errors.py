"""Refusals by domain rules: a stable code and its parameters, translated by each screen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Code -> English template with %(name)s placeholders; each domain area registers its own.
MESSAGES: dict[str, str] = {}


def N_(template: str) -> str:
    """Mark a message for extraction; it is translated where it is shown, not here."""
    return template


def register(messages: Mapping[str, str]) -> None:
    """Add an area's refusal codes and their English templates, refusing a code used twice."""
    for code, template in messages.items():
        if MESSAGES.get(code, template) != template:
            raise ValueError(f"refusal code {code!r} is registered twice")
        MESSAGES[code] = template


class Refusal(ValueError):
    """A domain rule said no: the code, its parameters, and the field it concerns (if any)."""

    def __init__(self, code: str, /, field: str | None = None, **params: Any) -> None:
        self.code, self.field, self.params = code, field, params
        super().__init__(self.english())

    def english(self) -> str:
        """The refusal in English, for logs, the CLI and tests."""
        template = MESSAGES.get(self.code)
        if template is None:
            return f"{self.code} {self.params}" if self.params else self.code
        return template % self.params
