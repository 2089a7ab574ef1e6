"""privacy: each brand's retention period, and the record of every erasure of personal data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-16 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saas.db import base, rls

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ERASURES = "personal_data_erasures"


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="RESTRICT",
    )


def _of(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{table}.tenant_id", f"{table}.id"],
        name=op.f(f"fk_{ERASURES}_tenant_id_{column}_{table}"),
        ondelete="RESTRICT",
    )


def _settings() -> None:
    op.create_table(
        "privacy_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant("privacy_settings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_privacy_settings_tenant_id")),
    )
    op.create_index(op.f("ix_privacy_settings_tenant_id"), "privacy_settings", ["tenant_id"])


def _erasures() -> None:
    op.create_table(
        ERASURES,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("erased", sa.JSON(), nullable=False),
        sa.Column("due_since", base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("erased_at", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant(ERASURES),
        _of("subscriber_id", "users"),
        _of("application_id", "applications"),
        _of("requested_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{ERASURES}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{ERASURES}_tenant_id_id")),
    )
    op.create_index(op.f(f"ix_{ERASURES}_tenant_id"), ERASURES, ["tenant_id"])
    op.create_index(
        "ix_personal_data_erasures_subscriber", ERASURES, ["tenant_id", "subscriber_id"]
    )
    op.create_index(
        "ix_personal_data_erasures_application", ERASURES, ["tenant_id", "application_id"]
    )


def upgrade() -> None:
    _settings()
    _erasures()
    rls.tenant_table("privacy_settings")
    rls.tenant_table(ERASURES)


def downgrade() -> None:
    op.drop_table(ERASURES)
    op.drop_table("privacy_settings")
