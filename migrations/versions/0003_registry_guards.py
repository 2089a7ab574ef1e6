"""registry guards: a brand changes only its settings columns, never its kind, slug, state or hosts

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

from saas.db import rls

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the brand's own settings page edits; every other column of its row is the platform's.
BRAND_SETTINGS = ("name", "legal_name", "support_email", "updated_at")


def upgrade() -> None:
    rls.install_guards()
    rls.platform_columns("tenants", BRAND_SETTINGS)
    rls.platform_only("tenant_domains")


def downgrade() -> None:
    rls.drop_guard("tenant_domains", "platform_only")
    rls.drop_guard("tenants", "platform_columns")
    rls.drop_guards()
