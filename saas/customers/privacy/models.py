"""A brand's retention period, and the record of every erasure of personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from saas.db import Base, TenantScoped, utcnow

DEFAULT_RETENTION_DAYS = 180
RETENTION_RANGE = (1, 3650)

# Why personal data was erased: the brand's period ran after the last line ended, after a
# sign-up was rejected or abandoned; or the person asked and a staff member (or a key) agreed.
LINE_ENDED = "line_ended"
SIGNUP_REJECTED = "signup_rejected"
SIGNUP_ABANDONED = "signup_abandoned"
REQUEST = "request"
RULES = (LINE_ENDED, SIGNUP_REJECTED, SIGNUP_ABANDONED, REQUEST)


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete="RESTRICT"
    )


class PrivacySettings(TenantScoped, Base):
    """A brand's rules for personal data; a brand without a row keeps the default period."""

    __tablename__ = "privacy_settings"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Days identity numbers, document data and bureau answers are kept once the last line
    # ended, or a sign-up was rejected or abandoned.
    retention_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_DAYS)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Erasure(TenantScoped, Base):
    """One erasure: whose data, which fields of which records, when, and by which rule.

    The records themselves stay (ids, dates, decisions); only their personal data went. A
    subscriber's erasure names them; a sign-up's that never made a subscriber names the sign-up.
    """

    __tablename__ = "personal_data_erasures"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk("subscriber_id", "users"),
        _fk("application_id", "applications"),
        _fk("requested_by_id", "users"),
        Index("ix_personal_data_erasures_subscriber", "tenant_id", "subscriber_id"),
        Index("ix_personal_data_erasures_application", "tenant_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int | None] = mapped_column(Integer)
    application_id: Mapped[int | None] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(32))
    # What was erased: [{"record": table, "id": row id, "fields": [column, ...]}, ...].
    erased: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # When the period began (the last line ended, the sign-up was decided or last touched).
    due_since: Mapped[datetime | None]
    # The staff member's reason for an erasure asked for; empty for the retention rules.
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
