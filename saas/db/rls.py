"""Row-level security statements, used by migrations (PostgreSQL only)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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


@contextmanager
def unforced(table: str) -> Iterator[None]:
    """Let the migration (the table's owner) see every brand's rows, e.g. to fill a new column."""
    if _postgres():
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    yield
    if _postgres():
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


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


GUARDS = [
    """
    CREATE OR REPLACE FUNCTION app_platform_columns() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public AS
    $$
    DECLARE changed text;
    BEGIN
      IF app_in_platform() THEN
        RETURN NEW;
      END IF;
      SELECT string_agg(n.key, ', ' ORDER BY n.key) INTO changed
        FROM jsonb_each(to_jsonb(NEW)) AS n
       WHERE n.key <> ALL (TG_ARGV) AND n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key;
      IF changed IS NOT NULL THEN
        RAISE EXCEPTION 'only the platform may change % of %', changed, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION app_platform_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public AS
    $$
    BEGIN
      IF NOT app_in_platform() THEN
        RAISE EXCEPTION 'only the platform may change %', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NULL;
    END
    $$
    """,
]


def install_guards() -> None:
    """Create the trigger functions that keep registry changes to the platform realm."""
    if _postgres():
        for statement in GUARDS:
            op.execute(statement)


def platform_columns(table: str, own_row_columns: Sequence[str]) -> None:
    """Let a tenant change only these columns of its own row; every other stays the platform's.

    The check runs before the row is written, so `app_in_platform()` still reads the row as it
    was: a brand cannot make itself the platform and be believed in the same statement.
    """
    if _postgres():
        names = ", ".join(_literal(c) for c in own_row_columns)
        op.execute(
            f"CREATE TRIGGER {table}_platform_columns BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION app_platform_columns({names})"
        )


def platform_only(table: str) -> None:
    """Raise on any write to the table outside the platform realm, even one matching no rows."""
    # Policies silently filter the rows a brand may not touch; a statement trigger makes the
    # attempt itself an error, so a mistake in a brand's scope is seen instead of ignored.
    if _postgres():
        op.execute(
            f"CREATE TRIGGER {table}_platform_only BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION app_platform_only()"
        )


def drop_guard(table: str, name: str) -> None:
    """Drop a guard trigger made by `platform_columns` or `platform_only`."""
    if _postgres():
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")


def drop_guards() -> None:
    """Drop the guard trigger functions (after the triggers that call them)."""
    if _postgres():
        op.execute("DROP FUNCTION IF EXISTS app_platform_only()")
        op.execute("DROP FUNCTION IF EXISTS app_platform_columns()")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def drop_functions() -> None:
    """Drop the policy functions (after the tables whose policies call them)."""
    if _postgres():
        op.execute("DROP FUNCTION IF EXISTS app_in_platform()")
        op.execute("DROP FUNCTION IF EXISTS app_tenant()")


REGISTRY_VERSION_FUNCTION = """
    CREATE OR REPLACE FUNCTION app_registry_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
    $$
    BEGIN
      UPDATE registry_version SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END
    $$
    """


def registry_version(tables: Sequence[str]) -> None:
    """Bump `registry_version` in the transaction of any write to these tables.

    The function runs as its owner: the runtime role may only read the version, and a brand's own
    settings page (which changes its row of `tenants`) bumps it all the same.
    """
    if _postgres():
        op.execute(REGISTRY_VERSION_FUNCTION)
        op.execute("ALTER TABLE registry_version ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE registry_version FORCE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY version_read ON registry_version FOR SELECT USING (true)")
        op.execute("CREATE POLICY version_bump ON registry_version FOR UPDATE USING (true)")
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_registry_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION app_registry_changed()"
            )
        return
    # SQLite (development): row triggers do the same for a shell beside `saas demo`.
    for table in tables:
        for verb in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_registry_version_{verb.lower()} AFTER {verb} ON {table} "
                "BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END"
            )


def drop_registry_version(tables: Sequence[str]) -> None:
    """Undo `registry_version` (before the table is dropped)."""
    if _postgres():
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_registry_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS app_registry_changed()")
        return
    for table in tables:
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_registry_version_{verb}")


def _bump_function(function: str, counter: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
    $$
    BEGIN
      UPDATE {counter} SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END
    $$
    """


def version_counter(counter: str, function: str, tables: Sequence[str]) -> None:
    """Bump the one row of `counter` in the transaction of any write to these tables.

    As `registry_version`: the function runs as its owner, the runtime role only reads the row.
    """
    if _postgres():
        op.execute(_bump_function(function, counter))
        op.execute(f"ALTER TABLE {counter} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {counter} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY version_read ON {counter} FOR SELECT USING (true)")
        op.execute(f"CREATE POLICY version_bump ON {counter} FOR UPDATE USING (true)")
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_{counter} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        return
    for table in tables:
        for verb in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_{counter}_{verb.lower()} AFTER {verb} ON {table} "
                f"BEGIN UPDATE {counter} SET version = version + 1 WHERE id = 1; END"
            )


def drop_version_counter(counter: str, function: str, tables: Sequence[str]) -> None:
    """Undo `version_counter` (before the counter's table is dropped)."""
    if _postgres():
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{counter} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        return
    for table in tables:
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{counter}_{verb}")
