"""Usage sources, their files and chunks of work, rated records, quarantine and corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from saas.db import Base, TenantScoped, utcnow
from saas.tenancy.context import require_tenant_id

# A file's progress: waiting for its chunks to be worked, done, or a copy of one already sent.
RECEIVED, DONE, DUPLICATE = "received", "done", "duplicate"
# How a file arrived.
UPLOAD, API, DROP = "upload", "api", "drop"


def _tenant() -> int:
    return require_tenant_id()


def _fk(cols: list[str], table: str, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class UsageSource(TenantScoped, Base):
    """Where a brand's usage comes from: a name, a format, its mapping overrides, a drop folder."""

    __tablename__ = "usage_sources"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    # Overrides of the format's mapping: {"columns": {field: column}, "time_zone": ..., ...}.
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drop_folder: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UsageFile(TenantScoped, Base):
    """A file of usage as received, known by its SHA-256; its records counted as they are worked."""

    __tablename__ = "usage_files"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["source_id"], "usage_sources"),
        _fk(["duplicate_of_id"], "usage_files"),
        # One file per content and brand; a copy sent again is kept as a duplicate beside it.
        Index(
            "ix_usage_files_digest",
            "tenant_id",
            "digest",
            unique=True,
            postgresql_where=text("duplicate_of_id IS NULL"),
            sqlite_where=text("duplicate_of_id IS NULL"),
        ),
        Index("ix_usage_files_received", "tenant_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255), default="")
    digest: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    arrived_by: Mapped[str] = mapped_column(String(8), default=UPLOAD)
    state: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer)
    header: Mapped[str] = mapped_column(Text, default="")  # a CSV's header line, for re-reading
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    chunks_done: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[int] = mapped_column(Integer, default=0)  # read from the file
    rated: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)  # waiting in quarantine now
    duplicates: Mapped[int] = mapped_column(Integer, default=0)  # records already stored
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class UsageChunk(TenantScoped, Base):
    """A run of a file's records, one message's work; done once, whatever the redeliveries."""

    __tablename__ = "usage_chunks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "file_id", "seq"),
        _fk(["file_id"], "usage_files", "CASCADE"),
        Index("ix_usage_chunks_pending", "tenant_id", "done_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    first_row: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    # The records' raw bytes, as framed; emptied once the chunk is done.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    done_at: Mapped[datetime | None]
    millis: Mapped[int] = mapped_column(Integer, default=0)  # how long the work took


class UsageRecord(TenantScoped, Base):
    """A rated and charged record: READ, LINE, RATED and CHARGED columns; money in micro-units.

    Written in bulk (saas.usage.storage), never one by one through the ORM; mapped for reading.
    """

    __tablename__ = "usage_records"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "record_key"),
        _fk(["file_id"], "usage_files"),
        _fk(["line_id"], "lines"),
        Index("ix_usage_records_subscription", "tenant_id", "subscription_id", "started_at"),
        Index("ix_usage_records_started", "tenant_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # The brand, pinned by the composite keys to its file and line: no index or key of its own,
    # which every bulk insert would pay for once more per record.
    tenant_id: Mapped[int] = mapped_column(Integer, nullable=False, default=_tenant)
    file_id: Mapped[int] = mapped_column(Integer)
    record_key: Mapped[str] = mapped_column(String(128))
    row: Mapped[int] = mapped_column(Integer)
    service: Mapped[str] = mapped_column(String(8))
    direction: Mapped[str] = mapped_column(String(4))
    msisdn: Mapped[str | None] = mapped_column(String(15))
    imsi: Mapped[str | None] = mapped_column(String(15))
    destination: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    usage: Mapped[int] = mapped_column(BigInteger)
    visited_network: Mapped[str] = mapped_column(String(6), default="")
    line_id: Mapped[int] = mapped_column(Integer)
    subscription_id: Mapped[int] = mapped_column(Integer)
    deck_version_id: Mapped[int | None] = mapped_column(Integer)
    rate_id: Mapped[int | None] = mapped_column(Integer)
    prefix: Mapped[str] = mapped_column(String(32), default="")
    zone: Mapped[str] = mapped_column(String(32), default="")
    rated_usage: Mapped[int] = mapped_column(BigInteger)
    retail_micros: Mapped[int] = mapped_column(BigInteger)
    wholesale_agreement_id: Mapped[int | None] = mapped_column(Integer)
    wholesale_micros: Mapped[int | None] = mapped_column(BigInteger)  # null: no agreement priced it
    allowance_id: Mapped[int | None] = mapped_column(Integer)
    allowance_used: Mapped[int] = mapped_column(BigInteger)
    charged_micros: Mapped[int] = mapped_column(BigInteger)
    rated_at: Mapped[datetime]


class QuarantinedRecord(TenantScoped, Base):
    """A record that could not be read, matched to a line or rated: why, and its raw text."""

    __tablename__ = "usage_quarantine"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "file_id", "row"),
        _fk(["file_id"], "usage_files", "CASCADE"),
        Index("ix_usage_quarantine_open", "tenant_id", "file_id", "released_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(Integer)
    row: Mapped[int] = mapped_column(Integer)
    record_key: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    quarantined_at: Mapped[datetime] = mapped_column(default=utcnow)
    tried_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a re-processing rated it (or found it already rated): it left quarantine.
    released_at: Mapped[datetime | None]


class UsageCorrection(TenantScoped, Base):
    """A difference a re-rating found on a stored record: the amounts before and after, and why."""

    __tablename__ = "usage_corrections"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["record_id"], "usage_records", "CASCADE"),
        Index("ix_usage_corrections_record", "tenant_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    old_retail_micros: Mapped[int] = mapped_column(BigInteger)
    new_retail_micros: Mapped[int] = mapped_column(BigInteger)
    old_charged_micros: Mapped[int] = mapped_column(BigInteger)
    new_charged_micros: Mapped[int] = mapped_column(BigInteger)
    old_wholesale_micros: Mapped[int | None] = mapped_column(BigInteger)
    new_wholesale_micros: Mapped[int | None] = mapped_column(BigInteger)
    old_rate_id: Mapped[int | None] = mapped_column(Integer)
    new_rate_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def difference_micros(self) -> int:
        """What the subscriber's charge moved by."""
        return self.new_charged_micros - self.old_charged_micros
