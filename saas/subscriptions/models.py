"""Subscriptions, their add-ons, and the event history every state is derived from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.catalog.models import PlanVersion, Promotion
from saas.customers.models import Account
from saas.db import Base, TenantScoped, utcnow
from saas.identity.models import User

ACTIVE = "active"
SUSPENDED = "suspended"
CANCELLED = "cancelled"

# Event states: scheduled events take effect later; revoked ones never do.
APPLIED = "applied"
SCHEDULED = "scheduled"
REVOKED = "revoked"


def _fk(cols: list[str], table: str, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class Subscription(TenantScoped, Base):
    """A line's subscription to one plan version: the current state, kept from its events."""

    __tablename__ = "subscriptions"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["account_id"], "accounts"),
        _fk(["subscriber_id"], "users"),
        _fk(["plan_version_id"], "plan_versions"),
        _fk(["promotion_id"], "promotions"),
        Index("ix_subscriptions_tenant_status_id", "tenant_id", "status", "id"),
        Index("ix_subscriptions_tenant_version_id", "tenant_id", "plan_version_id", "id"),
        Index("ix_subscriptions_tenant_promotion_id", "tenant_id", "promotion_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, index=True)
    subscriber_id: Mapped[int] = mapped_column(Integer, index=True)
    # The line's name on a company account ("Sales phone"); empty for a personal line.
    line_label: Mapped[str] = mapped_column(String(120), default="")
    plan_version_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    # Periods are counted from this local date in the brand's time zone.
    anchor_date: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    promotion_id: Mapped[int | None] = mapped_column(Integer)
    # The local date the promotion stops discounting (exclusive), fixed at subscribe; None: it
    # never does, or there is none (saas.subscriptions.cycles).
    promotion_ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # foreign_keys names only the id column: tenant_id is shared and never copied across.
    account: Mapped[Account] = relationship(foreign_keys=[account_id])
    subscriber: Mapped[User] = relationship(foreign_keys=[subscriber_id])
    plan_version: Mapped[PlanVersion] = relationship(foreign_keys=[plan_version_id])
    promotion: Mapped[Promotion | None] = relationship(foreign_keys=[promotion_id])
    addons: Mapped[list[SubscriptionAddOn]] = relationship(
        back_populates="subscription", order_by="SubscriptionAddOn.id"
    )
    events: Mapped[list[SubscriptionEvent]] = relationship(
        back_populates="subscription",
        order_by="(SubscriptionEvent.effective_at, SubscriptionEvent.id)",
    )


class SubscriptionAddOn(TenantScoped, Base):
    """An add-on or booster held on top of a subscription."""

    __tablename__ = "subscription_addons"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscription_id"], "subscriptions", "CASCADE"),
        _fk(["addon_version_id"], "plan_versions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    addon_version_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    subscription: Mapped[Subscription] = relationship(
        back_populates="addons", foreign_keys=[subscription_id]
    )
    addon_version: Mapped[PlanVersion] = relationship(foreign_keys=[addon_version_id])


class SubscriptionEvent(TenantScoped, Base):
    """One change to a subscription, with the time it takes effect and the charges it causes."""

    __tablename__ = "subscription_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscription_id"], "subscriptions", "CASCADE"),
        Index("ix_subscription_events_due", "tenant_id", "state", "effective_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=APPLIED)
    effective_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    # What the change sets (plan_version_id, status, add-on ids) and the charges it causes.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    subscription: Mapped[Subscription] = relationship(back_populates="events")
