"""Row-level security statements, used by migrations (PostgreSQL only)."""

from __future__ import annotations

from alembic import op

FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION app_tenant() RETURNS integer
    LANGUAGE sql STABLE AS
    $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::integer $$
    """,
    """
    CREATE OR REPLACE FUNCTION app_in_platform() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM tenants WHERE id = app_tenant() AND kind = 'platform') $$
    """,
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def install_functions() -> None:
    """Create the functions the policies call."""
    if _postgres():
        for statement in FUNCTIONS:
            op.execute(statement)


def tenant_table(table: str) -> None:
    """Enable and force RLS on a tenant-owned table: rows of the tenant in scope, or none."""
    if not _postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        "USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())"
    )


def registry_table(table: str, own_row: str | None = None) -> None:
    """Everyone may read the brand registry; only the platform realm may change it.

    `own_row` names the column that lets a brand update its own row.
    """
    if not _postgres():
        return
    writer = "app_in_platform()" + (f" OR {own_row} = app_tenant()" if own_row else "")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY registry_read ON {table} FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY registry_insert ON {table} FOR INSERT WITH CHECK (app_in_platform())"
    )
    op.execute(
        f"CREATE POLICY registry_update ON {table} FOR UPDATE USING ({writer}) "
        f"WITH CHECK ({writer})"
    )
    op.execute(f"CREATE POLICY registry_delete ON {table} FOR DELETE USING (app_in_platform())")


def drop_functions() -> None:
    """Drop the policy functions (after the tables whose policies call them)."""
    if _postgres():
        op.execute("DROP FUNCTION IF EXISTS app_in_platform()")
        op.execute("DROP FUNCTION IF EXISTS app_tenant()")
