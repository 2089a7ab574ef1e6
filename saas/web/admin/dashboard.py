"""Console home: headline counts, dead letters waiting and the latest audit events."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from saas.db import db
from saas.identity import audit
from saas.identity.models import STAFF, SUBSCRIBER, User
from saas.jobs.models import DEAD, FailedJob
from saas.web.admin import bp
from saas.web.auth import brand_only, staff_required

RECENT_EVENTS = 8


def dead_letter_count() -> int:
    """Count the brand's dead-lettered jobs nobody has acted on yet."""
    return db.session.scalar(select(func.count(FailedJob.id)).where(FailedJob.status == DEAD)) or 0


@bp.get("/")
@brand_only
@staff_required()
def index() -> Any:
    """Show the brand's console home with headline counts."""
    counts = dict(db.session.execute(select(User.kind, func.count()).group_by(User.kind)).all())
    can = current_user.has_permission
    return render_template(
        "admin/index.html",
        staff_count=counts.get(STAFF, 0),
        subscriber_count=counts.get(SUBSCRIBER, 0),
        dead_count=dead_letter_count() if can("jobs.read") else None,
        events=audit.recent(db.session, RECENT_EVENTS) if can("audit.read") else None,
    )
