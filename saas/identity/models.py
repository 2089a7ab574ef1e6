"""People who log in: brand staff, subscribers and platform operators."""

from __future__ import annotations

from datetime import datetime

from flask_security import AsaList, RoleMixin, UserMixin
from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from saas.db import Base, TenantScoped, utcnow
from saas.db.base import _tenant_default

STAFF = "staff"
SUBSCRIBER = "subscriber"
OPERATOR = "operator"

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column(
        "tenant_id",
        Integer,
        ForeignKey("tenants.id"),
        nullable=False,
        index=True,
        default=_tenant_default,
    ),
    Column("user_id", Integer, nullable=False, primary_key=True),
    Column("role_id", Integer, ForeignKey("roles.id"), nullable=False, primary_key=True),
    ForeignKeyConstraint(
        ["tenant_id", "user_id"], ["users.tenant_id", "users.id"], ondelete="CASCADE"
    ),
)


class Role(Base, RoleMixin):
    """A named bundle of permissions, the same for every brand."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")
    permissions: Mapped[list[str]] = mapped_column(MutableList.as_mutable(AsaList()), default=list)
    update_datetime: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def email_key(email: str) -> str:
    """An address as log-in and uniqueness compare it: trimmed, in lower case."""
    return email.strip().lower()


class User(TenantScoped, Base, UserMixin):
    """A person who logs in to one tenant; the same e-mail in two brands is two people."""

    __tablename__ = "users"
    __audited__ = True
    __audit_redact__ = ("password", "fs_uniquifier", "tf_totp_secret", "mf_recovery_codes")
    # Log-in bookkeeping is not a change anyone made to the account; nor is the new uniquifier
    # each log-out gets (a password change or deactivation is logged by its own column).
    __audit_ignore__ = (
        "email_key",
        "fs_uniquifier",
        "last_login_at",
        "current_login_at",
        "last_login_ip",
        "current_login_ip",
        "login_count",
    )
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        UniqueConstraint("tenant_id", "id"),
        Index("ix_users_tenant_id_email_key", "tenant_id", "email_key", unique=True),
        Index("ix_users_tenant_id_kind_id", "tenant_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254))
    # The address as log-in and uniqueness compare it; kept by `_keyed` whenever email is set.
    email_key: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str | None] = mapped_column(String(16))
    password: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    fs_uniquifier: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # UserMixin declares the log-in fields non-null and roles as list[RoleMixin]; the columns
    # are empty until the first log-in, and a list of Role cannot widen to list[RoleMixin].
    last_login_at: Mapped[datetime | None]  # type: ignore[assignment]
    current_login_at: Mapped[datetime | None]  # type: ignore[assignment]
    last_login_ip: Mapped[str | None] = mapped_column(String(64))
    current_login_ip: Mapped[str | None] = mapped_column(String(64))
    login_count: Mapped[int | None] = mapped_column(Integer)  # type: ignore[assignment]
    tf_primary_method: Mapped[str | None] = mapped_column(String(64))
    tf_totp_secret: Mapped[str | None] = mapped_column(String(255))
    tf_phone_number: Mapped[str | None] = mapped_column(String(128))
    mf_recovery_codes: Mapped[list[str] | None] = mapped_column(MutableList.as_mutable(AsaList()))
    notes: Mapped[str] = mapped_column(Text, default="")

    roles: Mapped[list[Role]] = relationship(  # type: ignore[assignment]
        secondary=user_roles,
        primaryjoin=lambda: and_(
            User.id == user_roles.c.user_id, User.tenant_id == user_roles.c.tenant_id
        ),
        secondaryjoin=lambda: Role.id == user_roles.c.role_id,
        lazy="selectin",
    )

    @validates("email")
    def _keyed(self, _name: str, email: str) -> str:
        self.email_key = email_key(email)
        return email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def role_names(self) -> list[str]:
        return sorted(r.name for r in self.roles)

    def has_permission(self, permission: str) -> bool:
        """Whether a role of the person holds the permission.

        Flask-Security's own builds a set of every role's permissions for each question, and a
        console page asks a dozen.
        """
        return any(permission in (role.permissions or ()) for role in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.kind} tenant={self.tenant_id}>"
