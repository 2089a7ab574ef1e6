"""API endpoints of rating: price a record, read the decks, import a CGRateS tariff plan."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import func, select

from saas.db import db
from saas.errors import Term
from saas.usage.rating import models as M
from saas.usage.rating import services
from saas.usage.rating.errors import ImportRefused, RatingError
from saas.web.api.contract import route
from saas.web.api.models import rating as models
from saas.web.api.problems import ValidationFailed
from saas.web.refusals import say

READ, WRITE = "rating.read", "rating.write"
COUNTED = {
    "destinations": M.Destination,
    "prefixes": M.Prefix,
    "rates": M.Rate,
    "timings": M.Timing,
    "plans": M.RatingPlan,
    "profiles": M.RatingProfile,
    "zones": M.RoamingZone,
}


@route("POST /rating/cost", READ, models.Cost)
def rate_cost(body: models.CostRequest) -> Any:
    """Price one record with the deck in force at its answer time, with its breakdown."""
    found = services.cost(
        db.session,
        body.category,
        body.subject,
        body.destination,
        body.answer_time,
        body.usage,
        body.visited_network,
    )
    return services.as_dict(found) | {"currency": g.tenant.currency}


def counts(version_id: int) -> dict[str, int]:
    """How many rows each part of a version holds."""
    return {
        name: db.session.scalar(
            select(func.count()).select_from(model).filter_by(version_id=version_id)
        )
        or 0
        for name, model in COUNTED.items()
    }


def _version(version: M.DeckVersion) -> models.DeckVersion:
    return models.DeckVersion.of(version, counts=counts(version.id))


@route("GET /rating/decks", READ, models.DeckList)
def list_rate_decks() -> Any:
    """The brand's rate decks, each with its versions."""
    return {
        "data": [
            models.Deck.of(d, versions=[_version(v) for v in d.versions])
            for d in services.decks(db.session)
        ]
    }


@route("GET /rating/deck-versions/<int:deck_version_id>", READ, models.DeckVersion)
def get_deck_version(deck_version: M.DeckVersion) -> Any:
    """A deck version with how many destinations, rates and plans it holds."""
    return _version(deck_version)


def _at_file(refusal: RatingError) -> dict[str, str]:
    """A bad row of the tariff plan, pointing at its file, with its row in the message."""
    record = refusal.record
    file = record.params.get("file", "") if isinstance(record, Term) else ""
    return {"pointer": f"/files/{file}".rstrip("/"), "code": refusal.code, "message": say(refusal)}


@route("POST /rating/imports/cgrates", WRITE, models.DeckVersion, created=True)
def import_cgrates(body: models.CgratesImport) -> Any:
    """Import a CGRateS tariff plan as the next version of a deck: all of it, or none."""
    files = {name: text.encode() for name, text in body.files.items()}
    zone = body.timezone or g.tenant.timezone
    try:
        version = services.import_cgrates(
            db.session, files, body.deck, zone, body.activates_at, "CGRateS (API)"
        )
    except ImportRefused as exc:
        raise ValidationFailed([_at_file(e) for e in exc.each()]) from None
    db.session.flush()
    return _version(version)
