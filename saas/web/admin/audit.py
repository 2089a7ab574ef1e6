"""The audit log: every change and security action of the brand, newest first, in sentences."""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import Select, select

from saas.db import db, fixed_limit
from saas.identity.audit import AuditEvent
from saas.web.admin import audit_text, bp  # noqa: F401  (audit_text gives templates their lines)
from saas.web.admin.filter_forms import AuditFilter
from saas.web.admin.forms import INVALID
from saas.web.auth import brand_only, staff_required

PAGE = 50
# Kinds the log files under two names: a plan's own row and the actions done to the plan.
SAME_KIND = {"plan": "plans"}


def kinds_filed_as(kind: str) -> list[str]:
    """Return every name the log files one kind of object under."""
    return [kind, *(alias for alias, same in SAME_KIND.items() if same == kind)]


def object_types() -> list[str]:
    """Return the kinds of object the brand's log mentions, each once."""
    stmt = select(AuditEvent.object_type).distinct()
    return sorted({SAME_KIND.get(t, t) for t in db.session.scalars(stmt)})


def _filtered(object_type: str) -> Select[Any]:
    stmt = select(AuditEvent)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type.in_(kinds_filed_as(object_type)))
    return stmt


def page(
    object_type: str, before: int | None, after: int | None = None
) -> tuple[list[AuditEvent], int | None, int | None]:
    """Return one page of events, newest first, and the ids to page older and newer from."""
    stmt = _filtered(object_type).limit(fixed_limit(PAGE + 1))
    if after and not before:
        rows = list(db.session.scalars(stmt.where(AuditEvent.id > after).order_by(AuditEvent.id)))
        events = list(reversed(rows[:PAGE]))
        newer = events[0].id if len(rows) > PAGE else None
        return events, (events[-1].id if events else None), newer
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc())))
    events = rows[:PAGE]
    older = events[-1].id if len(rows) > PAGE else None
    newer = events[0].id if before and events else None
    return events, older, newer


@bp.get("/audit")
@brand_only
@staff_required("audit.read")
def audit_log() -> Any:
    """Show the audit log, optionally for one kind of object."""
    form = AuditFilter(object_types())
    form.read()
    # Written into the links to older and newer events, not typed: start over.
    form.before.errors, form.after.errors = [], []
    events, older, newer = page(form.type.data, form.before.data, form.after.data)
    return render_template(
        "admin/audit.html",
        events=events,
        filter_form=form,
        object_type=form.type.data,
        older=older,
        newer=newer,
    ), (INVALID if form.type.errors else 200)
