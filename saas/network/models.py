"""Number ranges and numbers, SIMs and their imports, lines with what they held over time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow
from saas.db.sealed import Sealed
from saas.subscriptions.models import Subscription

# Number states as stored; a reservation or quarantine whose time has passed reads as free.
FREE = "available"
RESERVED = "reserved"
ASSIGNED = "assigned"
QUARANTINED = "quarantined"
NUMBER_STATES = (FREE, RESERVED, ASSIGNED, QUARANTINED)
# Where a number came from: one of the brand's ranges, or ported in from another operator.
FROM_RANGE, PORTED = "range", "ported"

# SIM states and kinds. A retired SIM was on a line that ended: it never returns to stock.
IN_STOCK, SIM_ASSIGNED, SIM_ACTIVE, LOST, SWAPPED, RETIRED = (
    "in_stock",
    "assigned",
    "active",
    "lost",
    "swapped",
    "retired",
)
SIM_STATES = (IN_STOCK, SIM_ASSIGNED, SIM_ACTIVE, LOST, SWAPPED, RETIRED)
PHYSICAL, ESIM = "physical", "esim"
SIM_KINDS = (PHYSICAL, ESIM)

# Line lifecycle.
PENDING, ACTIVE, SUSPENDED, TERMINATED = "pending", "active", "suspended", "terminated"
LINE_STATES = (PENDING, ACTIVE, SUSPENDED, TERMINATED)

DEFAULT_QUARANTINE_DAYS = 90
DEFAULT_RESERVATION_MINUTES = 30
DEFAULT_GOLDEN_RUN = 4


def _fk(cols: list[str], table: str, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class NetworkSettings(TenantScoped, Base):
    """A brand's rules for its numbers and eSIMs; a brand without a row has the defaults."""

    __tablename__ = "network_settings"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quarantine_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_QUARANTINE_DAYS)
    reservation_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_RESERVATION_MINUTES)
    # A number whose last `golden_run` digits repeat or count up or down is golden; 0: none.
    golden_run: Mapped[int] = mapped_column(Integer, default=DEFAULT_GOLDEN_RUN)
    # The SM-DP+ server the brand's eSIM profiles are downloaded from (GSMA SGP.22).
    smdp_address: Mapped[str] = mapped_column(String(253), default="")


class NumberRange(TenantScoped, Base):
    """A block of E.164 numbers the brand holds, first to last, all of one length and country."""

    __tablename__ = "number_ranges"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        Index("ix_number_ranges_tenant_first", "tenant_id", "first"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # E.164 without the plus: digits only, so ranges of one length compare as text.
    first: Mapped[str] = mapped_column(String(15))
    last: Mapped[str] = mapped_column(String(15))
    country: Mapped[str] = mapped_column(String(2))
    size: Mapped[int] = mapped_column(Integer)
    golden: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Number(TenantScoped, Base):
    """One MSISDN of the brand and where it stands: free, reserved, assigned or in quarantine."""

    __tablename__ = "numbers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "msisdn"),
        _fk(["range_id"], "number_ranges"),
        Index("ix_numbers_tenant_state_id", "tenant_id", "state", "id"),
        Index("ix_numbers_tenant_range_state", "tenant_id", "range_id", "state"),
        UniqueConstraint("tenant_id", "reservation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    msisdn: Mapped[str] = mapped_column(String(15))
    range_id: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(8), default=FROM_RANGE)
    golden: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=FREE)
    # From when the number may be given out; None while it is assigned. A reservation or a
    # quarantine sets it to its end, so stock is one comparison with the clock, no sweeping job.
    free_from: Mapped[datetime | None] = mapped_column(nullable=True)
    # The token a sign-up holds while the number is reserved for it.
    reservation: Mapped[str | None] = mapped_column(String(43), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def state_at(self, now: datetime) -> str:
        """The state as staff read it: a lapsed reservation or quarantine is free again."""
        return number_state_at(self.state, self.free_from, now)


def number_state_at(state: str, free_from: datetime | None, now: datetime) -> str:
    """A number's state as staff read it at `now`: a lapsed hold reads as free."""
    lapsed = free_from is not None and free_from <= now
    return FREE if state in (RESERVED, QUARANTINED) and lapsed else state


class SimImport(TenantScoped, Base):
    """A file of SIMs loaded at once, known by its digest so it is never loaded twice."""

    __tablename__ = "sim_imports"
    __table_args__ = (UniqueConstraint("tenant_id", "id"), UniqueConstraint("tenant_id", "digest"))

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), default="")
    count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(254), default="")


class Sim(TenantScoped, Base):
    """A SIM card or eSIM profile: its serial, network identity and sealed secret keys."""

    __tablename__ = "sims"
    __audited__ = True
    __audit_redact__ = ("ki", "opc")
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "iccid"),
        UniqueConstraint("tenant_id", "imsi"),
        _fk(["import_id"], "sim_imports"),
        Index("ix_sims_tenant_state_kind_id", "tenant_id", "state", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iccid: Mapped[str] = mapped_column(String(20))
    imsi: Mapped[str] = mapped_column(String(15))
    kind: Mapped[str] = mapped_column(String(8), default=PHYSICAL)
    state: Mapped[str] = mapped_column(String(16), default=IN_STOCK)
    # Secret keys of the card, sealed at rest and never shown (saas.db.sealed).
    ki: Mapped[str] = mapped_column(Sealed())
    opc: Mapped[str] = mapped_column(Sealed())
    # The eSIM profile's matching ID at the SM-DP+; empty for a physical card.
    matching_id: Mapped[str] = mapped_column(String(64), default="")
    import_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Line(TenantScoped, Base):
    """A subscription's line: its lifecycle; what number and SIM it held when is beside it."""

    __tablename__ = "lines"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "subscription_id"),
        _fk(["subscription_id"], "subscriptions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    subscription: Mapped[Subscription] = relationship(foreign_keys=[subscription_id])
    numbers: Mapped[list[LineNumber]] = relationship(
        order_by="(LineNumber.valid_from, LineNumber.id)", viewonly=True
    )
    sims: Mapped[list[LineSim]] = relationship(
        order_by="(LineSim.valid_from, LineSim.id)", viewonly=True
    )
    events: Mapped[list[LineEvent]] = relationship(
        order_by="(LineEvent.at, LineEvent.id)", viewonly=True
    )


def _open() -> dict[str, Any]:
    """The where-clause of a partial index over the assignments still open."""
    where = text("valid_to IS NULL")
    return {"postgresql_where": where, "sqlite_where": where, "unique": True}


class LineNumber(TenantScoped, Base):
    """A number held by a line from `valid_from` until `valid_to` (None: still held), UTC."""

    __tablename__ = "line_numbers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["line_id"], "lines", "CASCADE"),
        _fk(["number_id"], "numbers"),
        # "Which line held this number at T": the number's intervals, by start.
        Index("ix_line_numbers_msisdn_from", "tenant_id", "msisdn", "valid_from"),
        Index("ix_line_numbers_open_msisdn", "tenant_id", "msisdn", **_open()),
        Index("ix_line_numbers_line", "tenant_id", "line_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(Integer)
    number_id: Mapped[int] = mapped_column(Integer)
    msisdn: Mapped[str] = mapped_column(String(15))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None] = mapped_column(nullable=True)


class LineSim(TenantScoped, Base):
    """A SIM held by a line from `valid_from` until `valid_to` (None: still held), UTC."""

    __tablename__ = "line_sims"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["line_id"], "lines", "CASCADE"),
        _fk(["sim_id"], "sims"),
        Index("ix_line_sims_imsi_from", "tenant_id", "imsi", "valid_from"),
        Index("ix_line_sims_open_imsi", "tenant_id", "imsi", **_open()),
        Index("ix_line_sims_line", "tenant_id", "line_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(Integer)
    sim_id: Mapped[int] = mapped_column(Integer)
    imsi: Mapped[str] = mapped_column(String(15))
    iccid: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None] = mapped_column(nullable=True)


class LineEvent(TenantScoped, Base):
    """One change of a line: what, when it took effect, who made it (for churn reports too)."""

    __tablename__ = "line_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["line_id"], "lines", "CASCADE"),
        Index("ix_line_events_line_at", "tenant_id", "line_id", "at"),
        Index("ix_line_events_kind_at", "tenant_id", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    # What the change set: the state it left, the numbers or SIMs it moved, a reason.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
