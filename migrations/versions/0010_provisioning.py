"""provisioning: orders to the host MNO with their history, and port-in requests

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-10 08:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import saas.db.base
from saas.db import rls

revision: str = "0010"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("provisioning_orders", "provisioning_order_events", "port_ins")
UNDER_WAY = sa.text("state IN ('requested', 'confirmed')")


def _tenant(table: str) -> list[Any]:
    """The tenant column, its foreign key and the composite unique every tenant table has."""
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


def _of(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete="RESTRICT",
    )


def _orders() -> None:
    op.create_table(
        "provisioning_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("round_attempts", sa.Integer(), nullable=False),
        sa.Column("network_ref", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=False),
        sa.Column("last_error_detail", sa.Text(), nullable=False),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        *_tenant("provisioning_orders"),
        _of("provisioning_orders", "subscription_id", "subscriptions"),
        sa.UniqueConstraint(
            "tenant_id",
            "idempotency_key",
            name=op.f("uq_provisioning_orders_tenant_id_idempotency_key"),
        ),
    )
    op.create_index(
        "ix_provisioning_orders_tenant_state_id",
        "provisioning_orders",
        ["tenant_id", "state", "id"],
    )
    op.create_index(
        op.f("ix_provisioning_orders_subscription_id"), "provisioning_orders", ["subscription_id"]
    )
    op.create_index(op.f("ix_provisioning_orders_tenant_id"), "provisioning_orders", ["tenant_id"])


def _events() -> None:
    op.create_table(
        "provisioning_order_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        *_tenant("provisioning_order_events"),
        _of("provisioning_order_events", "order_id", "provisioning_orders"),
    )
    op.create_index(
        op.f("ix_provisioning_order_events_order_id"), "provisioning_order_events", ["order_id"]
    )
    op.create_index(
        op.f("ix_provisioning_order_events_tenant_id"), "provisioning_order_events", ["tenant_id"]
    )


def _port_ins() -> None:
    op.create_table(
        "port_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("msisdn", sa.String(length=16), nullable=False),
        sa.Column("donor", sa.String(length=32), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("donor_account", sa.Text(), nullable=False),
        sa.Column("wished_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("porting_date", sa.Date(), nullable=True),
        sa.Column("rejection", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", saas.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", saas.db.base.UTCDateTime(timezone=True), nullable=True),
        *_tenant("port_ins"),
        _of("port_ins", "subscription_id", "subscriptions"),
        _of("port_ins", "order_id", "provisioning_orders"),
    )
    op.create_index(
        "ix_port_ins_tenant_state_date", "port_ins", ["tenant_id", "state", "porting_date"]
    )
    op.create_index(op.f("ix_port_ins_subscription_id"), "port_ins", ["subscription_id"])
    op.create_index(op.f("ix_port_ins_tenant_id"), "port_ins", ["tenant_id"])
    op.create_index(
        "uq_port_ins_number_under_way",
        "port_ins",
        ["tenant_id", "msisdn"],
        unique=True,
        postgresql_where=UNDER_WAY,
        sqlite_where=UNDER_WAY,
    )


def upgrade() -> None:
    _orders()
    _events()
    _port_ins()
    for table in TENANT_TABLES:
        rls.tenant_table(table)


def downgrade() -> None:
    op.drop_table("port_ins")
    op.drop_table("provisioning_order_events")
    op.drop_table("provisioning_orders")
