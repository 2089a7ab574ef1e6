"""Which real services the test run can reach, and fresh databases on them."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get(
    "SAAS_TEST_DATABASE_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SAAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RUNTIME_ROLE = "saas_app_test"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Database:
    """The URLs a test run uses: the owner runs migrations, the app runs as runtime."""

    kind: str
    owner_url: str
    runtime_url: str


def _tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@cache
def postgres_available() -> bool:
    url = make_url(ADMIN_URL)
    if not _tcp_open(url.host or "127.0.0.1", url.port or 5432):
        return False
    try:
        engine = create_engine(ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@cache
def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


@cache
def browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


def missing() -> list[str]:
    """Name the services this run cannot reach."""
    checks = (
        ("PostgreSQL", postgres_available),
        ("Redis", redis_available),
        ("Chromium", browser_available),
    )
    return [name for name, ok in checks if not ok()]


def describe() -> str:
    db = (
        "PostgreSQL (runtime role without BYPASSRLS)"
        if postgres_available()
        else ("SQLite fallback: PostgreSQL unreachable, RLS tests skipped")
    )
    broker = (
        "Redis reachable for broker tests"
        if redis_available()
        else ("Redis unreachable: stub broker only, Redis tests skipped")
    )
    browser = "Chromium found" if browser_available() else "no Chromium: browser tests skipped"
    return f"saas backends: {db}; {broker}; {browser}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fresh_database() -> Iterator[Database]:
    """Create a throw-away database for one run and drop it afterwards."""
    if postgres_available():
        with _postgres() as db:
            yield db
        return
    folder = tempfile.mkdtemp(prefix="saas-test-")
    url = f"sqlite:///{folder}/test.db"
    try:
        yield Database("sqlite", url, url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _postgres() -> Iterator[Database]:
    name = f"saas_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(ADMIN_URL).set(database=name)
    owner = base.render_as_string(hide_password=False)
    runtime = base.set(username=RUNTIME_ROLE, password="saas-app-test").render_as_string(
        hide_password=False
    )
    try:
        yield Database("postgresql", owner, runtime)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
