"""Provisioning orders with the history of their changes, and port-in requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow
from saas.db.sealed import Sealed

# What the host network can be asked to do.
ACTIVATE = "activate"
SUSPEND = "suspend"
RESTORE = "restore"
TERMINATE = "terminate"
CHANGE_PROFILE = "change_profile"
SWAP_SIM = "swap_sim"
PORT_IN = "port_in"
ACTIONS = (ACTIVATE, SUSPEND, RESTORE, TERMINATE, CHANGE_PROFILE, SWAP_SIM, PORT_IN)

# An order's states: waiting for a job, accepted by the network and not done yet, done, refused
# by the network, or given up after the last automatic attempt (a person must look at it).
PENDING = "pending"
SENT = "sent"
COMPLETED = "completed"
FAILED = "failed"
STUCK = "stuck"
ORDER_STATES = (PENDING, SENT, COMPLETED, FAILED, STUCK)
# Which state may follow which; a retry by a person moves a failed or stuck order to pending.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (PENDING, SENT, COMPLETED, FAILED, STUCK),
    SENT: (SENT, COMPLETED, FAILED, STUCK),
    FAILED: (PENDING,),
    STUCK: (PENDING,),
    COMPLETED: (),
}
NEEDS_A_PERSON = (STUCK, FAILED)

# A port-in request's states.
REQUESTED = "requested"
CONFIRMED = "confirmed"
REJECTED = "rejected"
PORTED = "completed"
PORT_STATES = (REQUESTED, CONFIRMED, REJECTED, PORTED)
UNDER_WAY = (REQUESTED, CONFIRMED)


def _fk(cols: list[str], table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete="RESTRICT"
    )


def _key() -> str:
    return uuid.uuid4().hex


class ProvisioningOrder(TenantScoped, Base):
    """One thing the host network is asked to do for a subscription's line."""

    __tablename__ = "provisioning_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        _fk(["subscription_id"], "subscriptions"),
        Index("ix_provisioning_orders_tenant_state_id", "tenant_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(32))
    # What the network needs: msisdn, iccid, imsi, profile, or the port-in's holder data.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    # Sent with every attempt: the network carries an order out once however often it is asked.
    idempotency_key: Mapped[str] = mapped_column(String(64), default=_key)
    attempts: Mapped[int] = mapped_column(default=0)
    # Attempts since the order was made or last retried by a person; the jobs give up at a limit.
    round_attempts: Mapped[int] = mapped_column(default=0)
    network_ref: Mapped[str] = mapped_column(String(64), default="")
    # What the network answered when done (a port-in's decision, for one).
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_error: Mapped[str] = mapped_column(String(64), default="")
    last_error_detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id"
    )

    @property
    def needs_a_person(self) -> bool:
        """Whether the jobs have given up on the order."""
        return self.state in NEEDS_A_PERSON


class OrderEvent(TenantScoped, Base):
    """One change of an order (made, attempted, retried, done), for audit and churn reports."""

    __tablename__ = "provisioning_order_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["order_id"], "provisioning_orders"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16))
    # The attempt this event is the outcome of (0: no attempt, e.g. made or retried).
    attempt: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    actor_label: Mapped[str] = mapped_column(String(254), default="")

    order: Mapped[ProvisioningOrder] = relationship(back_populates="events")


class PortIn(TenantScoped, Base):
    """A request to bring a subscriber's number over from another operator (the donor)."""

    __tablename__ = "port_ins"
    __audited__ = True
    # Personal data: sealed at rest, never written into the audit log.
    __audit_redact__ = ("holder_name", "donor_account")
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscription_id"], "subscriptions"),
        _fk(["order_id"], "provisioning_orders"),
        Index("ix_port_ins_tenant_state_date", "tenant_id", "state", "porting_date"),
        # One request under way per number and brand.
        Index(
            "uq_port_ins_number_under_way",
            "tenant_id",
            "msisdn",
            unique=True,
            postgresql_where=text("state IN ('requested', 'confirmed')"),
            sqlite_where=text("state IN ('requested', 'confirmed')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    msisdn: Mapped[str] = mapped_column(String(16))
    donor: Mapped[str] = mapped_column(String(32))
    holder_name: Mapped[str] = mapped_column(Sealed())
    donor_account: Mapped[str] = mapped_column(Sealed(), default="")
    wished_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default=REQUESTED)
    porting_date: Mapped[date | None] = mapped_column(Date)
    rejection: Mapped[str] = mapped_column(String(64), default="")
    order_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    order: Mapped[ProvisioningOrder | None] = relationship(foreign_keys=[order_id])
