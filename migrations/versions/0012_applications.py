"""applications: sign-ups in progress, resumable, with their outcome

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saas.db import base, rls

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        ["users.tenant_id", "users.id"],
        name=op.f(f"fk_applications_tenant_id_{column}_users"),
    )


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("steps_done", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("personal", sa.Text(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("created_at", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_at", base.UTCDateTime(timezone=True), nullable=True),
        _user_fk("user_id"),
        _user_fk("agent_id"),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_applications_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_applications_tenant_id_id")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_applications_token_digest")),
    )
    op.create_index(
        "ix_applications_tenant_status_id", "applications", ["tenant_id", "status", "id"]
    )
    op.create_index(op.f("ix_applications_tenant_id"), "applications", ["tenant_id"])
    rls.tenant_table("applications")


def downgrade() -> None:
    op.drop_table("applications")
