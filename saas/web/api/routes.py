"""API endpoints of the brand, its subscribers, audit log and jobs: parse, call one service."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from saas.db import db
from saas.identity import audit
from saas.identity import services as people
from saas.identity.audit import AuditEvent
from saas.identity.models import SUBSCRIBER, User
from saas.jobs.models import DEAD, FailedJob
from saas.web.api import openapi
from saas.web.api.contract import route
from saas.web.api.models import Page
from saas.web.api.models import people as models
from saas.web.api.pagination import PageQuery, paginate
from saas.web.api.records import subscriber


@route("GET /openapi.json", None, models.OpenApiDocument)
def get_open_api() -> Any:
    """This document; it holds no brand data, so it needs no key."""
    return openapi.document()


@route("GET /brand", "brand.read", models.Brand)
def get_brand() -> Any:
    """The brand this host serves."""
    return g.tenant


@route("GET /subscribers", "subscribers.read", Page[models.Subscriber])
def list_subscribers(query: models.SubscriberQuery) -> Any:
    """Subscribers, oldest first, optionally searched by e-mail or name."""
    stmt = people.people_query(SUBSCRIBER, query.q)
    return paginate(db.session, stmt, User.id, query)


@route("GET /subscribers/<int:subscriber_id>", "subscribers.read", models.Subscriber)
def get_subscriber(subscriber_id: int) -> Any:
    """One subscriber of this brand; any other id is not found."""
    return subscriber(subscriber_id)


@route("POST /subscribers", "subscribers.write", models.Subscriber, created=True)
def create_subscriber(body: models.NewSubscriber) -> Any:
    """Add a subscriber (without a password); they set one through the reset e-mail."""
    return people.create_user(db.session, kind=SUBSCRIBER, password=None, **body.model_dump())


@route("GET /audit-events", "audit.read", Page[models.AuditEvent])
def list_audit_events(query: models.AuditQuery) -> Any:
    """The audit log, newest first, optionally of one object type."""
    stmt = audit.events_query(query.object_type)
    return paginate(db.session, stmt, AuditEvent.id, query, newest_first=True)


@route("GET /jobs/failed", "jobs.read", Page[models.FailedJob])
def list_failed_jobs(query: PageQuery) -> Any:
    """Dead-lettered jobs still waiting for someone, newest first."""
    stmt = select(FailedJob).where(FailedJob.status == DEAD)
    return paginate(db.session, stmt, FailedJob.id, query, newest_first=True)
