"""Console pages: dashboard, staff, subscribers, audit log, API keys, jobs."""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import func, select

from saas.db import db
from saas.identity.models import STAFF, SUBSCRIBER, User
from saas.web.admin import bp
from saas.web.auth import brand_only, staff_required


@bp.get("/")
@brand_only
@staff_required()
def index() -> Any:
    """Show the brand's console home with headline counts."""
    counts = dict(db.session.execute(select(User.kind, func.count()).group_by(User.kind)).all())
    return render_template("admin/index.html", staff_count=counts.get(STAFF, 0),
                           subscriber_count=counts.get(SUBSCRIBER, 0))
