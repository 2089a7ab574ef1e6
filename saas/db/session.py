"""Session hooks that pin every transaction to the tenant in scope."""

from __future__ import annotations

import select
from typing import Any

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.pool import Pool

from saas.db import prepared, reads
from saas.db.base import TenantScoped, db
from saas.tenancy import context

# Sent as the driver takes it (psycopg's parameter style): every transaction sends it, and
# nothing in it needs compiling.
SET_TENANT = "SELECT set_config('app.tenant_id', %(tenant)s, true)"


def _setting(tenant_id: int | None) -> str:
    return "" if tenant_id is None else str(tenant_id)


def _is_postgres(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


def _after_begin(session: Session, _transaction: Any, connection: Any) -> None:
    # Once per transaction, as its first statement: RLS reads the tenant from here.
    if connection.dialect.name == "postgresql":
        tenant = {"tenant": _setting(context.current_tenant_id())}
        connection.exec_driver_sql(SET_TENANT, tenant)


def _apply_to_open_transaction(tenant_id: int | None) -> None:
    # A request resolves its tenant after its first query has opened the transaction,
    # so a change of scope is written into the transaction already running.
    if not has_app_context():
        return
    session = db.session()
    if session.in_transaction() and _is_postgres(session):
        session.connection().exec_driver_sql(SET_TENANT, {"tenant": _setting(tenant_id)})


def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = reads.scoped(state.statement)
    state.parameters = reads.with_tenant(state.parameters)


def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    tenant_id = context.current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            obj.tenant_id = context.require_tenant_id()
        elif obj.tenant_id != tenant_id:
            raise context.TenantMismatch(
                f"{type(obj).__name__} of tenant {obj.tenant_id} written in tenant {tenant_id}"
            )
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            raise context.TenantMismatch(
                f"{type(obj).__name__} of tenant {obj.tenant_id} changed in tenant {tenant_id}"
            )


REGISTRY_CHANGED = "saas.registry_changed"
_REGISTRY_TABLES = frozenset({"tenants", "tenant_domains"})


def _note_registry_writes(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in _REGISTRY_TABLES:
            session.info[REGISTRY_CHANGED] = True
            return


def _registry_committed(session: Session) -> None:
    # Brands served from memory are reloaded after a change to a brand or its domains commits.
    if session.info.pop(REGISTRY_CHANGED, False):
        from saas.tenancy import cache

        bind = session.get_bind()
        cache.invalidate(bind if isinstance(bind, Engine) else None)


def _forget_registry_writes(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(REGISTRY_CHANGED, None)


def _closed_by_server(dbapi_connection: Any) -> bool:
    """Whether the server has hung up on an idle pooled connection, seen without a round trip.

    An idle connection has nothing to read; one the server closed (a restart, an idle timeout,
    pg_terminate_backend) is readable at once, with its last message or the end of the stream.
    """
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return False  # SQLite: no socket to lose
    try:
        poller = select.poll()
        poller.register(fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def _refuse_dead_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # The pool drops a connection refused here and hands out another (a fresh one if need be).
    if _closed_by_server(dbapi_connection):
        raise DisconnectionError("the database closed this pooled connection")


_installed = False


def install_session_hooks() -> None:
    """Register the hooks once per process."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_begin", _after_begin)
    event.listen(Session, "do_orm_execute", _filter_by_tenant)
    event.listen(Session, "before_flush", _stamp_new_rows)
    event.listen(Session, "after_flush", _note_registry_writes)
    event.listen(Session, "after_commit", _registry_committed)
    event.listen(Session, "after_soft_rollback", lambda s, _t: _forget_registry_writes(s))
    event.listen(Pool, "checkout", _refuse_dead_connection)
    prepared.install()
    context.on_change(_apply_to_open_transaction)
    _installed = True
