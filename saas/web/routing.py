"""URL converters shared by every blueprint."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from saas.db import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """`<int:...>` limited to what the database can hold, so huge ids answer 404, not 500."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        # A larger number in a path names no row and matches no route.
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)
