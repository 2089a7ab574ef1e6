"""Usage sources and the files they send: each file known by its SHA-256, cut into chunks of work.

A file arrives (upload, API, drop folder) as a stream. It is hashed first: a brand that sends
the same content again gets a duplicate recorded and nothing read. Otherwise its records are
framed by the source's reader and written as chunks of `CHUNK_SIZE` records, each sent to the
workers as one job once the transaction commits. Memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from saas.db import DbSession, utcnow
from saas.errors import Term
from saas.jobs.queue import enqueue
from saas.tenancy.context import require_tenant_id
from saas.usage.errors import UsageError
from saas.usage.jobs import WORK_CHUNK
from saas.usage.models import (
    DROP,
    DUPLICATE,
    RECEIVED,
    UPLOAD,
    UsageChunk,
    UsageFile,
    UsageSource,
)
from saas.usage.readers import READERS, base, chunked, reader

CHUNK_SIZE = 5_000
DONE_FOLDER = "done"  # inside a drop folder: the files taken, so none is taken twice
REFUSED_FOLDER = "refused"  # and those that could not be taken (an empty file)


def sources(session: DbSession) -> list[UsageSource]:
    """The brand's usage sources by name."""
    return list(session.scalars(select(UsageSource).order_by(UsageSource.name)))


def source_named(session: DbSession, name: str) -> UsageSource:
    """The brand's source of that name, or a refusal."""
    found = session.scalar(select(UsageSource).filter_by(name=name))
    if found is None:
        raise UsageError("usage.no_source", field="source")
    return found


def save_source(
    session: DbSession,
    name: str,
    fmt: str,
    mapping: dict[str, Any] | None = None,
    drop_folder: str = "",
    source: UsageSource | None = None,
) -> UsageSource:
    """Add a source, or change one: its format, mapping overrides and drop folder checked."""
    record = Term("record.usage_source", name=name)
    if fmt not in READERS:
        raise UsageError("usage.unknown_format", record, "format")
    mapping = _checked_mapping(mapping or {}, record)
    taken = session.scalar(select(UsageSource).filter_by(name=name))
    if taken is not None and taken is not source:
        raise UsageError("usage.source_taken", record, "name")
    if drop_folder and not Path(drop_folder).is_dir():
        raise UsageError("usage.folder_missing", record, "drop_folder")
    source = source or UsageSource()
    source.name, source.format, source.mapping, source.drop_folder = name, fmt, mapping, drop_folder
    session.add(source)
    session.flush()
    return source


def _checked_mapping(mapping: dict[str, Any], record: Term) -> dict[str, Any]:
    columns = {
        k: str(v).strip() for k, v in (mapping.get("columns") or {}).items() if str(v).strip()
    }
    unknown = sorted(set(columns) - set(base.FIELDS))
    if unknown:
        raise UsageError("usage.unknown_column", record, "mapping", fields=", ".join(unknown))
    options = {
        k: str(v).strip() for k, v in mapping.items() if k in base.OPTIONS and str(v).strip()
    }
    if "time_zone" in options:
        try:
            ZoneInfo(options["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError("usage.bad_time_zone", record, "time_zone") from None
    return {"columns": columns, **options} if columns else options


def digest_of(stream: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 of a stream and its size; the stream is read to its end."""
    sha, size = hashlib.sha256(), 0
    while block := stream.read(1 << 20):
        sha.update(block)
        size += len(block)
    return sha.hexdigest(), size


def receive(
    session: DbSession,
    source: UsageSource,
    stream: IO[bytes],
    filename: str = "",
    arrived_by: str = UPLOAD,
    chunk_size: int = CHUNK_SIZE,
) -> UsageFile:
    """Take a file of the source: a duplicate if its content came before, else cut into chunks."""
    with _seekable(stream) as data:
        digest, size = digest_of(data)
        if size == 0:
            raise UsageError("usage.empty_file", Term("record.usage_file", name=filename), "file")
        first = session.scalar(select(UsageFile).filter_by(digest=digest, duplicate_of_id=None))
        file = UsageFile(
            source_id=source.id,
            filename=filename[:255],
            digest=digest,
            size=size,
            arrived_by=arrived_by,
            state=RECEIVED,
        )
        if first is not None:
            file.state, file.duplicate_of_id, file.finished_at = DUPLICATE, first.id, utcnow()
            session.add(file)
            session.flush()
            return file
        session.add(file)
        session.flush()
        data.seek(0)
        _cut(session, file, source, data, chunk_size)
    return file


def _cut(
    session: DbSession, file: UsageFile, source: UsageSource, data: IO[bytes], size: int
) -> None:
    """Write the file's records as chunks of work and ask the workers for each."""
    fmt = reader(source.format)
    raws = fmt.records(data)
    if fmt.has_header:
        file.header = fmt.raw_text(next(raws, b""))
    row = 1
    for seq, part in enumerate(chunked(raws, size)):
        content = b"".join(r if fmt.binary or r.endswith(b"\n") else r + b"\n" for r in part)
        chunk = UsageChunk(
            file_id=file.id, seq=seq, first_row=row, count=len(part), content=content
        )
        session.add(chunk)
        session.flush()
        enqueue(WORK_CHUNK, require_tenant_id(), chunk.id, session=session)
        session.expunge(chunk)  # its bytes are written: nothing keeps them in memory
        row += len(part)
        file.chunks = seq + 1
    if file.chunks == 0:
        file.state, file.finished_at = "done", utcnow()


class _seekable:
    """The stream itself if it can be read twice, else a copy of it in a temporary file."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.copy: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.stream.seekable():
            return self.stream
        copy: IO[bytes] = tempfile.TemporaryFile()
        shutil.copyfileobj(self.stream, copy)
        copy.seek(0)
        self.copy = copy
        return copy

    def __exit__(self, *exc: object) -> None:
        if self.copy is not None:
            self.copy.close()


def pending_chunks(session: DbSession, file_id: int) -> list[int]:
    """The ids of the file's chunks not worked yet."""
    stmt = select(UsageChunk.id).filter_by(file_id=file_id, done_at=None).order_by(UsageChunk.seq)
    return list(session.scalars(stmt))


def dropped(folder: str) -> Iterator[Path]:
    """The files waiting in a drop folder (not hidden, not being written: no ".part")."""
    root = Path(folder)
    if not root.is_dir():
        return iter(())
    return iter(
        sorted(
            p
            for p in root.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".part")
        )
    )


def scan(session: DbSession) -> list[UsageFile]:
    """Take every file waiting in the brand's drop folders; each moves to `done/` once taken."""
    taken: list[UsageFile] = []
    for source in sources(session):
        for path in dropped(source.drop_folder) if source.drop_folder else ():
            folder = DONE_FOLDER
            try:
                with path.open("rb") as stream:
                    taken.append(receive(session, source, stream, path.name, DROP))
            except UsageError:
                folder = REFUSED_FOLDER
            _move(path, folder)
    return taken


def _move(path: Path, folder: str) -> None:
    """Put a collected file aside, named with the moment it was taken."""
    target = path.parent / folder
    target.mkdir(exist_ok=True)
    path.replace(target / f"{utcnow():%Y%m%dT%H%M%S}-{path.name}")


def files(session: DbSession, limit: int = 50) -> list[UsageFile]:
    """The brand's latest files, newest first."""
    stmt = select(UsageFile).order_by(UsageFile.received_at.desc(), UsageFile.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def lag_seconds(session: DbSession) -> int:
    """How long the oldest file not yet worked has waited (0: none waits)."""
    stmt = select(func.min(UsageFile.received_at)).filter_by(state=RECEIVED)
    oldest = session.scalar(stmt)
    return 0 if oldest is None else int((utcnow() - oldest).total_seconds())


def throughput(session: DbSession, minutes: int = 15) -> int:
    """Records worked per second over the last minutes' chunks."""
    stmt = select(func.sum(UsageChunk.count), func.sum(UsageChunk.millis)).where(
        UsageChunk.done_at >= utcnow() - timedelta(minutes=minutes)
    )
    count, millis = session.execute(stmt).one()
    return int((count or 0) * 1000 / millis) if millis else 0
