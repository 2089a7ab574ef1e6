"""Run migrations as the owner and give the runtime role exactly what it needs."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from saas.config import ROOT, Settings

# Tables the runtime role may only read.
READ_ONLY_TABLES = ("alembic_version", "roles", "registry_version", "catalog_version")


def alembic_config(url: str) -> Config:
    """Return an Alembic configuration for the project's migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(ROOT) / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> list[str]:
    """Migrate to `revision`, then set up the runtime role; return what was done."""
    done = []
    url = settings.owner_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        done.append(f"migrated to {revision}")
        if conn.dialect.name == "postgresql":
            done += grant_runtime_role(conn, settings)
    engine.dispose()
    return done


def grant_runtime_role(conn: Connection, settings: Settings) -> list[str]:
    """Create the runtime role where missing and grant it row access, nothing more."""
    runtime = make_url(settings.database_url)
    owner = conn.execute(text("SELECT current_user")).scalar_one()
    role = runtime.username
    if not role or role == owner:
        return ["runtime role is the owner: no grants needed (RLS is FORCEd all the same)"]
    done = []
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if not exists:
        may = conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
        if not may:
            raise RuntimeError(f"runtime role {role!r} is missing and {owner!r} may not create it")
        conn.execute(
            text(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE '
                f"PASSWORD {_literal(runtime.password or '')}"
            )
        )
        done.append(f"created role {role}")
    db_name = conn.execute(text("SELECT current_database()")).scalar_one()
    statements = [
        f'GRANT CONNECT ON DATABASE "{db_name}" TO "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    ] + [
        f'REVOKE INSERT, UPDATE, DELETE ON {t} FROM "{role}"'
        for t in READ_ONLY_TABLES
        if conn.execute(text("SELECT to_regclass(:t)"), {"t": t}).scalar() is not None
    ]
    for statement in statements:
        conn.execute(text(statement))
    done.append(f"granted row access to {role}")
    return done


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
