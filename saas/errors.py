"""Refusals by domain rules: a stable code and its parameters, translated by each screen.

A refusal's code picks an English template registered by its area; its parameters fill the
template. A parameter that names something in words (a kind of record with its code, a field)
is a `Term`, itself a code with parameters, so a screen translates it too; decimals and dates
are formatted by the screen in the reader's locale; other values (names, codes, typed text)
are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

# Code -> English template with %(name)s placeholders; each domain area registers its own.
MESSAGES: dict[str, str] = {}
# How a refusal about a record reads: the record, then the reason.
ABOUT = "refusal.about"


def N_(template: str) -> str:
    """Mark a message for extraction; it is translated where it is shown, not here."""
    return template


def register(messages: Mapping[str, str]) -> None:
    """Add an area's refusal codes and their English templates, refusing a code used twice."""
    for code, template in messages.items():
        if MESSAGES.get(code, template) != template:
            raise ValueError(f"refusal code {code!r} is registered twice")
        MESSAGES[code] = template


register({ABOUT: N_("%(record)s: %(reason)s")})

Render = Callable[[Any], Any]


def fill(code: str, params: Mapping[str, Any], value: Render, translate: Render = str) -> str:
    """The template of a code, translated, with each parameter rendered by `value`."""
    template = MESSAGES.get(code)
    if template is None:
        return f"{code} {dict(params)}" if params else code
    return str(translate(template)) % {name: value(item) for name, item in params.items()}


class Term:
    """Words inside a refusal: a kind of record with its code or name, a field, a remark."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code, self.params = code, params

    def english(self) -> str:
        """The term in English."""
        return fill(self.code, self.params, english)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"Term({self.code!r}, {self.params!r})"


def within(outer: Term | str, inner: Term | str) -> Term:
    """Name a record inside another, e.g. a component of a plan."""
    return Term("record.within", outer=outer, inner=inner)


register({"record.within": N_("%(outer)s, %(inner)s")})


class Refusal(ValueError):
    """A domain rule said no: the code, its parameters, the field and the record it concerns.

    `record` (a Term, or text shown as it is, such as a path) names what was refused; the
    code's template says why, and reads after the record.
    """

    def __init__(
        self,
        code: str,
        /,
        field: str | None = None,
        record: Term | str | None = None,
        **params: Any,
    ) -> None:
        self.code, self.field, self.record, self.params = code, field, record, params
        super().__init__(self.english())

    @property
    def reason(self) -> str:
        """Why, in English, without the record."""
        return fill(self.code, self.params, english)

    def english(self) -> str:
        """The refusal in English, for logs, the CLI and tests."""
        if self.record is None:
            return self.reason
        return fill(ABOUT, {"record": self.record, "reason": self.reason}, english)


def english(value: Any) -> Any:
    """A parameter as English text: terms and refusals in words, decimals and dates plainly."""
    if isinstance(value, Term | Refusal):
        return value.english()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(english(item)) for item in value)
    return value
