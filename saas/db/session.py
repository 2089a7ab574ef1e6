"""Session hooks that pin every transaction to the tenant in scope."""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from sqlalchemy import event, false, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from saas.db.base import TenantScoped, db
from saas.tenancy import context

SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")


def _setting(tenant_id: int | None) -> str:
    return "" if tenant_id is None else str(tenant_id)


def _is_postgres(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


def _after_begin(session: Session, _transaction: Any, connection: Any) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(SET_TENANT, {"tenant": _setting(context.current_tenant_id())})


def _apply_to_open_transaction(tenant_id: int | None) -> None:
    # A request resolves its tenant after its first query has opened the transaction,
    # so a change of scope is written into the transaction already running.
    if not has_app_context():
        return
    session = db.session()
    if session.in_transaction() and _is_postgres(session):
        session.connection().execute(SET_TENANT, {"tenant": _setting(tenant_id)})


def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    tenant_id = context.current_tenant_id()
    if tenant_id is None:
        criteria = with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)


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


_installed = False


def install_session_hooks() -> None:
    """Register the hooks once per process."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_begin", _after_begin)
    event.listen(Session, "do_orm_execute", _filter_by_tenant)
    event.listen(Session, "before_flush", _stamp_new_rows)
    context.on_change(_apply_to_open_transaction)
    _installed = True
