"""The platform's own formats: normalised CSV (with a header) and JSON Lines.

Both carry READ's fields by name (README, "Usage files"): `record_id`, `service`, `direction`,
`msisdn`, `imsi`, `destination`, `started_at` (ISO 8601, with its offset), `usage`,
`visited_network`. A source may map other column names onto them.
"""

from __future__ import annotations

import json
from typing import Any

from saas.usage import records as R
from saas.usage.readers.base import Batch, Mapping, Reader, convert, digest
from saas.usage.readers.delimited import Delimited

NAMES = {name: name for name in R.READ if name not in ("row", "record_key")}
DEFAULTS = Mapping(columns={"record_key": "record_id", **NAMES})


class NormalisedCsv(Delimited):
    """The normalised CSV: a header of column names, then one record a line."""

    format = "csv"
    label = "CSV"
    has_header = True
    least = 1
    defaults = DEFAULTS


class JsonLines(Reader):
    """JSON Lines: one object a line, its members named as the CSV's columns."""

    format = "jsonl"
    label = "JSON Lines"
    defaults = DEFAULTS

    def parse(
        self, raws: list[bytes], mapping: Mapping, first_row: int, header: bytes | None = None
    ) -> Batch:
        texts = [self.raw_text(r) for r in raws]
        rows: list[int] = []
        objects: list[dict[str, Any]] = []
        unreadable: list[tuple[int, str]] = []
        for offset, text in enumerate(texts):
            try:
                item = json.loads(text)
            except ValueError as exc:
                unreadable.append((first_row + offset, f"record is not JSON: {exc}"))
                continue
            if not isinstance(item, dict):
                unreadable.append((first_row + offset, "record is not a JSON object"))
                continue
            rows.append(first_row + offset)
            objects.append(item)
        names = {n for spec in mapping.columns.values() for n in spec.split("|")}
        columns = {n: [_text(o.get(n)) for o in objects] for n in names if n}
        keys = digest(self.format, [texts[r - first_row] for r in rows])
        read, bad = convert(columns, mapping, rows, keys, self.format)
        return Batch(read, texts, first_row, sorted(unreadable + bad))


def _text(value: Any) -> str | None:
    """A member's value as the text the conversions read."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    return str(value)
