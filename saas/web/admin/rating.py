"""Rating in the console: decks and versions in words, a CGRateS import, the tariff simulator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from saas.db import db, unit_of_work, utcnow
from saas.identity.audit import AuditEvent
from saas.usage.rating import cgrates, services, store
from saas.usage.rating.deck import Deck, DestinationRate, PlanRate
from saas.usage.rating.errors import ImportRefused, RatingError
from saas.usage.rating.models import ANY
from saas.web.admin import bp
from saas.web.admin.audit_text import SAY, Text
from saas.web.admin.forms import INVALID
from saas.web.admin.labels import OBJECT_TYPES
from saas.web.admin.rating_forms import CHOOSE_ZIP, ImportForm, SimulatorForm
from saas.web.auth import brand_only, staff_required
from saas.web.fields import zone
from saas.web.forms import add_error, message, refuse, tell
from saas.web.i18n import when
from saas.web.routing import MAX_ROW_ID

SHOWN_ROWS = 50
SHOWN_DESTINATIONS = 200
SHOWN_PLAN_ROWS = 500


@bp.context_processor
def _rating_words() -> dict[str, Any]:
    from saas.web import rating_labels

    return {"rating_words": rating_labels}


@bp.get("/rating")
@brand_only
@staff_required("rating.read")
def rating_decks() -> Any:
    """The brand's rate decks and their versions, the one in force now marked."""
    now = store.in_force(store.versions(db.session), utcnow())
    return render_template(
        "admin/rating/index.html",
        decks=services.decks(db.session),
        in_force=now.id if now else None,
    )


@bp.get("/rating/versions/<int:version_id>")
@brand_only
@staff_required("rating.read")
def rating_version(version_id: int) -> Any:
    """A deck version: destinations, rates, time bands, plans and profiles in words."""
    version = services.version(db.session, version_id) if version_id <= MAX_ROW_ID else None
    if version is None:
        abort(404)
    from saas.web import rating_labels

    deck = store.load(db.session, version)
    rows = _plan_rows(deck)
    return render_template(
        "admin/rating/version.html",
        version=version,
        deck=deck,
        destinations=sorted(deck.destinations.items())[:SHOWN_DESTINATIONS],
        more=max(len(deck.destinations) - SHOWN_DESTINATIONS, 0),
        plan_rows=rows[:SHOWN_PLAN_ROWS],
        more_plan_rows=max(len(rows) - SHOWN_PLAN_ROWS, 0),
        services=rating_labels.services_of_rates(deck),
    )


def _plan_rows(deck: Deck) -> list[tuple[PlanRate, DestinationRate]]:
    """Each rating plan's rows with the destination rates they name, in the plan's order."""
    by_code: dict[str, list[DestinationRate]] = {}
    for dr in deck.destination_rates:
        by_code.setdefault(dr.code, []).append(dr)
    return [(row, dr) for row in deck.plan_rates for dr in by_code.get(row.destination_rates, [])]


def _import_page(form: ImportForm, status: int = 200, bad: list[str] | None = None) -> Any:
    return render_template("admin/rating/import.html", form=form, bad_rows=bad or []), status


@bp.get("/rating/import")
@brand_only
@staff_required("rating.manage")
def rating_import() -> Any:
    """The form to upload a CGRateS tariff plan as a zip file."""
    return _import_page(ImportForm(formdata=None))


@bp.post("/rating/import")
@brand_only
@staff_required("rating.manage")
def rating_import_create() -> Any:
    """Import the uploaded tariff plan as the next version of a deck, all of it or nothing."""
    form = ImportForm()
    upload = form.file.data
    if not form.validate() or not upload or not getattr(upload, "filename", ""):
        if not upload or not getattr(upload, "filename", ""):
            add_error(form.file, str(CHOOSE_ZIP))
        return _import_page(form, INVALID)
    name = str(upload.filename)
    try:
        files = cgrates.files_of_zip(upload.read())
        with unit_of_work():
            version = services.import_cgrates(
                db.session, files, form.deck.data, str(zone()), form.activates_at.data, name
            )
    except ImportRefused as exc:
        add_error(form.file, message(exc, record=False))
        return _import_page(form, INVALID, [message(e) for e in exc.each()[:SHOWN_ROWS]])
    except RatingError as exc:
        refuse(form, exc)
        return _import_page(form, INVALID)
    flash(
        _(
            "Version %(number)s of deck %(deck)s imported from %(name)s.",
            number=version.number,
            deck=form.deck.data,
            name=name,
        ),
        "success",
    )
    return redirect(url_for("admin.rating_version", version_id=version.id))


NOT_PRICED = _l("Not priced: %(error)s")


@bp.route("/rating/simulator", methods=["GET", "POST"])
@brand_only
@staff_required("rating.read")
def rating_simulator() -> Any:
    """Price a record as the rater would, with its breakdown."""
    form = SimulatorForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.answer_time.data = utcnow().replace(second=0, microsecond=0)
    found, status = None, 200
    if request.method == "POST":
        if form.validate():
            try:
                found = services.cost(
                    db.session,
                    form.category.data,
                    form.subject.data or ANY,
                    form.destination.data,
                    form.answer_time.data,  # type: ignore[arg-type]
                    int(form.usage.data or 0),
                    form.visited_network.data or "",
                )
            except RatingError as exc:
                refuse(form, exc)
        if found is None:
            tell(form, NOT_PRICED)
            status = INVALID
    return render_template("admin/rating/simulator.html", form=form, found=found), status


# The audit log

OBJECT_TYPES["rating_deck_versions"] = _l("Rate deck versions")


def _imported(t: Text, e: AuditEvent) -> str | None:
    c = e.changes or {}
    try:
        since = datetime.fromisoformat(str(c.get("activates_at")))
    except ValueError:
        return None
    return _(
        "%(who)s imported version %(number)s of the rate deck %(deck)s, in force from %(when)s",
        who=t.who(e),
        number=c.get("number"),
        deck=c.get("deck"),
        when=when(since),
    )


SAY[("rating_deck_versions", services.IMPORTED)] = _imported
