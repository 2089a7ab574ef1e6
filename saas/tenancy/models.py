"""Brands (tenants), the platform realm, and the host names they answer on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, utcnow

BRAND = "brand"
PLATFORM = "platform"
PLATFORM_SLUG = "platform"


class Tenant(Base):
    """A mobile brand, or the platform operators' own realm."""

    __tablename__ = "tenants"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=BRAND)
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    locales: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"])
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    country: Mapped[str] = mapped_column(String(2), default="")
    theme: Mapped[str] = mapped_column(String(63), default="base")
    support_email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    domains: Mapped[list[TenantDomain]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", order_by="TenantDomain.host"
    )

    @property
    def is_platform(self) -> bool:
        return self.kind == PLATFORM

    @property
    def hosts(self) -> list[str]:
        return [d.host for d in self.domains]

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantDomain(Base):
    """A host name a brand is served on; a host belongs to one brand only."""

    __tablename__ = "tenant_domains"
    __table_args__ = (UniqueConstraint("host"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(253))

    tenant: Mapped[Tenant] = relationship(back_populates="domains")


# One row whose number goes up with every write to `tenants` or `tenant_domains` (a trigger does
# it, in the writing transaction): each process asks for it now and then to know whether the brands
# it holds in memory are still the ones stored.
registry_version = Table(
    "registry_version",
    Base.metadata,
    Column("id", SmallInteger, primary_key=True),
    Column("version", BigInteger, nullable=False, default=0),
    CheckConstraint("id = 1", name="single_row"),
)
REGISTRY_TABLES = ("tenants", "tenant_domains")
