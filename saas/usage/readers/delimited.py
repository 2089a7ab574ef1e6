"""Formats of one record per line of comma-separated fields: the parsing they share."""

from __future__ import annotations

import csv
from typing import ClassVar

from saas.usage.readers.base import Batch, Mapping, Reader, convert, digest


class Delimited(Reader):
    """A CSV format: its column names come from its header, or are fixed by the format."""

    names: ClassVar[tuple[str, ...]] = ()  # the format's columns, for one without a header
    least: ClassVar[int] = 0  # fewer fields than this and a line is not a record

    def parse(
        self, raws: list[bytes], mapping: Mapping, first_row: int, header: bytes | None = None
    ) -> Batch:
        texts = [self.raw_text(r) for r in raws]
        names = self._names(header)
        least = self.least or len(names)
        rows: list[int] = []
        fields: list[list[str]] = []
        unreadable: list[tuple[int, str]] = []
        for offset, values in enumerate(_split(texts)):
            row = first_row + offset
            if len(values) < least:
                unreadable.append((row, f"record has {len(values)} fields, {least} expected"))
                continue
            rows.append(row)
            fields.append((values + [""] * len(names))[: len(names)])
        columns = {n: list(v) for n, v in zip(names, zip(*fields, strict=True), strict=False)}
        if not fields:
            columns = {n: [] for n in names}
        keys = digest(self.format, [texts[r - first_row] for r in rows])
        read, bad = convert(columns, mapping, rows, keys, self.format)
        return Batch(read, texts, first_row, sorted(unreadable + bad))

    def _names(self, header: bytes | None) -> tuple[str, ...]:
        if not self.has_header:
            return self.names
        line = (header or b"").decode("utf-8-sig", "replace")
        return tuple(n.strip() for n in next(csv.reader([line]), []))


def _split(texts: list[str]) -> list[list[str]]:
    """Each text's fields; one text at a time where a stray quote would join two records."""
    parsed = list(csv.reader(texts))
    if len(parsed) == len(texts):
        return parsed
    return [next(csv.reader([t]), []) for t in texts]
