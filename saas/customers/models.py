"""Accounts: one person, or a company whose lines share an account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow
from saas.identity.models import User

INDIVIDUAL = "individual"
COMPANY = "company"


class Account(TenantScoped, Base):
    """The paying party: a subscriber's own account or a company account with several lines."""

    __tablename__ = "accounts"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "holder_id"], ["users.tenant_id", "users.id"]),
        Index("ix_accounts_tenant_id_holder_id", "tenant_id", "holder_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=INDIVIDUAL)
    name: Mapped[str] = mapped_column(String(200))
    # The person who manages the account (the subscriber, or the company's contact).
    holder_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    holder: Mapped[User] = relationship()
