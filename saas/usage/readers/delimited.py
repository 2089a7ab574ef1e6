"""Formats of one record per line of comma-separated fields: the parsing they share.

A batch is parsed by Polars' CSV reader in one call (every field as text); a batch it cannot
parse as exactly one row per record (a stray quote) is parsed record by record instead, so a
bad record costs only itself.
"""

from __future__ import annotations

import csv
from typing import Any, ClassVar

import polars as pl

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
        table = _fast(raws, len(names), least) or _slow(texts, len(names), least)
        columns, short = table
        rows = [first_row + i for i, s in enumerate(short) if not s]
        unreadable = [
            (first_row + i, f"record has fewer than {least} fields")
            for i, s in enumerate(short)
            if s
        ]
        kept = {n: columns[i] for i, n in enumerate(names)}
        if unreadable:
            keep = pl.Series([not s for s in short])
            kept = {n: pl.Series(n, v, pl.String).filter(keep) for n, v in kept.items()}
        keys = digest(self.format, [texts[r - first_row] for r in rows])
        read, bad = convert(kept, mapping, rows, keys, self.format)
        return Batch(read, texts, first_row, sorted(unreadable + bad))

    def _names(self, header: bytes | None) -> tuple[str, ...]:
        if not self.has_header:
            return self.names
        line = (header or b"").decode("utf-8-sig", "replace")
        return tuple(n.strip() for n in next(csv.reader([line]), []))


Table = tuple[list[Any], list[bool]]  # each column's values by position; which rows are short


def _fast(raws: list[bytes], width: int, least: int) -> Table | None:
    """The batch parsed at once, or None if Polars does not see one row per record."""
    data = b"".join(r if r.endswith(b"\n") else r + b"\n" for r in raws)
    schema = {f"c{i}": pl.String for i in range(width)}
    try:
        frame = pl.read_csv(data, has_header=False, schema=schema, truncate_ragged_lines=True)
    except pl.exceptions.PolarsError:
        return None
    if frame.height != len(raws):
        return None
    short = frame[f"c{least - 1}"].is_null().to_list()
    return [frame[f"c{i}"] for i in range(width)], short


def _slow(texts: list[str], width: int, least: int) -> Table:
    """The batch parsed record by record."""
    parsed = [next(csv.reader([t]), []) for t in texts]
    short = [len(values) < least for values in parsed]
    padded = [(values + [""] * width)[:width] for values in parsed]
    columns = [list(c) for c in zip(*padded, strict=True)] if padded else [[] for _ in range(width)]
    return columns, short
