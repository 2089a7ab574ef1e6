"""A sign-up in progress: what the applicant has told so far, and where it went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from saas.db import Base, TenantScoped, utcnow
from saas.db.sealed import Sealed

# Where an application stands.
DRAFT = "draft"  # being filled in; can be left and resumed
CHECKING = "checking"  # submitted; the checks are running
REVIEW = "review"  # a check wants a person to look
REJECTED = "rejected"
APPROVED = "approved"  # a subscriber with a subscription; the line is being provisioned
ACTIVE = "active"  # the line works
STATUSES = (DRAFT, CHECKING, REVIEW, REJECTED, APPROVED, ACTIVE)

INDIVIDUAL, COMPANY = "individual", "company"


class Application(TenantScoped, Base):
    """One applicant's sign-up, resumable by a secret link until it is submitted."""

    __tablename__ = "applications"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("token_digest"),
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        ForeignKeyConstraint(["tenant_id", "agent_id"], ["users.tenant_id", "users.id"]),
        Index("ix_applications_tenant_status_id", "tenant_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A digest of the secret in the resume link; the secret itself is never stored.
    token_digest: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default=INDIVIDUAL)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    # The steps filled in so far, in order.
    steps_done: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What is not personal data beyond the contact: plan, SIM kind, number choice, consents.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Personal data (birth date, address, document, identifiers, IBAN): sealed at rest.
    personal: Mapped[str] = mapped_column(Sealed, default="{}")
    # Why it was refused or is waiting: refusal codes with their parameters.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A staff member who filed it for the applicant (a shop agent), if any.
    agent_id: Mapped[int | None] = mapped_column(Integer)
    # The subscriber it made, once approved.
    user_id: Mapped[int | None] = mapped_column(Integer)
    # The records the checks and the set-up made, by kind: kyc_case, credit_decision,
    # subscription, number_reservation, line, order, port_in.
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
