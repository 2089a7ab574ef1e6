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
from markupsafe import Markup

from saas.db import db, utcnow
from saas.identity import audit
from saas.reports import subscriptions as figures
from saas.reports.console import activity
from saas.reports.headcount import Headcount, headcount
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


def _figures_shown() -> dict[str, Any]:
    """The subscriptions' figures, their table and chart drawn once per language while kept.

    Drawing the chart and tables costs more than reading the kept figures; a drawing is good
    for as long as the figures it shows are the ones kept.
    """
    holdings, months, counted_at = _read_figures()

    def draw() -> tuple[datetime, Markup]:
        shown = render_template(
            "admin/_figures.html",
            holdings=holdings,
            counted_at=counted_at,
            months=months,
            chart=moves_chart(months),
            move_names=MOVE_NAMES,
            month_name=month_name,
        )
        return counted_at, Markup(shown)

    key = (g.tenant.id, str(get_locale()))
    drawn = kept("dashboard_drawing", key, FIGURES_SECONDS, draw, lambda d: d[0] == counted_at)
    return {"holdings": holdings, "figures_drawn": drawn[1]}


def _people() -> Headcount:
    """The brand's staff and subscribers, counted at most once a minute per process."""
    return kept("dashboard_people", g.tenant.id, FIGURES_SECONDS, lambda: headcount(db.session))


# Recent changes are drawn again as soon as a new event is recorded (any change to what they
# name is recorded too), and at least this often.
EVENTS_SECONDS = 60.0


def _recent_events(newest: int | None) -> Markup:
    """The brand's newest events as a table, drawn again only once a newer one is recorded."""

    def draw() -> tuple[int | None, Markup]:
        events = audit.recent(db.session, RECENT_EVENTS)
        return newest, Markup(render_template("admin/_recent_events.html", events=events))

    key = (g.tenant.id, str(get_locale()))
    return kept("dashboard_events", key, EVENTS_SECONDS, draw, lambda d: d[0] == newest)[1]


@bp.get("/")
@brand_only
@staff_required()
def index() -> Any:
    """Show the brand's console home with headline counts and the subscriptions' figures."""
    can = current_user.has_permission
    people, now = _people(), activity(db.session)
    return render_template(
        "admin/index.html",
        staff_count=people.staff,
        subscriber_count=people.subscribers,
        dead_count=now.dead_jobs if can("jobs.read") else None,
        events=_recent_events(now.newest_event) if can("audit.read") else None,
        **(_figures_shown() if can("subscriptions.read") else {}),
    )
