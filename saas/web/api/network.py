"""API endpoints of numbers, SIMs and lines: parse, call one service, answer."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import NotFound

from saas.db import db, utcnow
from saas.errors import Term
from saas.network import lines, numbers, sims
from saas.network.errors import ImportRefused
from saas.network.models import Line, Number, NumberRange, Sim
from saas.web.api.contract import route
from saas.web.api.models import network as models
from saas.web.api.pagination import paginate
from saas.web.api.problems import ValidationFailed, refused_at

READ, WRITE = "network.read", "network.write"


def _range(block: NumberRange, counts: dict[int | None, dict[str, int]]) -> Any:
    first, last = models.e164(block.first), models.e164(block.last)
    return models.NumberRange.of(block, first=first, last=last, counts=counts.get(block.id, {}))


@route("GET /network/number-ranges", READ, models.NumberRangeList)
def list_number_ranges() -> Any:
    """The brand's number ranges, each with its numbers per state now."""
    counts = numbers.counts(db.session)
    return {"data": [_range(b, counts) for b in numbers.ranges(db.session)]}


@route("POST /network/number-ranges", WRITE, models.NumberRange, created=True)
def create_number_range(body: models.NewNumberRange) -> Any:
    """Load a range of mobile numbers into stock; golden ones are marked by the brand's rule."""
    block = numbers.add_range(db.session, body.first, body.last)
    return _range(block, numbers.counts(db.session))


@route("GET /network/numbers", READ, models.NumberPage)
def list_numbers(query: models.NumberQuery) -> Any:
    """The brand's numbers, oldest first, optionally in one state now."""
    now = utcnow()
    stmt = numbers.listed(query.state or "", now=now)
    rows, cursor = paginate(db.session, stmt, Number.id, query)
    return [_number(row, now) for row in rows], cursor


def _number(row: Any, now: Any) -> dict[str, Any]:
    state = Number(state=row.state, free_from=row.free_from).state_at(now)
    return {
        "id": row.id,
        "msisdn": models.e164(row.msisdn),
        "state": state,
        "golden": row.golden,
        "origin": row.origin,
        "free_from": row.free_from if row.state != "assigned" else None,
    }


@route("GET /network/sims", READ, models.SimPage)
def list_sims(query: models.SimQuery) -> Any:
    """The brand's SIMs, oldest first, optionally in one state or of one kind."""
    stmt = sims.listed(query.state or "", query.kind or "")
    return paginate(db.session, stmt, Sim.id, query)


@route("POST /network/sims/import", WRITE, models.SimImport, created=True)
def import_sims(body: models.SimImportBody) -> Any:
    """Import SIMs: all of them, or none with every wrong one named by pointer."""
    rows = [sim.model_dump() for sim in body.sims]
    try:
        return sims.import_rows(db.session, rows, body.name)
    except ImportRefused as exc:
        raise ValidationFailed([refused_at(_pointer(e), e) for e in exc.each()]) from None


def _pointer(refusal: Any) -> str:
    """Where in the body a refused SIM's member is: rows are numbered from 1 as lines."""
    record = refusal.record
    line = record.params.get("line", 1) if isinstance(record, Term) else 1
    return f"/sims/{int(line) - 1}/{refusal.field or ''}".rstrip("/")


@route("GET /network/lines/<int:line_id>", READ, models.Line)
def get_line(line: Line) -> Any:
    """A line with its numbers, SIMs and changes over time."""
    return models.Line.of(
        line, numbers=[models.HeldNumber.of(n) for n in line.numbers], sims=line.sims
    )


@route("GET /network/lines/at", READ, models.LineAt)
def get_line_at(query: models.LineAtQuery) -> Any:
    """The line that held a number or an IMSI at an instant, as it stood then; 404 if none."""
    found = lines.line_at(db.session, msisdn=query.msisdn, imsi=query.imsi, at=query.at)
    if found is None:
        raise NotFound(f"No line held it at {query.at.isoformat()}.")
    return {
        "line_id": found.line.id,
        "subscription_id": found.line.subscription_id,
        "at": found.at,
        "state": found.state,
        "msisdn": models.e164(found.msisdn),
        "imsi": found.imsi,
        "iccid": found.iccid,
    }
