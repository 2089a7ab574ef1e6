"""PostgreSQL plans a statement once per connection: read-only transactions keep the plans."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import column, create_engine, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from saas.db import fixed_limit

PREPARED = text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%probe_n%'")


@pytest.fixture
def probe(app: Any, owner_engine: Any) -> Iterator[Any]:
    """A scratch table of numbers, and an engine of one connection on it (the app's hooks on)."""
    with owner_engine.begin() as conn:
        conn.execute(text("CREATE TABLE prepared_probe (probe_n integer)"))
    engine = create_engine(owner_engine.url, poolclass=StaticPool)
    yield engine
    engine.dispose()
    with owner_engine.begin() as conn:
        conn.execute(text("DROP TABLE prepared_probe"))


def _requests(engine: Any, count: int, sql: str) -> None:
    """As many requests as `count`, each one transaction that ends as a request's does."""
    for _ in range(count):
        with Session(engine) as session:
            session.execute(text(sql)).all()


def _prepared(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(PREPARED) or 0)


@pytest.mark.postgres
def test_a_statement_sent_by_requests_that_only_read_is_planned_once(probe: Any) -> None:
    _requests(probe, 6, "SELECT probe_n FROM prepared_probe WHERE probe_n > 1")
    assert _prepared(probe) == 1


@pytest.mark.postgres
def test_a_transaction_that_wrote_is_rolled_back(probe: Any) -> None:
    with Session(probe) as session:
        session.execute(text("INSERT INTO prepared_probe (probe_n) VALUES (7)"))
        session.execute(text("SELECT probe_n FROM prepared_probe")).all()
    with probe.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM prepared_probe")) == 0


@pytest.mark.postgres
def test_a_failed_transaction_is_rolled_back_and_the_connection_serves_the_next(
    probe: Any,
) -> None:
    with Session(probe) as session, pytest.raises(Exception, match="division by zero"):
        session.execute(text("SELECT 1 / 0")).all()
    _requests(probe, 6, "SELECT probe_n FROM prepared_probe WHERE probe_n > 2")
    assert _prepared(probe) == 1


@pytest.mark.postgres
def test_a_page_size_is_written_into_the_statement_so_one_plan_serves_every_page(
    probe: Any,
) -> None:
    numbers = table("prepared_probe", column("probe_n"))
    page = select(numbers.c.probe_n).order_by(numbers.c.probe_n).limit(fixed_limit(51))
    with Session(probe) as session:
        for _ in range(12):
            session.execute(page).all()
        plans = session.execute(
            text(
                "SELECT generic_plans, statement FROM pg_prepared_statements "
                "WHERE statement LIKE '%probe_n%'"
            )
        ).one()
    assert "LIMIT 51" in plans.statement and plans.generic_plans > 0
