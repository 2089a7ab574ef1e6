"""The offer catalogue: metrics, products, plans, versions, components, allowances, promotions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow

# Plan kinds: what a subscription holds, and what it may add on top.
PLAN = "plan"
ADDON = "addon"
PREPAID = "prepaid"
POSTPAID = "postpaid"

DRAFT = "draft"
PUBLISHED = "published"
ARCHIVED = "archived"

ONE_TIME = "one_time"
RECURRING = "recurring"
USAGE = "usage"
COMPONENT_KINDS = (ONE_TIME, RECURRING, USAGE)
FEE_TYPES = ("activation", "sim", "esim", "port_in", "other")
ADVANCE = "advance"
ARREARS = "arrears"
TAX_CATEGORIES = ("standard", "reduced", "exempt")


def _fk(cols: list[str], table: str, ondelete: str = "RESTRICT") -> ForeignKeyConstraint:
    """Foreign key that also pins the tenant: a row can only point into its own brand."""
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class Metric(TenantScoped, Base):
    """A billable usage measure: voice minutes, SMS, data MB or any named metric."""

    __tablename__ = "metrics"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id", "code"), UniqueConstraint("tenant_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    # How events add up in a period: sum of quantities, or count of events.
    aggregation: Mapped[str] = mapped_column(String(16), default="sum")
    # Which usage records it counts (saas.usage.units): a service (voice, sms, data; None: read
    # from the unit) and a zone (None: at home; else the rater's roaming zone, e.g. "eu").
    service: Mapped[str | None] = mapped_column(String(8))
    zone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Product(TenantScoped, Base):
    """A line of business that groups plans, e.g. 'Mobile' or 'Data only'."""

    __tablename__ = "products"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id", "code"), UniqueConstraint("tenant_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plans: Mapped[list[Plan]] = relationship(back_populates="product", order_by="Plan.name")


class Plan(TenantScoped, Base):
    """A sellable plan or add-on; its prices live in versions."""

    __tablename__ = "plans"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["product_id"], "products"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default=PLAN)
    payment: Mapped[str] = mapped_column(String(16), default=POSTPAID)
    currency: Mapped[str] = mapped_column(String(3))
    tax_category: Mapped[str] = mapped_column(String(32), default="standard")
    # The name and description in the brand's other languages, {"en": {"name": ..., ...}}: read
    # with the row, so a page of plans shows them without a query more. Replaced, never mutated,
    # so that the audit log sees the change (saas.catalog.texts writes it).
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="plans")
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )

    @property
    def published(self) -> PlanVersion | None:
        """The version sold to new subscribers, if any."""
        return next((v for v in self.versions if v.status == PUBLISHED), None)

    @property
    def draft(self) -> PlanVersion | None:
        """The version being edited, if any."""
        return next((v for v in self.versions if v.status == DRAFT), None)


class PlanVersion(TenantScoped, Base):
    """One price list of a plan: draft while edited, published when sold, archived after."""

    __tablename__ = "plan_versions"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "plan_id", "number"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["plan_id"], "plans", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    billing_interval: Mapped[str] = mapped_column(String(16), default="monthly")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="versions")
    components: Mapped[list[PriceComponent]] = relationship(
        back_populates="version", order_by="PriceComponent.position", cascade="all, delete-orphan"
    )
    allowances: Mapped[list[Allowance]] = relationship(
        back_populates="version", order_by="Allowance.id", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        """Plan name with the version number, for lists and the audit log."""
        return f"{self.plan.name} v{self.number}"

    def recurring_total(self) -> Decimal:
        """Sum of the recurring charges per billing interval (what a change is judged by)."""
        return sum(
            (c.amount or Decimal(0) for c in self.components if c.kind == RECURRING), Decimal(0)
        )


class PriceComponent(TenantScoped, Base):
    """A one-time, recurring or usage charge of a plan version."""

    __tablename__ = "price_components"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "version_id", "code"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["version_id"], "plan_versions", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    # One-time: which event triggers the fee (activation, SIM, eSIM, port-in).
    fee_type: Mapped[str | None] = mapped_column(String(16))
    # One-time and recurring: the price; usage prices live in `charge`.
    amount: Mapped[Decimal | None]
    timing: Mapped[str] = mapped_column(String(16), default=ADVANCE)
    prorate: Mapped[bool] = mapped_column(Boolean, default=True)
    metric_code: Mapped[str | None] = mapped_column(String(64))
    # Usage: a Lago charge object {"charge_model": ..., "properties": {...}}, decimals as strings.
    charge: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    version: Mapped[PlanVersion] = relationship(back_populates="components")


class Allowance(TenantScoped, Base):
    """Units included per cycle: 500 minutes, unlimited SMS, 10 GB of data."""

    __tablename__ = "allowances"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "version_id", "metric_code"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["version_id"], "plan_versions", "CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer)
    metric_code: Mapped[str] = mapped_column(String(64))
    # None means unlimited.
    quantity: Mapped[Decimal | None]
    # Unused units carry over into the next cycle only (never further).
    rollover: Mapped[bool] = mapped_column(Boolean, default=False)
    # Pooled across every line of the account instead of per line.
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # Roaming zones where it is drawn on too, beyond its metric's own ("eu": roam like at home).
    zones: Mapped[list[str]] = mapped_column(JSON, default=list)

    version: Mapped[PlanVersion] = relationship(back_populates="allowances")


class Promotion(TenantScoped, Base):
    """A discount, percent or fixed, on a component or the whole plan, optionally by code."""

    __tablename__ = "promotions"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("tenant_id", "promo_code"),
        UniqueConstraint("tenant_id", "id"),
        _fk(["plan_id"], "plans"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # percent | fixed
    value: Mapped[Decimal]
    currency: Mapped[str | None] = mapped_column(String(3))
    plan_id: Mapped[int | None] = mapped_column(Integer)
    # None: the whole plan's recurring charges; else the code of one recurring component.
    component_code: Mapped[str | None] = mapped_column(String(64))
    duration: Mapped[str] = mapped_column(String(16), default="once")  # once|repeating|forever
    cycles: Mapped[int | None] = mapped_column(Integer)
    promo_code: Mapped[str | None] = mapped_column(String(64))
    max_redemptions: Mapped[int | None] = mapped_column(Integer)
    redemptions: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan | None] = relationship()


class PlanMigration(TenantScoped, Base):
    """A scheduled move of a version's subscribers onto a newer version (ends grandfathering)."""

    __tablename__ = "plan_migrations"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["from_version_id"], "plan_versions"),
        _fk(["to_version_id"], "plan_versions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_version_id: Mapped[int] = mapped_column(Integer)
    to_version_id: Mapped[int] = mapped_column(Integer)
    # next_period: each subscriber moves at the start of their own next period.
    timing: Mapped[str] = mapped_column(String(16), default="next_period")
    effective_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    affected: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")

    from_version: Mapped[PlanVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[PlanVersion] = relationship(foreign_keys=[to_version_id])


# One row whose number goes up with every write to a catalogue table of any brand (a trigger does
# it, in the writing transaction): a process holding a brand's catalogue in memory reads it to
# know whether what it holds is still what is stored (saas.catalog.snapshot).
catalog_version = Table(
    "catalog_version",
    Base.metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("version", BigInteger, nullable=False, default=0),
    CheckConstraint("id = 1", name="single_row"),
)
