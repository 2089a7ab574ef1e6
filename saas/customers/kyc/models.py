"""KYC records: a brand's settings, its cases and SEPA mandates; the platform's sanctions lists.

Personal data (birth dates, document and national numbers, the machine-readable zone, the
vendor's answer, the IBAN) is sealed at rest (saas.db.sealed); a keyed digest beside a number
finds equal numbers without opening any.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from saas.customers.kyc.outcome import MANUAL_REVIEW
from saas.db import Base, TenantScoped, utcnow
from saas.db.sealed import Sealed

DEFAULT_MIN_AGE = 18
SYSTEM, STAFF, API = "system", "staff", "api"
# A mandate is used once its case is approved; a rejected case voids it.
PENDING, ACTIVE, VOID = "pending", "active", "void"
# What a case holds sealed; the audit log never writes these values.
PERSONAL = (
    "birth_date",
    "document_number",
    "document_digest",
    "national_id",
    "national_id_digest",
    "mrz",
    "vendor_answer",
)


def _fk(cols: list[str], table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", *cols], [f"{table}.tenant_id", f"{table}.id"])


class KycSettings(TenantScoped, Base):
    """A brand's KYC rules: the minimum age, the external vendor, its SEPA creditor id."""

    __tablename__ = "kyc_settings"
    __audited__ = True
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    min_age: Mapped[int] = mapped_column(Integer, default=DEFAULT_MIN_AGE)
    vendor_enabled: Mapped[bool] = mapped_column(default=False)
    # The brand's SEPA creditor identifier, named in every mandate it takes.
    creditor_id: Mapped[str] = mapped_column(String(35), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SanctionsList(Base):
    """One loaded version of a sanctions or PEP list: the platform's, read by every brand."""

    __tablename__ = "sanctions_lists"
    __table_args__ = (UniqueConstraint("file_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the file as loaded: the same file is never loaded twice.
    file_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)

    def version(self) -> dict[str, Any]:
        """What a decision records of the list it screened against."""
        return {
            "list_id": self.id,
            "source": self.source,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "loaded_at": self.loaded_at.isoformat(),
            "entry_count": self.entry_count,
        }


class SanctionsEntry(Base):
    """A person or organisation on a sanctions list, with the names and birth dates it gives."""

    __tablename__ = "sanctions_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("sanctions_lists.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # ISO dates, or a year (and month) alone where the list knows no more.
    birth_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    programme: Mapped[str] = mapped_column(Text, default="")


class KycCase(TenantScoped, Base):
    """One applicant's identity check: what was checked, each check's result, the decision."""

    __tablename__ = "kyc_cases"
    __audited__ = True
    __audit_redact__ = PERSONAL
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        _fk(["subscriber_id"], "users"),
        _fk(["decided_by_user_id"], "users"),
        Index("ix_kyc_cases_tenant_status_id", "tenant_id", "status", "id"),
        Index("ix_kyc_cases_tenant_document_digest", "tenant_id", "document_digest"),
        Index("ix_kyc_cases_tenant_national_id_digest", "tenant_id", "national_id_digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int | None] = mapped_column(Integer, index=True)
    given_names: Mapped[str] = mapped_column(String(200))
    surname: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[str] = mapped_column(Sealed)  # ISO date, sealed
    sex: Mapped[str] = mapped_column(String(1), default="")
    nationality: Mapped[str] = mapped_column(String(3), default="")
    # TD1, TD2 or TD3 when read from a machine-readable zone; empty when typed in.
    document_format: Mapped[str] = mapped_column(String(8), default="")
    document_code: Mapped[str] = mapped_column(String(2), default="")
    document_country: Mapped[str] = mapped_column(String(3), default="")
    document_number: Mapped[str | None] = mapped_column(Sealed)
    document_digest: Mapped[str | None] = mapped_column(String(40))
    document_expires: Mapped[date | None] = mapped_column(Date)
    mrz: Mapped[str | None] = mapped_column(Sealed)
    national_id: Mapped[str | None] = mapped_column(Sealed)
    national_id_country: Mapped[str] = mapped_column(String(2), default="")
    national_id_digest: Mapped[str | None] = mapped_column(String(40))
    direct_debit: Mapped[bool] = mapped_column(default=False)
    vendor_answer: Mapped[str | None] = mapped_column(Sealed)
    status: Mapped[str] = mapped_column(String(16), default=MANUAL_REVIEW)
    # What the chain decided; `status` is where the case stands now (a reviewer may decide).
    system_decision: Mapped[str] = mapped_column(String(16))
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The version of every sanctions list screened against (source, file hash, loaded at, size).
    lists: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(16), default=SYSTEM)
    decided_by_user_id: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A reviewer's reason, in their words; the system's reasons are codes in `reasons`.
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mandate: Mapped[SepaMandate | None] = relationship(
        back_populates="case", uselist=False, foreign_keys="SepaMandate.case_id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


class SepaMandate(TenantScoped, Base):
    """A SEPA direct debit mandate given at sign-up: reference, account, creditor, signature."""

    __tablename__ = "sepa_mandates"
    __audited__ = True
    __audit_redact__ = ("iban", "iban_digest")
    __table_args__ = (
        UniqueConstraint("tenant_id", "reference"),
        UniqueConstraint("tenant_id", "case_id"),
        _fk(["case_id"], "kyc_cases"),
        _fk(["subscriber_id"], "users"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer)
    subscriber_id: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(35))
    iban: Mapped[str] = mapped_column(Sealed)
    iban_digest: Mapped[str] = mapped_column(String(40))
    bic: Mapped[str] = mapped_column(String(11), default="")
    account_holder: Mapped[str] = mapped_column(String(200))
    creditor_id: Mapped[str] = mapped_column(String(35))
    signed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[KycCase] = relationship(back_populates="mandate", foreign_keys=[case_id])
