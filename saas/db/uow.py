"""One unit of work: what a request, command or job changes is committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from saas.db.base import DbSession, db

_DEPTH = "saas.unit_of_work.depth"


@contextmanager
def unit_of_work(session: DbSession | None = None) -> Iterator[DbSession]:
    """Yield the session; commit when the block succeeds, roll back when anything escapes it.

    Inside another unit of work the block is a savepoint: it joins the outer work, which alone
    commits, and a failure undoes only the block's own changes.
    """
    session = session if session is not None else db.session
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        if depth:
            with session.begin_nested():
                yield session
            return
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        session.info[_DEPTH] = depth
