"""Console home: headline counts, what the subscriptions hold and how they moved, recent events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_skeleton
from flask import g, render_template
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from saas.db import db, utcnow
from saas.identity import audit
from saas.jobs.models import DEAD, FailedJob
from saas.reports import subscriptions as figures
from saas.reports.headcount import headcount
from saas.web.admin import bp
from saas.web.admin.charts import Chart, grouped_bars
from saas.web.auth import brand_only, staff_required
from saas.web.kept import kept

RECENT_EVENTS = 8
MOVE_NAMES = {
    "new": _l("New"),
    "upgraded": _l("Upgraded"),
    "downgraded": _l("Downgraded"),
    "cancelled": _l("Cancelled"),
}


def dead_letter_count() -> int:
    """Count the brand's dead-lettered jobs nobody has acted on yet."""
    return db.session.scalar(select(func.count(FailedJob.id)).where(FailedJob.status == DEAD)) or 0


def month_name(month: Any, skeleton: str = "yMMMM") -> str:
    """A month and its year in the reader's language ("März 2026", "marzec 2026")."""
    return str(format_skeleton(skeleton, month, locale=get_locale()))


def moves_chart(months: list[figures.MonthMoves]) -> Chart:
    """The year's movements as grouped bars, one group a month, each bar named in words."""
    axis = [
        (month_name(m.month, "MMM"), str(m.month.year) if i == 0 or m.month.month == 1 else "")
        for i, m in enumerate(months)
    ]
    return grouped_bars(
        [month_name(m.month) for m in months],
        list(figures.MOVES),
        [[m.count(move) for move in figures.MOVES] for m in months],
        format_decimal,
        lambda move, month, shown: _(
            "%(move)s in %(month)s: %(count)s", move=MOVE_NAMES[move], month=month, count=shown
        ),
        axis,
    )


# The subscriptions' figures are read from their whole history; a console home opened again
# within this many seconds (by anyone of the brand, in this process) shows the same figures.
FIGURES_SECONDS = 60.0


def _read_figures() -> tuple[Any, list[figures.MonthMoves], datetime]:
    def count() -> tuple[Any, list[figures.MonthMoves], datetime]:
        now, zone = utcnow(), g.tenant.timezone
        return figures.holdings(db.session, now, zone), figures.moves(db.session, now, zone), now

    return kept("dashboard_figures", g.tenant.id, FIGURES_SECONDS, count)


def _subscription_figures() -> dict[str, Any]:
    holdings, months, counted_at = _read_figures()
    return {
        "holdings": holdings,
        "counted_at": counted_at,
        "months": months,
        "chart": moves_chart(months),
        "move_names": MOVE_NAMES,
        "month_name": month_name,
    }


@bp.get("/")
@brand_only
@staff_required()
def index() -> Any:
    """Show the brand's console home with headline counts and the subscriptions' figures."""
    can = current_user.has_permission
    people = headcount(db.session)
    return render_template(
        "admin/index.html",
        staff_count=people.staff,
        subscriber_count=people.subscribers,
        dead_count=dead_letter_count() if can("jobs.read") else None,
        events=audit.recent(db.session, RECENT_EVENTS) if can("audit.read") else None,
        **(_subscription_figures() if can("subscriptions.read") else {}),
    )
