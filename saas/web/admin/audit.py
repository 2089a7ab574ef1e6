"""The audit log: every change and security action of the brand, newest first."""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import select

from saas.db import db
from saas.identity.audit import AuditEvent
from saas.web.admin import bp
from saas.web.admin.filter_forms import AuditFilter
from saas.web.admin.forms import INVALID
from saas.web.auth import brand_only, staff_required

PAGE = 100


def object_types() -> list[str]:
    """Return the kinds of object the brand's log mentions."""
    stmt = select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    return list(db.session.scalars(stmt))


def page(object_type: str, before: int | None) -> list[AuditEvent]:
    """Return one page of events, newest first, older than `before` when given."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(PAGE)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    return list(db.session.scalars(stmt))


def changes(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """Return (field, old, new) for updates and (field, None, value) for everything else."""
    out = []
    for key, value in sorted((event.changes or {}).items()):
        if event.action == "update" and isinstance(value, list) and len(value) == 2:
            out.append((key, value[0], value[1]))
        else:
            out.append((key, None, value))
    return out


@bp.get("/audit")
@brand_only
@staff_required("audit.read")
def audit_log() -> Any:
    """Show the audit log, optionally for one kind of object."""
    form = AuditFilter(object_types())
    form.read()
    form.before.errors = []  # written into the link to older events, not typed: start over
    events = page(form.type.data, form.before.data)
    older = events[-1].id if len(events) == PAGE else None
    return render_template(
        "admin/audit.html",
        events=events,
        filter_form=form,
        object_type=form.type.data,
        older=older,
        changes_of=changes,
    ), (INVALID if form.type.errors else 200)
