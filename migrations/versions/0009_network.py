"""network: number ranges and numbers, SIMs and their imports, lines and what they held when

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saas.db.base
from saas.db import rls

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "network_settings",
    "number_ranges",
    "numbers",
    "sim_imports",
    "sims",
    "lines",
    "line_numbers",
    "line_sims",
    "line_events",
)


def upgrade() -> None:
    op.create_table(
        "network_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarantine_days", sa.Integer(), nullable=False),
        sa.Column("reservation_minutes", sa.Integer(), nullable=False),
        sa.Column("golden_run", sa.Integer(), nullable=False),
        sa.Column("smdp_address", sa.String(length=253), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_network_settings_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_network_settings_tenant_id")),
    )
    op.create_index(
        op.f("ix_network_settings_tenant_id"), "network_settings", ["tenant_id"], unique=False
    )
    op.create_table(
        "number_ranges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first", sa.String(length=15), nullable=False),
        sa.Column("last", sa.String(length=15), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("golden", sa.Integer(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_number_ranges_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_ranges")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_number_ranges_tenant_id_id")),
    )
    op.create_index(
        "ix_number_ranges_tenant_first", "number_ranges", ["tenant_id", "first"], unique=False
    )
    op.create_index(
        op.f("ix_number_ranges_tenant_id"), "number_ranges", ["tenant_id"], unique=False
    )
    op.create_table(
        "numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("msisdn", sa.String(length=15), nullable=False),
        sa.Column("range_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("golden", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("free_from", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reservation", sa.String(length=43), nullable=True),
        sa.Column("changed_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "range_id"],
            ["number_ranges.tenant_id", "number_ranges.id"],
            name=op.f("fk_numbers_tenant_id_range_id_number_ranges"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_numbers_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_numbers")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_numbers_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "msisdn", name=op.f("uq_numbers_tenant_id_msisdn")),
        sa.UniqueConstraint(
            "tenant_id", "reservation", name=op.f("uq_numbers_tenant_id_reservation")
        ),
    )
    op.create_index(op.f("ix_numbers_tenant_id"), "numbers", ["tenant_id"], unique=False)
    op.create_index(
        "ix_numbers_tenant_range_state", "numbers", ["tenant_id", "range_id", "state"], unique=False
    )
    op.create_index(
        "ix_numbers_tenant_state_id", "numbers", ["tenant_id", "state", "id"], unique=False
    )
    op.create_table(
        "sim_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_sim_imports_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sim_imports")),
        sa.UniqueConstraint("tenant_id", "digest", name=op.f("uq_sim_imports_tenant_id_digest")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_sim_imports_tenant_id_id")),
    )
    op.create_index(op.f("ix_sim_imports_tenant_id"), "sim_imports", ["tenant_id"], unique=False)
    op.create_table(
        "sims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iccid", sa.String(length=20), nullable=False),
        sa.Column("imsi", sa.String(length=15), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("ki", sa.Text(), nullable=False),
        sa.Column("opc", sa.Text(), nullable=False),
        sa.Column("matching_id", sa.String(length=64), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "import_id"],
            ["sim_imports.tenant_id", "sim_imports.id"],
            name=op.f("fk_sims_tenant_id_import_id_sim_imports"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_sims_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sims")),
        sa.UniqueConstraint("tenant_id", "iccid", name=op.f("uq_sims_tenant_id_iccid")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_sims_tenant_id_id")),
        sa.UniqueConstraint("tenant_id", "imsi", name=op.f("uq_sims_tenant_id_imsi")),
    )
    op.create_index(op.f("ix_sims_tenant_id"), "sims", ["tenant_id"], unique=False)
    op.create_index(
        "ix_sims_tenant_state_kind_id", "sims", ["tenant_id", "state", "kind", "id"], unique=False
    )
    op.create_table(
        "lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscription_id"],
            ["subscriptions.tenant_id", "subscriptions.id"],
            name=op.f("fk_lines_tenant_id_subscription_id_subscriptions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_lines_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lines")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_lines_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "subscription_id", name=op.f("uq_lines_tenant_id_subscription_id")
        ),
    )
    op.create_index(op.f("ix_lines_tenant_id"), "lines", ["tenant_id"], unique=False)
    op.create_table(
        "line_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("number_id", sa.Integer(), nullable=False),
        sa.Column("msisdn", sa.String(length=15), nullable=False),
        sa.Column("valid_from", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_to", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "line_id"],
            ["lines.tenant_id", "lines.id"],
            name=op.f("fk_line_numbers_tenant_id_line_id_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "number_id"],
            ["numbers.tenant_id", "numbers.id"],
            name=op.f("fk_line_numbers_tenant_id_number_id_numbers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_line_numbers_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_numbers")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_line_numbers_tenant_id_id")),
    )
    op.create_index("ix_line_numbers_line", "line_numbers", ["tenant_id", "line_id"], unique=False)
    op.create_index(
        "ix_line_numbers_msisdn_from",
        "line_numbers",
        ["tenant_id", "msisdn", "valid_from"],
        unique=False,
    )
    op.create_index(
        "ix_line_numbers_open_msisdn",
        "line_numbers",
        ["tenant_id", "msisdn"],
        unique=True,
        postgresql_where=sa.text("valid_to IS NULL"),
        sqlite_where=sa.text("valid_to IS NULL"),
    )
    op.create_index(op.f("ix_line_numbers_tenant_id"), "line_numbers", ["tenant_id"], unique=False)
    op.create_table(
        "line_sims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("sim_id", sa.Integer(), nullable=False),
        sa.Column("imsi", sa.String(length=15), nullable=False),
        sa.Column("iccid", sa.String(length=20), nullable=False),
        sa.Column("valid_from", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_to", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "line_id"],
            ["lines.tenant_id", "lines.id"],
            name=op.f("fk_line_sims_tenant_id_line_id_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "sim_id"],
            ["sims.tenant_id", "sims.id"],
            name=op.f("fk_line_sims_tenant_id_sim_id_sims"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_line_sims_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_sims")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_line_sims_tenant_id_id")),
    )
    op.create_index(
        "ix_line_sims_imsi_from", "line_sims", ["tenant_id", "imsi", "valid_from"], unique=False
    )
    op.create_index("ix_line_sims_line", "line_sims", ["tenant_id", "line_id"], unique=False)
    op.create_index(
        "ix_line_sims_open_imsi",
        "line_sims",
        ["tenant_id", "imsi"],
        unique=True,
        postgresql_where=sa.text("valid_to IS NULL"),
        sqlite_where=sa.text("valid_to IS NULL"),
    )
    op.create_index(op.f("ix_line_sims_tenant_id"), "line_sims", ["tenant_id"], unique=False)
    op.create_table(
        "line_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "line_id"],
            ["lines.tenant_id", "lines.id"],
            name=op.f("fk_line_events_tenant_id_line_id_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_line_events_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_events")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_line_events_tenant_id_id")),
    )
    op.create_index(
        "ix_line_events_kind_at", "line_events", ["tenant_id", "kind", "at"], unique=False
    )
    op.create_index(
        "ix_line_events_line_at", "line_events", ["tenant_id", "line_id", "at"], unique=False
    )
    op.create_index(op.f("ix_line_events_tenant_id"), "line_events", ["tenant_id"], unique=False)
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    # Sealed keys are stored as text: dropping the tables drops them with their indexes.
    for table in reversed(TENANT_TABLES):
        op.drop_table(table)
