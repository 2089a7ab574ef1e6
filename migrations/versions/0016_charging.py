"""charging: allowance and usage counters, prepaid balances, wholesale agreements; metrics say
which records they count

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-20 09:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from saas.db import base, rls

revision: str = "0016"
down_revision: str | None = "0014_rating"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "allowance_counters",
    "usage_charge_counters",
    "prepaid_wallets",
    "prepaid_entries",
    "wholesale_agreements",
    "wholesale_groups",
    "wholesale_rates",
    "wholesale_volumes",
    "wholesale_gaps",
)


def _money() -> base.ExactDecimal:
    return base.ExactDecimal(precision=28, scale=10)


def _tenant(table: str) -> list[Any]:
    """The tenant column, its foreign key, primary key and (tenant, id) unique of a table."""
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f(f"fk_{table}_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "id", name=op.f(f"uq_{table}_tenant_id_id")),
    ]


def _of(table: str, column: str, other: str, ondelete: str = "RESTRICT") -> Any:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{other}.tenant_id", f"{other}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{other}"),
        ondelete=ondelete,
    )


def _index(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"], unique=False)


def _counters() -> None:
    op.create_table(
        "allowance_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allowance_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=16), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("granted", sa.BigInteger(), nullable=True),
        sa.Column("carried", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        *_tenant("allowance_counters"),
        _of("allowance_counters", "allowance_id", "allowances", "CASCADE"),
        sa.UniqueConstraint(
            "tenant_id",
            "allowance_id",
            "holder",
            "holder_id",
            "period_start",
            name="uq_allowance_counters_key",
        ),
    )
    _index("allowance_counters")
    op.create_table(
        "usage_charge_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        *_tenant("usage_charge_counters"),
        _of("usage_charge_counters", "subscription_id", "subscriptions", "CASCADE"),
        _of("usage_charge_counters", "component_id", "price_components", "CASCADE"),
        sa.UniqueConstraint(
            "tenant_id",
            "subscription_id",
            "component_id",
            "period_start",
            name="uq_usage_charge_counters_key",
        ),
    )
    _index("usage_charge_counters")


def _prepaid() -> None:
    op.create_table(
        "prepaid_wallets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", _money(), nullable=False),
        sa.Column("barred", sa.Boolean(), nullable=False),
        sa.Column("barred_subscriptions", sa.JSON(), nullable=False),
        sa.Column("bars", sa.Integer(), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        *_tenant("prepaid_wallets"),
        _of("prepaid_wallets", "account_id", "accounts"),
        sa.UniqueConstraint(
            "tenant_id", "account_id", name=op.f("uq_prepaid_wallets_tenant_id_account_id")
        ),
    )
    _index("prepaid_wallets")
    op.create_table(
        "prepaid_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wallet_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("balance_after", _money(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("at", base.UTCDateTime(timezone=True), nullable=False),
        *_tenant("prepaid_entries"),
        _of("prepaid_entries", "wallet_id", "prepaid_wallets", "CASCADE"),
    )
    _index("prepaid_entries")
    op.create_index(
        op.f("ix_prepaid_entries_wallet_id"), "prepaid_entries", ["wallet_id"], unique=False
    )


def _wholesale() -> None:
    op.create_table(
        "wholesale_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("line_fee", _money(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        *_tenant("wholesale_agreements"),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_wholesale_agreements_tenant_id_number")
        ),
    )
    _index("wholesale_agreements")
    op.create_table(
        "wholesale_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefixes", sa.JSON(), nullable=False),
        *_tenant("wholesale_groups"),
        _of("wholesale_groups", "agreement_id", "wholesale_agreements", "CASCADE"),
        sa.UniqueConstraint(
            "tenant_id",
            "agreement_id",
            "code",
            name=op.f("uq_wholesale_groups_tenant_id_agreement_id_code"),
        ),
    )
    _index("wholesale_groups")
    op.create_table(
        "wholesale_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=True),
        sa.Column("group_code", sa.String(length=64), nullable=True),
        sa.Column("from_volume", _money(), nullable=False),
        sa.Column("price", _money(), nullable=False),
        *_tenant("wholesale_rates"),
        _of("wholesale_rates", "agreement_id", "wholesale_agreements", "CASCADE"),
    )
    _index("wholesale_rates")
    op.create_table(
        "wholesale_volumes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        *_tenant("wholesale_volumes"),
        sa.UniqueConstraint(
            "tenant_id",
            "month",
            "service",
            name=op.f("uq_wholesale_volumes_tenant_id_month_service"),
        ),
    )
    _index("wholesale_volumes")
    op.create_table(
        "wholesale_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", base.UTCDateTime(timezone=True), nullable=False),
        *_tenant("wholesale_gaps"),
        sa.UniqueConstraint("tenant_id", "day", name=op.f("uq_wholesale_gaps_tenant_id_day")),
    )
    _index("wholesale_gaps")


def upgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        batch.add_column(sa.Column("service", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("zone", sa.String(length=32), nullable=True))
    with op.batch_alter_table("allowances") as batch:
        batch.add_column(sa.Column("zones", sa.JSON(), nullable=False, server_default="[]"))
    _counters()
    _prepaid()
    _wholesale()
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        op.drop_table(table)
    with op.batch_alter_table("allowances") as batch:
        batch.drop_column("zones")
    with op.batch_alter_table("metrics") as batch:
        batch.drop_column("zone")
        batch.drop_column("service")
