"""The audit log: who changed what, per brand, written in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, cast

from sqlalchemy import JSON, Select, String, Table, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column

from saas.db import Base, DbSession, TenantScoped, fixed_limit, utcnow
from saas.db.sealed import Sealed
from saas.identity.actor import current_actor
from saas.tenancy.context import current_tenant_id

REDACTED = "[redacted]"


class AuditEvent(TenantScoped, Base):
    """One recorded change or security-relevant action."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_label: Mapped[str] = mapped_column(String(254))
    actor_user_id: Mapped[int | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _redacted(obj: Any) -> frozenset[str]:
    return _redacted_of(inspect(obj).mapper)


@cache
def _redacted_of(mapper: Mapper[Any]) -> frozenset[str]:
    # Sealed columns hold personal data and secrets: the log must not copy them out in clear.
    model, attrs = mapper.class_, mapper.column_attrs
    sealed_ = {a.key for a in attrs if isinstance(a.columns[0].type, Sealed)}
    return frozenset(getattr(model, "__audit_redact__", ())) | sealed_


def _changes(obj: Any, created: bool) -> dict[str, Any]:
    state = inspect(obj)
    redact = _redacted(obj)
    ignore = set(getattr(obj, "__audit_ignore__", ()))
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ignore:
            continue
        hist = state.attrs[attr.key].history
        if created:
            if hist.added:
                out[attr.key] = REDACTED if attr.key in redact else _plain(hist.added[0])
        elif hist.has_changes():
            if attr.key in redact:
                out[attr.key] = REDACTED
            else:
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                out[attr.key] = [_plain(old), _plain(new)]
    return out


def _row(action: str, obj: Any, changes: dict[str, Any]) -> dict[str, Any]:
    actor = current_actor()
    # Rows inserted in this flush have no identity key yet, but their primary key is set.
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return {
        "tenant_id": current_tenant_id(),
        "at": utcnow(),
        "actor_label": actor.label,
        "actor_user_id": actor.user_id,
        "ip": actor.ip,
        "action": action,
        "object_type": getattr(obj, "__audit_name__", obj.__tablename__),
        "object_id": ",".join(str(i) for i in ident if i is not None),
        "changes": changes,
    }


def _collect(session: Session, _flush_context: Any) -> None:
    if current_tenant_id() is None:
        return
    rows = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(_row("create", obj, _changes(obj, created=True)))
    for obj in session.dirty:
        if getattr(obj, "__audited__", False) and session.is_modified(obj):
            changes = _changes(obj, created=False)
            if changes:
                rows.append(_row("update", obj, changes))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            rows.append(_row("delete", obj, {}))
    if rows:
        # Declarative types __table__ as any FromClause; a mapped class's own is a Table.
        table = cast(Table, AuditEvent.__table__)
        session.connection().execute(insert(table), rows)


def record(
    session: DbSession, action: str, object_type: str, object_id: str | int, **details: Any
) -> AuditEvent:
    """Record an action that is not a plain row change (a login, a revocation, an export)."""
    actor = current_actor()
    event_ = AuditEvent(
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=_plain(details),
    )
    session.add(event_)
    return event_


def events_query(object_type: str | None = None) -> Select[AuditEvent]:
    """The events of the tenant in scope, or those about one kind of object."""
    stmt = select(AuditEvent)
    return stmt.where(AuditEvent.object_type == object_type) if object_type else stmt


def recent(
    session: DbSession, limit: int = 100, object_type: str | None = None
) -> list[AuditEvent]:
    """Return the newest events of the tenant in scope."""
    stmt = events_query(object_type).order_by(AuditEvent.id.desc()).limit(fixed_limit(limit))
    return list(session.scalars(stmt))


def install() -> None:
    """Record row changes of audited models at every flush."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
