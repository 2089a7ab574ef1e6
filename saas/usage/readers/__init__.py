"""Usage readers, one module per format, each pluggable: `READERS[format]` frames and reads it.

A reader yields batches of `records.READ` from a file streamed in bounded memory; a source
(saas.usage.models.UsageSource) picks a format and adjusts its mapping. Add a format by writing a
`Reader` and registering it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from saas.usage.readers.asterisk import AsteriskCsv
from saas.usage.readers.base import Batch, Mapping, Reader, chunked
from saas.usage.readers.cdr3gpp import GprsCdr
from saas.usage.readers.freeswitch import FreeswitchCsv
from saas.usage.readers.normalised import JsonLines, NormalisedCsv

READERS: dict[str, Reader] = {
    r.format: r for r in (NormalisedCsv(), JsonLines(), AsteriskCsv(), FreeswitchCsv(), GprsCdr())
}
BATCH_SIZE = 5_000


def reader(fmt: str) -> Reader:
    """The reader of a format."""
    return READERS[fmt]


def batches(
    fmt: str, stream: IO[bytes], mapping: Mapping | None = None, size: int = BATCH_SIZE
) -> Iterator[Batch]:
    """A whole file's batches of READ, streamed: at most `size` records held at once."""
    found = reader(fmt)
    mapping = mapping or found.defaults
    raws = found.records(stream)
    header = next(raws, None) if found.has_header else None
    row = 1
    for chunk in chunked(raws, size):
        yield found.parse(chunk, mapping, row, header)
        row += len(chunk)


__all__ = ["BATCH_SIZE", "READERS", "Batch", "Mapping", "Reader", "batches", "reader"]
