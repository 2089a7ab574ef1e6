"""Statements PostgreSQL plans once per connection, not once per request.

psycopg prepares a statement on the server after a connection has sent it five times, and then
sends only its parameters: PostgreSQL neither parses nor plans it again. At every ROLLBACK,
though, psycopg forgets all of the connection's prepared statements, and a request that only
reads ends its transaction with one: every request parsed and planned every statement anew.
A transaction that only read ends the same for the database with COMMIT, which keeps them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, bindparam, event
from sqlalchemy.engine import Connection, Engine

WROTE = "saas.wrote"


def fixed_limit(count: int) -> BindParameter[int]:
    """A LIMIT written into the statement, not sent as a parameter.

    With LIMIT as a parameter PostgreSQL's plan for any value looks dearer than a plan for the
    value sent, so it plans the statement again on every execution; with the number written in,
    one plan serves (one prepared statement per page size).
    """
    return bindparam(None, count, literal_execute=True)


def _note_writes(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    # A SELECT of this schema changes nothing (no function called from one writes); anything
    # else (INSERT, UPDATE, DELETE, a writing CTE, a savepoint) counts as a write.
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[WROTE] = True


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(WROTE, None)


def _commit_reads(conn: Connection) -> None:
    """Before a rollback: end a transaction that only read with COMMIT instead."""
    if conn.info.pop(WROTE, False) or conn.closed or conn.invalidated:
        return
    if conn.dialect.driver != "psycopg":
        return
    from psycopg.pq import TransactionStatus

    dbapi = conn.connection.dbapi_connection
    if dbapi is None or dbapi.info.transaction_status != TransactionStatus.INTRANS:
        return  # nothing begun, or failed: the rollback that follows ends it
    try:
        dbapi.commit()  # the rollback after it finds nothing to do and keeps the statements
    except Exception:  # a broken connection: the rollback after this reports it
        return


def install() -> None:
    """Listen on every engine: note writes, and end read-only transactions with COMMIT."""
    event.listen(Engine, "before_cursor_execute", _note_writes)
    event.listen(Engine, "commit", _forget_writes)
    event.listen(Engine, "rollback", _commit_reads)
