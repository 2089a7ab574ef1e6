"""catalogue and subscriptions: metrics, products, plans, versions, accounts, subscriptions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 08:16:24.006159
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saas.db.base
from saas.db import rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "metrics",
    "products",
    "plans",
    "plan_versions",
    "price_components",
    "allowances",
    "promotions",
    "plan_migrations",
    "accounts",
    "subscriptions",
    "subscription_addons",
    "subscription_events",
)


def upgrade() -> None:
    op.create_table(
        "metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("aggregation", sa.String(length=16), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_metrics_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metrics")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_metrics_tenant_id_code")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_metrics_tenant_id_id")),
    )
    op.create_index(op.f("ix_metrics_tenant_id"), "metrics", ["tenant_id"], unique=False)
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_products_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_products_tenant_id_code")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_products_tenant_id_id")),
    )
    op.create_index(op.f("ix_products_tenant_id"), "products", ["tenant_id"], unique=False)
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "holder_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_accounts_tenant_id_holder_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_accounts_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_accounts_tenant_id_id")),
    )
    op.create_index(op.f("ix_accounts_tenant_id"), "accounts", ["tenant_id"], unique=False)
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payment", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tax_category", sa.String(length=32), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_plans_tenant_id_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_plans_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_plans_tenant_id_code")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_plans_tenant_id_id")),
    )
    op.create_index(op.f("ix_plans_tenant_id"), "plans", ["tenant_id"], unique=False)
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("billing_interval", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archived_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "plan_id"],
            ["plans.tenant_id", "plans.id"],
            name=op.f("fk_plan_versions_tenant_id_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_plan_versions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_plan_versions_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "plan_id", "number", name=op.f("uq_plan_versions_tenant_id_plan_id_number")
        ),
    )
    op.create_index(
        op.f("ix_plan_versions_tenant_id"), "plan_versions", ["tenant_id"], unique=False
    )
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("component_code", sa.String(length=64), nullable=True),
        sa.Column("duration", sa.String(length=16), nullable=False),
        sa.Column("cycles", sa.Integer(), nullable=True),
        sa.Column("promo_code", sa.String(length=64), nullable=True),
        sa.Column("max_redemptions", sa.Integer(), nullable=True),
        sa.Column("redemptions", sa.Integer(), nullable=False),
        sa.Column("valid_from", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("valid_until", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "plan_id"],
            ["plans.tenant_id", "plans.id"],
            name=op.f("fk_promotions_tenant_id_plan_id_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_promotions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_promotions_tenant_id_code")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_promotions_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id", "promo_code", name=op.f("uq_promotions_tenant_id_promo_code")
        ),
    )
    op.create_index(op.f("ix_promotions_tenant_id"), "promotions", ["tenant_id"], unique=False)
    op.create_table(
        "allowances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("metric_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=True),
        sa.Column("rollover", sa.Boolean(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_allowances_tenant_id_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_allowances_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allowances")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_allowances_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "metric_code",
            name=op.f("uq_allowances_tenant_id_version_id_metric_code"),
        ),
    )
    op.create_index(op.f("ix_allowances_tenant_id"), "allowances", ["tenant_id"], unique=False)
    op.create_table(
        "plan_migrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_version_id", sa.Integer(), nullable=False),
        sa.Column("to_version_id", sa.Integer(), nullable=False),
        sa.Column("timing", sa.String(length=16), nullable=False),
        sa.Column("effective_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("affected", sa.Integer(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "from_version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_plan_migrations_tenant_id_from_version_id_plan_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "to_version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_plan_migrations_tenant_id_to_version_id_plan_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_plan_migrations_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_migrations")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_plan_migrations_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_plan_migrations_tenant_id"), "plan_migrations", ["tenant_id"], unique=False
    )
    op.create_table(
        "price_components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fee_type", sa.String(length=16), nullable=True),
        sa.Column("amount", saas.db.base.ExactDecimal(precision=28, scale=10), nullable=True),
        sa.Column("timing", sa.String(length=16), nullable=False),
        sa.Column("prorate", sa.Boolean(), nullable=False),
        sa.Column("metric_code", sa.String(length=64), nullable=True),
        sa.Column("charge", sa.JSON(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_price_components_tenant_id_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_price_components_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_components")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_price_components_tenant_id_id")),
        sa.UniqueConstraint(
            "tenant_id",
            "version_id",
            "code",
            name=op.f("uq_price_components_tenant_id_version_id_code"),
        ),
    )
    op.create_index(
        op.f("ix_price_components_tenant_id"), "price_components", ["tenant_id"], unique=False
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("line_label", sa.String(length=120), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("anchor_date", sa.Date(), nullable=False),
        sa.Column("started_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("promotion_id", sa.Integer(), nullable=True),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["accounts.tenant_id", "accounts.id"],
            name=op.f("fk_subscriptions_tenant_id_account_id_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "plan_version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_subscriptions_tenant_id_plan_version_id_plan_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "promotion_id"],
            ["promotions.tenant_id", "promotions.id"],
            name=op.f("fk_subscriptions_tenant_id_promotion_id_promotions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscriber_id"],
            ["users.tenant_id", "users.id"],
            name=op.f("fk_subscriptions_tenant_id_subscriber_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_subscriptions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_subscriptions_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_subscriptions_account_id"), "subscriptions", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_subscriptions_plan_version_id"), "subscriptions", ["plan_version_id"], unique=False
    )
    op.create_index(
        op.f("ix_subscriptions_subscriber_id"), "subscriptions", ["subscriber_id"], unique=False
    )
    op.create_index(
        op.f("ix_subscriptions_tenant_id"), "subscriptions", ["tenant_id"], unique=False
    )
    op.create_table(
        "subscription_addons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("addon_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "addon_version_id"],
            ["plan_versions.tenant_id", "plan_versions.id"],
            name=op.f("fk_subscription_addons_tenant_id_addon_version_id_plan_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscription_id"],
            ["subscriptions.tenant_id", "subscriptions.id"],
            name=op.f("fk_subscription_addons_tenant_id_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_subscription_addons_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_addons")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_subscription_addons_tenant_id_id")),
    )
    op.create_index(
        op.f("ix_subscription_addons_subscription_id"),
        "subscription_addons",
        ["subscription_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_subscription_addons_tenant_id"), "subscription_addons", ["tenant_id"], unique=False
    )
    op.create_table(
        "subscription_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("effective_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "subscription_id"],
            ["subscriptions.tenant_id", "subscriptions.id"],
            name=op.f("fk_subscription_events_tenant_id_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_subscription_events_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_events")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f("uq_subscription_events_tenant_id_id")),
    )
    op.create_index(
        "ix_subscription_events_due",
        "subscription_events",
        ["tenant_id", "state", "effective_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_subscription_events_subscription_id"),
        "subscription_events",
        ["subscription_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_subscription_events_tenant_id"), "subscription_events", ["tenant_id"], unique=False
    )
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    op.drop_index(op.f("ix_subscription_events_tenant_id"), table_name="subscription_events")
    op.drop_index(op.f("ix_subscription_events_subscription_id"), table_name="subscription_events")
    op.drop_index("ix_subscription_events_due", table_name="subscription_events")
    op.drop_table("subscription_events")
    op.drop_index(op.f("ix_subscription_addons_tenant_id"), table_name="subscription_addons")
    op.drop_index(op.f("ix_subscription_addons_subscription_id"), table_name="subscription_addons")
    op.drop_table("subscription_addons")
    op.drop_index(op.f("ix_subscriptions_tenant_id"), table_name="subscriptions")
    op.drop_index(op.f("ix_subscriptions_subscriber_id"), table_name="subscriptions")
    op.drop_index(op.f("ix_subscriptions_plan_version_id"), table_name="subscriptions")
    op.drop_index(op.f("ix_subscriptions_account_id"), table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index(op.f("ix_price_components_tenant_id"), table_name="price_components")
    op.drop_table("price_components")
    op.drop_index(op.f("ix_plan_migrations_tenant_id"), table_name="plan_migrations")
    op.drop_table("plan_migrations")
    op.drop_index(op.f("ix_allowances_tenant_id"), table_name="allowances")
    op.drop_table("allowances")
    op.drop_index(op.f("ix_promotions_tenant_id"), table_name="promotions")
    op.drop_table("promotions")
    op.drop_index(op.f("ix_plan_versions_tenant_id"), table_name="plan_versions")
    op.drop_table("plan_versions")
    op.drop_index(op.f("ix_plans_tenant_id"), table_name="plans")
    op.drop_table("plans")
    op.drop_index(op.f("ix_accounts_tenant_id"), table_name="accounts")
    op.drop_table("accounts")
    op.drop_index(op.f("ix_products_tenant_id"), table_name="products")
    op.drop_table("products")
    op.drop_index(op.f("ix_metrics_tenant_id"), table_name="metrics")
    op.drop_table("metrics")
