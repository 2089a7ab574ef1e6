"""rating: rate decks per brand, versioned, as CGRateS keeps a tariff plan

Revision ID: 0014_rating
Revises: 0013
Create Date: 2026-12-02 11:53:06.047102
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saas.db.base
from saas.db import rls

revision: str = "0014_rating"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "rating_decks",
    "rating_deck_versions",
    "rating_destinations",
    "rating_prefixes",
    "rating_rates",
    "rating_rate_slots",
    "rating_destination_rates",
    "rating_timings",
    "rating_plans",
    "rating_plan_rates",
    "rating_profiles",
    "rating_zones",
)


def upgrade() -> None:
    op.create_table(
        "rating_decks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_decks_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_decks")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_rating_decks_tenant_id_code")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_decks_tenant_id_id")),
    )
    op.create_index(op.f("ix_rating_decks_tenant_id"), "rating_decks", ["tenant_id"], unique=False)
    op.create_table(
        "rating_deck_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("activates_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rounding", sa.String(length=8), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deck_id"],
            ["rating_decks.tenant_id", "rating_decks.id"],
            name=op.f("fk_rating_deck_versions_tenant_id_deck_id_rating_decks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_deck_versions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_deck_versions")),
        sa.UniqueConstraint(
            "tenant_id",
            "deck_id",
            "number",
            name=op.f("uq_rating_deck_versions_tenant_id_deck_id_number"),
        ),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_deck_versions_tenant_id_id")),
    )
    op.create_index(
        "ix_rating_deck_versions_tenant_activates",
        "rating_deck_versions",
        ["tenant_id", "activates_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_rating_deck_versions_tenant_id"),
        "rating_deck_versions",
        ["tenant_id"],
        unique=False,
    )
    op.create_table(
        "rating_destinations",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_destinations_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_destinations_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_destinations")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_destinations_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "code",
            name=op.f("uq_rating_destinations_tenant_id_version_id_code"),
        ),
    )
    op.create_index(
        op.f("ix_rating_destinations_tenant_id"), "rating_destinations", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_destinations_version_id"),
        "rating_destinations",
        ["version_id"],
        unique=False,
    )
    op.create_table(
        "rating_plans",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_plans_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_plans_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_plans")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_plans_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "code",
            name=op.f("uq_rating_plans_tenant_id_version_id_code"),
        ),
    )
    op.create_index(op.f("ix_rating_plans_tenant_id"), "rating_plans", ["tenant_id"], unique=False)
    op.create_index(
        op.f("ix_rating_plans_version_id"), "rating_plans", ["version_id"], unique=False
    )
    op.create_table(
        "rating_rates",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("connect_fee", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_rates_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_rates_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_rates")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_rates_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "code",
            name=op.f("uq_rating_rates_tenant_id_version_id_code"),
        ),
    )
    op.create_index(op.f("ix_rating_rates_tenant_id"), "rating_rates", ["tenant_id"], unique=False)
    op.create_index(
        op.f("ix_rating_rates_version_id"), "rating_rates", ["version_id"], unique=False
    )
    op.create_table(
        "rating_timings",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("years", sa.String(length=255), nullable=False),
        sa.Column("months", sa.String(length=64), nullable=False),
        sa.Column("month_days", sa.String(length=128), nullable=False),
        sa.Column("week_days", sa.String(length=32), nullable=False),
        sa.Column("starts", sa.String(length=8), nullable=False),
        sa.Column("ends", sa.String(length=8), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_timings_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_timings_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_timings")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_timings_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "code",
            name=op.f("uq_rating_timings_tenant_id_version_id_code"),
        ),
    )
    op.create_index(
        op.f("ix_rating_timings_tenant_id"), "rating_timings", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_timings_version_id"), "rating_timings", ["version_id"], unique=False
    )
    op.create_table(
        "rating_zones",
        sa.Column("visited_network", sa.String(length=6), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_zones_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_zones_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_zones")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_zones_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "visited_network",
            name=op.f("uq_rating_zones_tenant_id_version_id_visited_network"),
        ),
    )
    op.create_index(op.f("ix_rating_zones_tenant_id"), "rating_zones", ["tenant_id"], unique=False)
    op.create_index(
        op.f("ix_rating_zones_version_id"), "rating_zones", ["version_id"], unique=False
    )
    op.create_table(
        "rating_destination_rates",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=True),
        sa.Column("rate_id", sa.Integer(), nullable=False),
        sa.Column("rounding", sa.String(length=8), nullable=True),
        sa.Column("decimals", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "destination_id"],
            ["rating_destinations.tenant_id", "rating_destinations.id"],
            name=op.f("fk_rating_destination_rates_tenant_id_destination_id_rating_destinations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "rate_id"],
            ["rating_rates.tenant_id", "rating_rates.id"],
            name=op.f("fk_rating_destination_rates_tenant_id_rate_id_rating_rates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_destination_rates_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_destination_rates_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_destination_rates")),
        sa.UniqueConstraint(
            "tenant_id", "id", name=op.f("uq_rating_destination_rates_tenant_id_id")
        ),
    )
    op.create_index(
        "ix_rating_destination_rates_code",
        "rating_destination_rates",
        ["tenant_id", "version_id", "code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_rating_destination_rates_tenant_id"),
        "rating_destination_rates",
        ["tenant_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_rating_destination_rates_version_id"),
        "rating_destination_rates",
        ["version_id"],
        unique=False,
    )
    op.create_table(
        "rating_plan_rates",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("destination_rates", sa.String(length=64), nullable=False),
        sa.Column("timing_id", sa.Integer(), nullable=True),
        sa.Column("weight", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "plan_id"],
            ["rating_plans.tenant_id", "rating_plans.id"],
            name=op.f("fk_rating_plan_rates_tenant_id_plan_id_rating_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "timing_id"],
            ["rating_timings.tenant_id", "rating_timings.id"],
            name=op.f("fk_rating_plan_rates_tenant_id_timing_id_rating_timings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_plan_rates_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_plan_rates_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_plan_rates")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_plan_rates_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_rating_plan_rates_plan_id"), "rating_plan_rates", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_plan_rates_tenant_id"), "rating_plan_rates", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_plan_rates_version_id"), "rating_plan_rates", ["version_id"], unique=False
    )
    op.create_table(
        "rating_prefixes",
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=24), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "destination_id"],
            ["rating_destinations.tenant_id", "rating_destinations.id"],
            name=op.f("fk_rating_prefixes_tenant_id_destination_id_rating_destinations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_prefixes_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_prefixes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_prefixes")),
        sa.UniqueConstraint(
            "tenant_id",
            "destination_id",
            "prefix",
            name=op.f("uq_rating_prefixes_tenant_id_destination_id_prefix"),
        ),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_prefixes_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_rating_prefixes_destination_id"),
        "rating_prefixes",
        ["destination_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_rating_prefixes_tenant_id"), "rating_prefixes", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_prefixes_version_id"), "rating_prefixes", ["version_id"], unique=False
    )
    op.create_table(
        "rating_profiles",
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=True),
        sa.Column("activates_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("fallback_subjects", sa.String(length=255), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "plan_id"],
            ["rating_plans.tenant_id", "rating_plans.id"],
            name=op.f("fk_rating_profiles_tenant_id_plan_id_rating_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_profiles_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_profiles_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_profiles")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_profiles_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_rating_profiles_tenant_id"), "rating_profiles", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_profiles_version_id"), "rating_profiles", ["version_id"], unique=False
    )
    op.create_table(
        "rating_rate_slots",
        sa.Column("rate_id", sa.Integer(), nullable=False),
        sa.Column("group_interval_start", sa.BigInteger(), nullable=False),
        sa.Column("rate", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False),
        sa.Column("rate_unit", sa.BigInteger(), nullable=False),
        sa.Column("rate_increment", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "rate_id"],
            ["rating_rates.tenant_id", "rating_rates.id"],
            name=op.f("fk_rating_rate_slots_tenant_id_rate_id_rating_rates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["rating_deck_versions.tenant_id", "rating_deck_versions.id"],
            name=op.f("fk_rating_rate_slots_tenant_id_version_id_rating_deck_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_rating_rate_slots_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_rate_slots")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_rating_rate_slots_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "rate_id",
            "group_interval_start",
            name=op.f("uq_rating_rate_slots_tenant_id_rate_id_group_interval_start"),
        ),
    )
    op.create_index(
        op.f("ix_rating_rate_slots_rate_id"), "rating_rate_slots", ["rate_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_rate_slots_tenant_id"), "rating_rate_slots", ["tenant_id"], unique=False
    )
    op.create_index(
        op.f("ix_rating_rate_slots_version_id"), "rating_rate_slots", ["version_id"], unique=False
    )
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    op.drop_index(op.f("ix_rating_rate_slots_version_id"), table_name="rating_rate_slots")
    op.drop_index(op.f("ix_rating_rate_slots_tenant_id"), table_name="rating_rate_slots")
    op.drop_index(op.f("ix_rating_rate_slots_rate_id"), table_name="rating_rate_slots")
    op.drop_table("rating_rate_slots")
    op.drop_index(op.f("ix_rating_profiles_version_id"), table_name="rating_profiles")
    op.drop_index(op.f("ix_rating_profiles_tenant_id"), table_name="rating_profiles")
    op.drop_table("rating_profiles")
    op.drop_index(op.f("ix_rating_prefixes_version_id"), table_name="rating_prefixes")
    op.drop_index(op.f("ix_rating_prefixes_tenant_id"), table_name="rating_prefixes")
    op.drop_index(op.f("ix_rating_prefixes_destination_id"), table_name="rating_prefixes")
    op.drop_table("rating_prefixes")
    op.drop_index(op.f("ix_rating_plan_rates_version_id"), table_name="rating_plan_rates")
    op.drop_index(op.f("ix_rating_plan_rates_tenant_id"), table_name="rating_plan_rates")
    op.drop_index(op.f("ix_rating_plan_rates_plan_id"), table_name="rating_plan_rates")
    op.drop_table("rating_plan_rates")
    op.drop_index(
        op.f("ix_rating_destination_rates_version_id"), table_name="rating_destination_rates"
    )
    op.drop_index(
        op.f("ix_rating_destination_rates_tenant_id"), table_name="rating_destination_rates"
    )
    op.drop_index("ix_rating_destination_rates_code", table_name="rating_destination_rates")
    op.drop_table("rating_destination_rates")
    op.drop_index(op.f("ix_rating_zones_version_id"), table_name="rating_zones")
    op.drop_index(op.f("ix_rating_zones_tenant_id"), table_name="rating_zones")
    op.drop_table("rating_zones")
    op.drop_index(op.f("ix_rating_timings_version_id"), table_name="rating_timings")
    op.drop_index(op.f("ix_rating_timings_tenant_id"), table_name="rating_timings")
    op.drop_table("rating_timings")
    op.drop_index(op.f("ix_rating_rates_version_id"), table_name="rating_rates")
    op.drop_index(op.f("ix_rating_rates_tenant_id"), table_name="rating_rates")
    op.drop_table("rating_rates")
    op.drop_index(op.f("ix_rating_plans_version_id"), table_name="rating_plans")
    op.drop_index(op.f("ix_rating_plans_tenant_id"), table_name="rating_plans")
    op.drop_table("rating_plans")
    op.drop_index(op.f("ix_rating_destinations_version_id"), table_name="rating_destinations")
    op.drop_index(op.f("ix_rating_destinations_tenant_id"), table_name="rating_destinations")
    op.drop_table("rating_destinations")
    op.drop_index(op.f("ix_rating_deck_versions_tenant_id"), table_name="rating_deck_versions")
    op.drop_index("ix_rating_deck_versions_tenant_activates", table_name="rating_deck_versions")
    op.drop_table("rating_deck_versions")
    op.drop_index(op.f("ix_rating_decks_tenant_id"), table_name="rating_decks")
    op.drop_table("rating_decks")
