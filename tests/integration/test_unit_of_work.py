"""One unit of work: a block commits together; a nested block is a savepoint of the outer one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from saas.db import unit_of_work


@pytest.fixture
def probe(owner_engine: Any) -> Iterator[Any]:
    """A scratch table of numbers."""
    with owner_engine.begin() as conn:
        conn.execute(text("CREATE TABLE uow_probe (n integer)"))
    yield owner_engine
    with owner_engine.begin() as conn:
        conn.execute(text("DROP TABLE uow_probe"))


def numbers(engine: Any) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT n FROM uow_probe ORDER BY n")))


def insert(session: Session, n: int) -> None:
    session.execute(text("INSERT INTO uow_probe (n) VALUES (:n)"), {"n": n})


@pytest.mark.postgres
def test_a_nested_unit_of_work_joins_the_outer_one_and_a_failure_undoes_only_its_rows(
    probe: Any,
) -> None:
    with Session(probe) as session:
        with unit_of_work(session):
            insert(session, 1)
            with pytest.raises(RuntimeError), unit_of_work(session):
                insert(session, 2)
                raise RuntimeError("the inner block failed")
            with unit_of_work(session):
                insert(session, 3)
            assert numbers(probe) == []  # nothing is committed before the outer block ends
        assert numbers(probe) == [1, 3]


@pytest.mark.postgres
def test_a_unit_of_work_that_fails_leaves_nothing_behind(probe: Any) -> None:
    with Session(probe) as session:
        with pytest.raises(RuntimeError), unit_of_work(session):
            insert(session, 1)
            with unit_of_work(session):
                insert(session, 2)
            raise RuntimeError("the outer block failed")
        assert numbers(probe) == []
