"""What charging keeps between batches: allowance and usage counters, prepaid balances, and the
brand's wholesale agreements with the host MNO (kept by the platform operator).

Counters hold base units (seconds, messages, bytes); money is exact (`Decimal`) at rest.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow

SUBSCRIPTION, ACCOUNT = "subscription", "account"  # who an allowance counter is kept for
TOP_UP, USAGE = "top_up", "usage"  # kinds of prepaid entries


def _fk(cols: list[str], table: str, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class AllowanceCounter(TenantScoped, Base):
    """What one allowance gave and what was drawn on it in one billing period.

    Kept for a subscription, or for an account when the allowance is shared by its lines.
    `granted` is the period's own units (None: unlimited), `carried` what the period before
    left unused (rollover); both in base units.
    """

    __tablename__ = "allowance_counters"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id",
            "allowance_id",
            "holder",
            "holder_id",
            "period_start",
            name="uq_allowance_counters_key",
        ),
        UniqueConstraint("tenant_id", "id"),
        _fk(["allowance_id"], "allowances", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    allowance_id: Mapped[int] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(String(16))
    holder_id: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    granted: Mapped[int | None] = mapped_column(BigInteger)
    carried: Mapped[int] = mapped_column(BigInteger, default=0)
    used: Mapped[int] = mapped_column(BigInteger, default=0)
    # Lines pooling a shared allowance (its quantity is per line); 1 otherwise.
    lines: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class UsageChargeCounter(TenantScoped, Base):
    """Units a plan's usage charge has priced for a subscription in one period, so far."""

    __tablename__ = "usage_charge_counters"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id",
            "subscription_id",
            "component_id",
            "period_start",
            name="uq_usage_charge_counters_key",
        ),
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscription_id"], "subscriptions", "CASCADE"),
        _fk(["component_id"], "price_components", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer)
    component_id: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    units: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrepaidWallet(TenantScoped, Base):
    """A prepaid account's balance; its lines are barred while it is used up."""

    __tablename__ = "prepaid_wallets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["account_id"], "accounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(default=Decimal(0))
    barred: Mapped[bool] = mapped_column(Boolean, default=False)
    # The subscriptions whose lines the empty balance barred: a top-up restores these only.
    barred_subscriptions: Mapped[list[int]] = mapped_column(JSON, default=list)
    bars: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[PrepaidEntry]] = relationship(
        order_by="(PrepaidEntry.at.desc(), PrepaidEntry.id.desc())", viewonly=True
    )


class PrepaidEntry(TenantScoped, Base):
    """One movement of a prepaid balance: a top-up, or a batch of usage drawn on it."""

    __tablename__ = "prepaid_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["wallet_id"], "prepaid_wallets", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wallet_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]  # signed: a top-up adds, usage takes
    balance_after: Mapped[Decimal]
    records: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class WholesaleAgreement(TenantScoped, Base):
    """One version of the brand's wholesale agreement with the host MNO, valid for a time.

    Versions are numbered; a new one takes over at its `valid_from` and ends the one before.
    """

    __tablename__ = "wholesale_agreements"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id", "number"), UniqueConstraint("tenant_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    line_fee: Mapped[Decimal] = mapped_column(default=Decimal(0))  # per active line and month
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")

    groups: Mapped[list[WholesaleGroup]] = relationship(
        order_by="WholesaleGroup.code", cascade="all, delete-orphan"
    )
    rates: Mapped[list[WholesaleRate]] = relationship(
        order_by="(WholesaleRate.service, WholesaleRate.id)", cascade="all, delete-orphan"
    )


class WholesaleGroup(TenantScoped, Base):
    """A destination group of an agreement: the number prefixes it covers."""

    __tablename__ = "wholesale_groups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "agreement_id", "code"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["agreement_id"], "wholesale_agreements", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)


class WholesaleRate(TenantScoped, Base):
    """A per-unit price of an agreement: per minute, message or MB, by service, zone and group.

    A rate with no zone applies in every zone, one with no group to every destination; from
    `from_volume` (the brand's units of the service in the month so far, in minutes, messages or
    MB) on: a volume tier.
    """

    __tablename__ = "wholesale_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["agreement_id"], "wholesale_agreements", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(Integer)
    service: Mapped[str] = mapped_column(String(8))
    zone: Mapped[str | None] = mapped_column(String(32))
    group_code: Mapped[str | None] = mapped_column(String(64))
    from_volume: Mapped[Decimal] = mapped_column(default=Decimal(0))
    price: Mapped[Decimal]


class WholesaleVolume(TenantScoped, Base):
    """The brand's usage of one service in one calendar month (UTC), in base units."""

    __tablename__ = "wholesale_volumes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "month", "service"),
        UniqueConstraint("tenant_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    service: Mapped[str] = mapped_column(String(8))
    units: Mapped[int] = mapped_column(BigInteger, default=0)


class WholesaleGap(TenantScoped, Base):
    """Records of one day (UTC) that no wholesale agreement was in force for: never priced 0."""

    __tablename__ = "wholesale_gaps"
    __table_args__ = (UniqueConstraint("tenant_id", "day"), UniqueConstraint("tenant_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
