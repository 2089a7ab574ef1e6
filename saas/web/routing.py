"""URL converters shared by every blueprint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from werkzeug.routing import IntegerConverter, Map

from saas.db import MAX_ROW_ID


def at_most(limit: int) -> str:
    """A regular expression of the whole numbers from 0 to `limit`, as plain digits."""
    digits = str(limit)
    shorter = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    lower = [
        f"{digits[:i]}[0-{int(d) - 1}]"
        + (rf"\d{{{len(digits) - i - 1}}}" if i < len(digits) - 1 else "")
        for i, d in enumerate(digits)
        if d != "0"
    ]
    return "|".join([*shorter, *lower, digits])


class RowIdConverter(IntegerConverter):
    """`<int:...>` limited to what the database can hold, so huge ids answer 404, not 500.

    The bound is in the pattern too: an id past it matches no rule of any method, so it is
    not found rather than answered "405 method not allowed" by a rule of another method.
    """

    regex = f"(?:{at_most(MAX_ROW_ID)})"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        # A larger number in a path names no row and matches no route.
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def row_link(endpoint: str, name: str, **values: Any) -> Callable[[int], str]:
    """`url_for(endpoint, name=row_id)` for every row of a list, the URL built once."""
    marker: dict[str, Any] = {**values, name: MAX_ROW_ID}
    head, _, tail = url_for(endpoint, **marker).rpartition(str(MAX_ROW_ID))
    return lambda row_id: f"{head}{int(row_id)}{tail}"
