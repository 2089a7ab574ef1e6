"""catalogue version: a number that moves with every write to a brand's catalogue

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from saas.db import rls

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the portal keeps in memory of a catalogue (saas.catalog.snapshot); promotions are read
# with each subscription instead.
CATALOGUE = ("metrics", "products", "plans", "plan_versions", "price_components", "allowances")
BUMP = "app_catalog_changed"


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalog_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
    )
    op.execute("INSERT INTO catalog_version (id, version) VALUES (1, 1)")
    rls.version_counter("catalog_version", BUMP, CATALOGUE)


def downgrade() -> None:
    rls.drop_version_counter("catalog_version", BUMP, CATALOGUE)
    op.drop_table("catalog_version")
