"""API endpoints: parse, call one service, answer JSON."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, NotFound

from saas.db import db, unit_of_work
from saas.identity import services as people
from saas.identity.audit import AuditEvent
from saas.identity.models import SUBSCRIBER, User
from saas.jobs.models import DEAD, FailedJob
from saas.web.api import bp, inputs, openapi, resources
from saas.web.api.auth import scope_required
from saas.web.api.pagination import envelope, page_request, paginate

DUPLICATE_EMAIL = "An account with this e-mail address already exists at this brand."


@bp.get("/openapi.json")
def openapi_document() -> Any:
    """Serve the API description; it holds no brand data, so it needs no key."""
    return jsonify(openapi.document())


@bp.get("/brand")
@scope_required("brand.read")
def brand() -> Any:
    """Describe the brand this host serves."""
    return jsonify(resources.brand(g.tenant))


@bp.get("/subscribers")
@scope_required("subscribers.read")
def subscribers() -> Any:
    """List the brand's subscribers, oldest first, optionally searched by e-mail or name."""
    page = page_request(request.args)
    stmt = people.people_query(SUBSCRIBER, request.args.get("q", ""))
    rows, cursor = paginate(db.session, stmt, User.id, page)
    return jsonify(envelope([resources.subscriber(u) for u in rows], cursor))


@bp.get("/subscribers/<int:subscriber_id>")
@scope_required("subscribers.read")
def subscriber(subscriber_id: int) -> Any:
    """Show one subscriber of this brand; any other id is not found."""
    try:
        user = people.get_user(db.session, subscriber_id, SUBSCRIBER)
    except LookupError:
        raise NotFound(f"There is no subscriber {subscriber_id} at this brand.") from None
    return jsonify(resources.subscriber(user))


@bp.post("/subscribers")
@scope_required("subscribers.write")
def create_subscriber() -> Any:
    """Add a subscriber; they set a password later through the reset e-mail."""
    fields = inputs.new_subscriber(inputs.json_object(), g.tenant.locales)
    if people.find_by_email(db.session, fields["email"]) is not None:
        raise Conflict(DUPLICATE_EMAIL)
    try:
        with unit_of_work():
            user = people.create_user(db.session, kind=SUBSCRIBER, password=None, **fields)
    except IntegrityError:
        # Someone else took the address between our check and our insert.
        raise Conflict(DUPLICATE_EMAIL) from None
    location = url_for("api.subscriber", subscriber_id=user.id, _external=True)
    return jsonify(resources.subscriber(user)), 201, {"Location": location}


@bp.get("/audit-events")
@scope_required("audit.read")
def audit_events() -> Any:
    """List the brand's audit events, newest first, optionally of one object type."""
    page = page_request(request.args)
    stmt = select(AuditEvent)
    if request.args.get("object_type"):
        stmt = stmt.where(AuditEvent.object_type == request.args["object_type"])
    rows, cursor = paginate(db.session, stmt, AuditEvent.id, page, newest_first=True)
    return jsonify(envelope([resources.audit_event(e) for e in rows], cursor))


@bp.get("/jobs/failed")
@scope_required("jobs.read")
def failed_jobs() -> Any:
    """List the brand's dead-lettered jobs still waiting for someone, newest first."""
    page = page_request(request.args)
    stmt = select(FailedJob).where(FailedJob.status == DEAD)
    rows, cursor = paginate(db.session, stmt, FailedJob.id, page, newest_first=True)
    return jsonify(envelope([resources.failed_job(j) for j in rows], cursor))
