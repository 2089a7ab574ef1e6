"""One unit of work: what a request, command or job changes is committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from saas.db.base import DbSession, db


@contextmanager
def unit_of_work(session: DbSession | None = None) -> Iterator[DbSession]:
    """Yield the session; commit when the block succeeds, roll back when anything escapes it."""
    session = session if session is not None else db.session
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()
