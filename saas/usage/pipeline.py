"""The usage pipeline: read -> lines -> rate -> charge -> store, one batch at a time.

A file is cut into chunks when it arrives (saas.usage.files); each chunk is one message's work
(`work_chunk`): its records read by the source's reader, matched to lines, rated, charged and
stored in one transaction, and the chunk marked done in the same transaction. A redelivered
message, or a second worker given the same chunk, finds it done (the chunk row is locked while
it is worked) and changes nothing; a worker killed half-way leaves nothing behind (its
transaction never commits), so the redelivery does the whole chunk once.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select, update

from saas.db import DbSession, utcnow
from saas.usage import quarantine, storage
from saas.usage.models import DONE, QuarantinedRecord, UsageChunk, UsageFile, UsageSource
from saas.usage.readers import Batch, Mapping, reader
from saas.usage.stages import stage


@dataclass(frozen=True)
class Outcome:
    """What a batch came to: records read, rated and stored, already stored, quarantined."""

    read: int
    rated: int
    duplicates: int
    quarantined: int
    released: list[int]  # rows that were rated (or found stored) this time


def run(session: DbSession, file_id: int, batch: Batch) -> Outcome:
    """Take one batch through every stage and store what comes out; quarantine what stops."""
    found, no_line = stage("lines")(session, batch.read)
    rated, unrated = stage("rate")(session, found)
    fresh = storage.claim(session, rated)  # a record stored before is never charged again
    charged = stage("charge")(session, fresh)
    stored = storage.store(session, file_id, charged)
    stopped = quarantine.refusals(batch, [no_line, unrated])
    quarantine.keep(session, file_id, stopped)
    passed = rated["row"].to_list() if not rated.is_empty() else []
    return Outcome(
        read=len(batch.raw),
        rated=stored,
        duplicates=len(passed) - stored,
        quarantined=len(stopped),
        released=passed,
    )


def mapping_of(source: UsageSource) -> Mapping:
    """The source's reader mapping: the format's, with the source's overrides."""
    return reader(source.format).defaults.adjusted(source.mapping)


def work_chunk(session: DbSession, chunk_id: int) -> Outcome | None:
    """Work one chunk of a file, once: None if it is done already (or not the brand's)."""
    started = time.monotonic()
    chunk = session.scalar(select(UsageChunk).filter_by(id=chunk_id).with_for_update())
    if chunk is None or chunk.done_at is not None:
        return None
    file = session.get_one(UsageFile, chunk.file_id)
    source = session.get_one(UsageSource, file.source_id)
    fmt = reader(source.format)
    raws = list(fmt.records(io.BytesIO(chunk.content)))
    header = file.header.encode() if fmt.has_header else None
    outcome = run(session, file.id, fmt.parse(raws, mapping_of(source), chunk.first_row, header))
    chunk.done_at, chunk.content = utcnow(), b""
    chunk.millis = int((time.monotonic() - started) * 1000)
    _count(session, file.id, outcome, chunks=1)
    return outcome


def _count(session: DbSession, file_id: int, outcome: Outcome, chunks: int = 0) -> None:
    """Add a batch's counts to its file, in the database (chunks of a file finish in any order)."""
    session.flush()
    table = UsageFile.__table__.c
    session.execute(
        update(UsageFile)
        .where(UsageFile.id == file_id)
        .values(
            chunks_done=table.chunks_done + chunks,
            records=table.records + (outcome.read if chunks else 0),
            rated=table.rated + outcome.rated,
            duplicates=table.duplicates + outcome.duplicates,
        )
    )
    file = session.scalars(
        select(UsageFile).filter_by(id=file_id).execution_options(populate_existing=True)
    ).one()
    file.quarantined = quarantine.waiting(session, file_id)
    if file.chunks_done >= file.chunks and file.finished_at is None:
        file.state, file.finished_at = DONE, utcnow()


def reprocess(session: DbSession, file: UsageFile, size: int = 5_000) -> Outcome:
    """Read the file's quarantined records again through every stage, after a fix.

    A record that passes now is stored and leaves quarantine; one that still stops stays, with
    the reason it stops for now.
    """
    source = session.get_one(UsageSource, file.source_id)
    fmt, mapping = reader(source.format), mapping_of(source)
    header = file.header.encode() if fmt.has_header else None
    waiting = quarantine.of_file(session, file.id, limit=10**9)
    total = Outcome(0, 0, 0, 0, [])
    for start in range(0, len(waiting), size):
        part = waiting[start : start + size]
        batch = _renumbered(
            fmt.parse([fmt.raw_bytes(q.raw) for q in part], mapping, 1, header), part
        )
        outcome = run(session, file.id, batch)
        quarantine.release(session, file.id, outcome.released, utcnow())
        _count(session, file.id, outcome)
        total = Outcome(
            total.read + outcome.read,
            total.rated + outcome.rated,
            total.duplicates + outcome.duplicates,
            total.quarantined + outcome.quarantined,
            total.released + outcome.released,
        )
    return total


def _renumbered(batch: Batch, kept: list[QuarantinedRecord]) -> Batch:
    """A batch re-read from quarantine, its records numbered as in their file again."""
    rows = [q.row for q in kept]
    mapped = pl.Series("row", rows, pl.Int64)
    read = batch.read.with_columns(row=mapped.gather(batch.read["row"] - 1))
    unreadable = [(rows[r - 1], d) for r, d in batch.unreadable]
    raw = {q.row: q.raw for q in kept}
    return _ByRow(read, [], 0, unreadable, raw)


class _ByRow(Batch):
    """A batch whose rows are not consecutive: raw text looked up by row."""

    def __init__(
        self,
        read: pl.DataFrame,
        raw: list[str],
        first_row: int,
        unreadable: list[tuple[int, str]],
        by_row: dict[int, str],
    ) -> None:
        super().__init__(read, list(by_row.values()), first_row, unreadable)
        self.by_row = by_row

    def raw_of(self, row: int) -> str:
        return self.by_row[row]
