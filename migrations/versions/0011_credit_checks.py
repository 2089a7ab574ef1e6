"""credit checks: each brand's scorecard and the credit decisions taken for its people

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-09 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saas.db.base
import saas.db.sealed
from saas.db import rls

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("credit_scorecards", "credit_decisions")


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="RESTRICT",
    )


def _scorecards() -> None:
    op.create_table(
        "credit_scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("updated_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant("credit_scorecards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_scorecards")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_credit_scorecards_tenant_id")),
    )
    op.create_index(
        op.f("ix_credit_scorecards_tenant_id"), "credit_scorecards", ["tenant_id"], unique=False
    )


def _decisions() -> None:
    op.create_table(
        "credit_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("applicant", saas.db.sealed.Sealed(), nullable=True),
        sa.Column("report", saas.db.sealed.Sealed(), nullable=True),
        sa.Column("bureau_reference", sa.String(length=64), nullable=False),
        sa.Column("bureau_problem", sa.String(length=200), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("class_code", sa.String(length=8), nullable=False),
        sa.Column("class_names", sa.JSON(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("deposit", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False),
        sa.Column(
            "credit_limit", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False
        ),
        sa.Column("max_lines", sa.Integer(), nullable=False),
        sa.Column("postpaid", sa.Boolean(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("decided_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        _tenant("credit_decisions"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscriber_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_credit_decisions_tenant_id_subscriber_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "decided_by_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_credit_decisions_tenant_id_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "based_on_id"],
            ["credit_decisions.tenant_id", "credit_decisions.id"],
            name=op.f("fk_credit_decisions_tenant_id_based_on_id_credit_decisions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_decisions")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_credit_decisions_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_credit_decisions_tenant_id"), "credit_decisions", ["tenant_id"], unique=False
    )
    op.create_index(
        "ix_credit_decisions_tenant_subscriber_id",
        "credit_decisions",
        ["tenant_id", "subscriber_id", "id"],
        unique=False,
    )


def upgrade() -> None:
    _scorecards()
    _decisions()
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    op.drop_index("ix_credit_decisions_tenant_subscriber_id", table_name="credit_decisions")
    op.drop_index(op.f("ix_credit_decisions_tenant_id"), table_name="credit_decisions")
    op.drop_table("credit_decisions")
    op.drop_index(op.f("ix_credit_scorecards_tenant_id"), table_name="credit_scorecards")
    op.drop_table("credit_scorecards")
