"""kyc: brands' KYC settings, cases and SEPA mandates; the platform's sanctions lists

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saas.db.base
from saas.db import rls

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("kyc_settings", "kyc_cases", "sepa_mandates")
# Loaded by the platform, read by every brand's screening, changed by none.
PLATFORM_TABLES = ("sanctions_lists", "sanctions_entries")


def upgrade() -> None:
    op.create_table(
        "sanctions_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_lists")),
        sa.UniqueConstraint("file_hash", name=op.f("uq_sanctions_lists_file_hash")),
    )
    op.create_table(
        "kyc_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("vendor_enabled", sa.Boolean(), nullable=False),
        sa.Column("creditor_id", sa.String(length=35), nullable=False),
        sa.Column("updated_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_kyc_settings_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kyc_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_kyc_settings_tenant_id")),
    )
    op.create_index(op.f("ix_kyc_settings_tenant_id"), "kyc_settings", ["tenant_id"], unique=False)
    op.create_table(
        "sanctions_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("birth_dates", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["sanctions_lists.id"],
            name=op.f("fk_sanctions_entries_list_id_sanctions_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_entries")),
    )
    op.create_index(
        op.f("ix_sanctions_entries_list_id"), "sanctions_entries", ["list_id"], unique=False
    )
    op.create_table(
        "kyc_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Text(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("document_format", sa.String(length=8), nullable=False),
        sa.Column("document_code", sa.String(length=2), nullable=False),
        sa.Column("document_country", sa.String(length=3), nullable=False),
        sa.Column("document_number", sa.Text(), nullable=True),
        sa.Column("document_digest", sa.String(length=40), nullable=True),
        sa.Column("document_expires", sa.Date(), nullable=True),
        sa.Column("mrz", sa.Text(), nullable=True),
        sa.Column("national_id", sa.Text(), nullable=True),
        sa.Column("national_id_country", sa.String(length=2), nullable=False),
        sa.Column("national_id_digest", sa.String(length=40), nullable=True),
        sa.Column("direct_debit", sa.Boolean(), nullable=False),
        sa.Column("vendor_answer", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("system_decision", sa.String(length=16), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("lists", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=16), nullable=False),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "decided_by_user_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_kyc_cases_tenant_id_decided_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscriber_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_kyc_cases_tenant_id_subscriber_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_kyc_cases_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kyc_cases")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_kyc_cases_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_kyc_cases_subscriber_id"), "kyc_cases", ["subscriber_id"], unique=False
    )
    op.create_index(
        "ix_kyc_cases_tenant_document_digest",
        "kyc_cases",
        ["tenant_id", "document_digest"],
        unique=False,
    )
    op.create_index(op.f("ix_kyc_cases_tenant_id"), "kyc_cases", ["tenant_id"], unique=False)
    op.create_index(
        "ix_kyc_cases_tenant_national_id_digest",
        "kyc_cases",
        ["tenant_id", "national_id_digest"],
        unique=False,
    )
    op.create_index(
        "ix_kyc_cases_tenant_status_id", "kyc_cases", ["tenant_id", "status", "id"], unique=False
    )
    op.create_table(
        "sepa_mandates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("iban", sa.Text(), nullable=False),
        sa.Column("iban_digest", sa.String(length=40), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.Column("account_holder", sa.String(length=200), nullable=False),
        sa.Column("creditor_id", sa.String(length=35), nullable=False),
        sa.Column("signed_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["kyc_cases.tenant_id", "kyc_cases.id"],
            name=op.f("fk_sepa_mandates_tenant_id_case_id_kyc_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscriber_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_sepa_mandates_tenant_id_subscriber_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_sepa_mandates_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sepa_mandates")),
        sa.UniqueConstraint(
            "tenant_id", "case_id", name=op.f("uq_sepa_mandates_tenant_id_case_id")
        ),
        sa.UniqueConstraint(
            "tenant_id", "reference", name=op.f("uq_sepa_mandates_tenant_id_reference")
        ),
    )
    op.create_index(
        op.f("ix_sepa_mandates_tenant_id"), "sepa_mandates", ["tenant_id"], unique=False
    )
    for table in TENANT_TABLES:
        rls.tenant_table(table)
    for table in PLATFORM_TABLES:
        rls.registry_table(table)
        rls.platform_only(table)


def downgrade() -> None:
    for table in PLATFORM_TABLES:
        rls.drop_guard(table, "platform_only")
    op.drop_index(op.f("ix_sepa_mandates_tenant_id"), table_name="sepa_mandates")
    op.drop_table("sepa_mandates")
    op.drop_index("ix_kyc_cases_tenant_status_id", table_name="kyc_cases")
    op.drop_index("ix_kyc_cases_tenant_national_id_digest", table_name="kyc_cases")
    op.drop_index(op.f("ix_kyc_cases_tenant_id"), table_name="kyc_cases")
    op.drop_index("ix_kyc_cases_tenant_document_digest", table_name="kyc_cases")
    op.drop_index(op.f("ix_kyc_cases_subscriber_id"), table_name="kyc_cases")
    op.drop_table("kyc_cases")
    op.drop_index(op.f("ix_sanctions_entries_list_id"), table_name="sanctions_entries")
    op.drop_table("sanctions_entries")
    op.drop_index(op.f("ix_kyc_settings_tenant_id"), table_name="kyc_settings")
    op.drop_table("kyc_settings")
    op.drop_table("sanctions_lists")
