"""The brand's scorecard and the credit decisions taken for its people."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.db import Base, TenantScoped, utcnow
from saas.db.sealed import Sealed
from saas.identity.models import User

CHECK, OVERRIDE = "check", "override"
# How a check ended: scored on a record, scored without one, or the bureau could not be asked.
SCORED, NO_RECORD, UNAVAILABLE = "scored", "no_record", "bureau_unavailable"
OUTCOMES = (SCORED, NO_RECORD, UNAVAILABLE, OVERRIDE)


class CreditPolicy(TenantScoped, Base):
    """The brand's scorecard as data (saas.customers.credit.spec), one per brand."""

    __tablename__ = "credit_scorecards"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _fk(cols: list[str], table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"], ondelete="RESTRICT"
    )


class CreditDecision(TenantScoped, Base):
    """One check of a person (or a staff member's override of one), as it was decided.

    What the person gave and what the bureau answered are personal data, sealed at rest; the
    scorecard's lines say why without them. The class and what it allows are copied from the
    scorecard of the day, so a later change of the scorecard leaves the decision as it was.
    """

    __tablename__ = "credit_decisions"
    __audited__ = True
    __audit_redact__ = ("applicant", "report")
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscriber_id"], "users"),
        _fk(["decided_by_id"], "users"),
        _fk(["based_on_id"], "credit_decisions"),
        Index("ix_credit_decisions_tenant_subscriber_id", "tenant_id", "subscriber_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default=CHECK)
    outcome: Mapped[str] = mapped_column(String(32))
    # Sealed JSON: the applicant as checked, and the bureau's answer as received.
    applicant: Mapped[str | None] = mapped_column(Sealed)
    report: Mapped[str | None] = mapped_column(Sealed)
    bureau_reference: Mapped[str] = mapped_column(String(64), default="")
    # Why the bureau could not be asked, in English, for whoever looks into it.
    bureau_problem: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    total: Mapped[int | None] = mapped_column(Integer)
    class_code: Mapped[str] = mapped_column(String(8))
    class_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3))
    deposit: Mapped[Decimal]
    credit_limit: Mapped[Decimal]
    max_lines: Mapped[int] = mapped_column(Integer)
    postpaid: Mapped[bool]
    based_on_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    # The staff member who overrode a class; None when the scorecard decided.
    decided_by_id: Mapped[int | None] = mapped_column(Integer)
    # Who asked, as the audit log names them: a staff member, an API key, the system.
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    subscriber: Mapped[User] = relationship(foreign_keys=[subscriber_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    based_on: Mapped[CreditDecision | None] = relationship(
        remote_side="CreditDecision.id", foreign_keys=[based_on_id]
    )

    def class_name(self, locale: str, default: str = "") -> str:
        """The class's name in a language, else the brand's default one, else its code."""
        names = self.class_names or {}
        return names.get(locale) or names.get(default) or self.class_code
