"""Read what a rendered form says: the errors beside each field, above each row, and the values."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Errors(HTMLParser):
    """Collect the messages of field errors (`data-field`) and row errors, and input values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: dict[str, list[str]] = {}
        self.values: dict[str, str] = {}
        self._block: str | None = None
        self._depth = 0
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._block is not None:
            self._depth += 1
        elif found.get("data-field") or found.get("data-testid") == "row-error":
            self._block = found.get("data-field") or found.get("data-row") or ""
            self._depth = 1
            self.errors.setdefault(self._block, [])
        if tag == "input" and found.get("name") and found.get("type") not in ("hidden",):
            self.values[found["name"] or ""] = found.get("value") or ""
            if found.get("id"):
                self.values["#" + (found["id"] or "")] = found.get("value") or ""
        if tag == "textarea" and found.get("name"):
            self._textarea = found["name"]
            self.values[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if self._block is not None:
            self._depth -= 1
            if self._depth == 0:
                self._block = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea] += data
        if self._block is not None and data.strip():
            self.errors[self._block].append(data.strip())


def _parsed(html: Any) -> _Errors:
    text = html if isinstance(html, str) else html.get_data(as_text=True)
    parser = _Errors()
    parser.feed(text)
    return parser


def field_errors(html: Any) -> dict[str, list[str]]:
    """The messages shown beside each field (by field name) and above each row (by row name)."""
    return _parsed(html).errors


def field_values(html: Any) -> dict[str, str]:
    """What each text input and text area of the page holds, by field name (and inputs by #id)."""
    return _parsed(html).values
