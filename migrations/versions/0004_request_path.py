"""request path: the registry version processes watch, and indexes for the pages' lookups

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saas.db import rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGISTRY = ("tenants", "tenant_domains")

# (name, table, columns or expressions, unique): each one found by EXPLAIN on what a page asks.
INDEXES = (
    # Log-in and "e-mail addresses are unique per brand" compare the lower-cased address. A
    # column, not an index on lower(email): under row-level security PostgreSQL uses an index
    # only through leakproof functions, and lower() is not one, so log-in read every person.
    ("ix_users_tenant_id_email_key", "users", ["tenant_id", "email_key"], True),
    # A subscriber's own account (portal /plan, subscribing), and the foreign key's lookups.
    ("ix_accounts_tenant_id_holder_id", "accounts", ["tenant_id", "holder_id"], False),
    # The console dashboard counts people by kind (an index-only scan instead of reading every
    # row of the brand); the subscriber list and the API page through one kind by id.
    ("ix_users_tenant_id_kind_id", "users", ["tenant_id", "kind", "id"], False),
    # The console's subscription list, newest first, filtered by state, plan or promotion, and
    # its bounded count.
    ("ix_subscriptions_tenant_status_id", "subscriptions", ["tenant_id", "status", "id"], False),
    (
        "ix_subscriptions_tenant_version_id",
        "subscriptions",
        ["tenant_id", "plan_version_id", "id"],
        False,
    ),
    (
        "ix_subscriptions_tenant_promotion_id",
        "subscriptions",
        ["tenant_id", "promotion_id", "id"],
        False,
    ),
)


def upgrade() -> None:
    op.create_table(
        "registry_version",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_registry_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_version")),
    )
    op.execute("INSERT INTO registry_version (id, version) VALUES (1, 1)")
    rls.registry_version(REGISTRY)
    op.add_column("users", sa.Column("email_key", sa.String(length=254), nullable=True))
    with rls.unforced("users"):
        op.execute("UPDATE users SET email_key = lower(email)")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("email_key", existing_type=sa.String(length=254), nullable=False)
    for name, table, columns, unique in INDEXES:
        op.create_index(name, table, columns, unique=unique)


def downgrade() -> None:
    for name, table, _columns, _unique in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_key")
    rls.drop_registry_version(REGISTRY)
    op.drop_table("registry_version")
